import * as vscode from 'vscode';
import type { Services } from '../services';
import { providerFromSetting } from '../../core/providers/config';
import { setApiKey, validId } from './keys';

/** An entry of the setting as the user wrote it, written back as it is (spelling included). */
type WrittenProvider = { id: string; baseURL?: string; models?: string[] };

/**
 * A small front end to the `editscope.providers` user setting. Providers are written to
 * user settings only: a workspace must not be able to redirect where keys are sent.
 */
export async function manageProviders(s: Services): Promise<void> {
  // Only the user-level list: writing back a merged list would copy workspace providers into user settings.
  const inspected = vscode.workspace.getConfiguration('editscope').inspect<WrittenProvider[]>('providers');
  const providers = (inspected?.globalValue ?? []).filter((p) => typeof p?.id === 'string');
  type Item = vscode.QuickPickItem & { run: () => Thenable<unknown> };
  const items: Item[] = [
    { label: '$(add) Add a provider…', run: () => addProvider(s, providers) },
    ...providers.map((p) => ({
      label: p.id,
      description: providerFromSetting(p).baseUrl ?? '(OpenAI default URL)',
      detail: (p.models ?? []).join(', ') || 'no models listed',
      run: () => editProvider(s, providers, p),
    })),
    { label: '$(json) Open settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'editscope.') },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Edit Scope: providers', placeHolder: 'Pick a provider to change, or add one' });
  await picked?.run();
}

/**
 * Four steps in one quick input, the key last: the input keeps keyboard focus from the first
 * step to the last (a notification's button after it would leave the keyboard nowhere).
 */
async function addProvider(s: Services, existing: WrittenProvider[]): Promise<void> {
  const id = await vscode.window.showInputBox({
    title: 'Add provider (1/4): id',
    prompt: 'A short name; models are then named <id>/<model>',
    ignoreFocusOut: true,
    validateInput: (v) => validId(v) ?? (existing.some((p) => p.id === v) ? 'That id is taken' : undefined),
  });
  if (!id) return;
  const baseURL = await vscode.window.showInputBox({
    title: 'Add provider (2/4): base URL',
    value: 'https://api.openai.com/v1',
    prompt: 'The Chat Completions base URL, e.g. http://127.0.0.1:11434/v1 for Ollama',
    ignoreFocusOut: true,
    validateInput: (v) => (/^https?:\/\/\S+$/.test(v) ? undefined : 'An http(s) URL'),
  });
  if (!baseURL) return;
  const models = await vscode.window.showInputBox({ title: 'Add provider (3/4): models', prompt: 'Model names, separated by commas', ignoreFocusOut: true });
  if (models === undefined) return;
  const key = await vscode.window.showInputBox({
    title: 'Add provider (4/4): API key',
    prompt: "Kept in the editor's secret storage, never in settings or logs. Leave empty for a server that needs none (Ollama, LM Studio).",
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  const provider: WrittenProvider = { id, baseURL, models: models.split(',').map((m) => m.trim()).filter(Boolean) };
  await save([...existing, provider]);
  if (key.trim()) await setApiKey(s, { provider: id, key });
  s.log.info(`provider ${id} added${key.trim() ? ' with its key' : ''}`);
  vscode.window.setStatusBarMessage(`$(check) Edit Scope: provider ${id} added${key.trim() ? ' with its key' : ''}`, 5000);
  // The new setting completes the walkthrough's step, which redraws it and drops the button the
  // keyboard came back to: hand the focus to the editor the flow started from once it has.
  await new Promise((r) => setTimeout(r, 100));
  await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
}

async function editProvider(s: Services, all: WrittenProvider[], p: WrittenProvider): Promise<void> {
  const choice = await vscode.window.showQuickPick(['Set API Key', 'Edit models', 'Remove'], { title: `Provider ${p.id}` });
  if (choice === 'Set API Key') await vscode.commands.executeCommand('editscope.setApiKey', { provider: p.id });
  else if (choice === 'Edit models') {
    const models = await vscode.window.showInputBox({ title: `Models of ${p.id}`, value: (p.models ?? []).join(', '), ignoreFocusOut: true });
    if (models !== undefined) await save(all.map((x) => (x === p ? { ...x, models: models.split(',').map((m) => m.trim()).filter(Boolean) } : x)));
  } else if (choice === 'Remove') {
    await save(all.filter((x) => x !== p));
    await s.keys.delete(p.id);
    s.log.info(`provider ${p.id} removed with its key`);
  }
}

function save(providers: WrittenProvider[]): Thenable<void> {
  return vscode.workspace.getConfiguration('editscope').update('providers', providers, vscode.ConfigurationTarget.Global);
}
