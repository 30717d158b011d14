import * as vscode from 'vscode';
import type { Services } from '../services';
import { readSettings } from '../settings';

export interface SetApiKeyArgs {
  provider?: string;
  /** For tests and scripts; interactive use goes through a password input. */
  key?: string;
}

/** Stores a provider's key in SecretStorage. Returns which provider, never the key. */
export async function setApiKey(s: Services, rawArgs?: unknown): Promise<{ provider: string } | undefined> {
  const args = (typeof rawArgs === 'object' && rawArgs !== null ? rawArgs : {}) as SetApiKeyArgs;
  let provider = args.provider;
  if (!provider) {
    const ids = readSettings().providers.map((p) => p.id);
    if (ids.length === 0) {
      provider = await vscode.window.showInputBox({ title: 'Set API Key: provider id', prompt: 'No providers in settings yet: the id you will give the provider in editscope.providers', ignoreFocusOut: true, validateInput: validId });
    } else {
      provider = (await vscode.window.showQuickPick(ids, { title: 'Set API Key: which provider?', ignoreFocusOut: true })) ?? undefined;
    }
  }
  if (!provider) return undefined;
  const key =
    args.key ??
    (await vscode.window.showInputBox({
      title: `API key for ${provider}`,
      prompt: 'Kept in the editor\'s secret storage; never written to settings or logs. Leave empty to remove the stored key.',
      password: true,
      ignoreFocusOut: true,
    }));
  if (key === undefined) return undefined;
  if (key.trim() === '') {
    await s.keys.delete(provider);
    s.log.info(`API key for provider ${provider} removed`);
    return { provider };
  }
  await s.keys.set(provider, key.trim());
  // The walkthrough's key step completes on this, however the key was set: a command run
  // from a notification's button or another command never reaches the walkthrough itself.
  void vscode.commands.executeCommand('setContext', 'editscope.hasApiKey', true);
  s.log.info(`API key for provider ${provider} stored`);
  if (!args.key) void vscode.window.showInformationMessage(`Edit Scope: key for ${provider} stored.`);
  return { provider };
}

export function validId(v: string): string | undefined {
  return /^[A-Za-z0-9_.-]+$/.test(v) ? undefined : 'Letters, digits, "_", "." and "-" only';
}
