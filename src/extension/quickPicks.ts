import * as path from 'node:path';
import * as vscode from 'vscode';
import { readWorkspaceText } from '../core/io/readText';
import { ContextPolicy, contextWarning } from '../core/locality/contextSafety';
import type { Dependency } from '../core/task/editTask';

const HISTORY_KEY = 'editscope.instructionHistory';
const MODELS_KEY = 'editscope.lastModels';
const HISTORY_MAX = 30;

/** What the instruction box runs with when Enter is pressed, so no other picker is needed. */
export interface QuickRun {
  models: string[];
  /** How the context is chosen, in words ("the 2 files the selection uses"). */
  context: string;
}

/**
 * An input with history: a quick pick whose first item is what is being typed and whose
 * other items are earlier instructions (filterable by typing, newest first). Given a quick
 * run, Enter runs the instruction with its models and context at once; the item below (one
 * Down away) and the gear button go on to the full pickers instead (`full: true`).
 */
export async function askInstruction(state: vscode.Memento, quick?: QuickRun): Promise<{ instruction: string; full: boolean } | undefined> {
  const history = state.get<string[]>(HISTORY_KEY, []);
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { full?: boolean }>();
  const runs = quick ? `Enter runs ${quick.models.join(', ')} with ${quick.context}` : '';
  qp.title = quick ? `Edit Selection with Models: ${runs}` : 'Edit Selection with Models (1/3): instruction';
  qp.placeholder = history.length ? 'Describe the edit, or pick a recent instruction' : 'Describe the edit, e.g. "rename x to count"';
  qp.ignoreFocusOut = true;
  qp.matchOnDescription = false;
  const gear = { iconPath: new vscode.ThemeIcon('settings-gear'), tooltip: 'Pick models and context first' };
  if (quick) qp.buttons = [gear];
  const recent = history.map((label) => ({ label, description: 'recent' }));
  const full = (v: string) => ({ label: '$(settings-gear) Pick models and context…', description: v ? `for "${v}"` : '', alwaysShow: true, full: true });
  const itemsFor = (v: string) => {
    const typed = v.trim() ? [{ label: v, description: quick ? `run with ${quick.models.join(', ')}` : 'new instruction', alwaysShow: true }] : [];
    return [...typed, ...(quick && v.trim() ? [full(v.trim())] : []), ...recent.filter((r) => r.label !== v)];
  };
  qp.items = itemsFor('');
  qp.onDidChangeValue((v) => (qp.items = itemsFor(v)));
  const answer = await new Promise<{ instruction: string; full: boolean } | undefined>((resolve) => {
    const done = (fullPickers: boolean) => {
      const item = qp.selectedItems[0];
      const instruction = (item && !item.full ? item.label : qp.value).trim();
      resolve(instruction ? { instruction, full: fullPickers || !!item?.full } : undefined);
      qp.hide();
    };
    qp.onDidAccept(() => done(false));
    qp.onDidTriggerButton(() => done(true));
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  qp.dispose();
  if (answer) await rememberInstruction(state, answer.instruction);
  return answer;
}

/** The models the last run in this workspace used, else the default models; empty when there are none. */
export function lastModels(workspaceState: vscode.Memento, defaults: string[]): string[] {
  return workspaceState.get<string[]>(MODELS_KEY) ?? defaults;
}

export async function rememberInstruction(state: vscode.Memento, instruction: string): Promise<void> {
  const history = state.get<string[]>(HISTORY_KEY, []).filter((h) => h !== instruction);
  await state.update(HISTORY_KEY, [instruction, ...history].slice(0, HISTORY_MAX));
}

export interface ModelChoice {
  name: string;
  detail?: string;
}

/** Multi-select of models; the last choice in this workspace comes back pre-picked. */
export async function askModels(workspaceState: vscode.Memento, available: ModelChoice[], defaults: string[]): Promise<string[] | undefined> {
  const last = lastModels(workspaceState, defaults);
  const names = new Map<string, ModelChoice>();
  for (const m of [...available, ...last.map((name) => ({ name }))]) if (!names.has(m.name)) names.set(m.name, m);
  const items = [...names.values()].map((m) => ({ label: m.name, description: m.detail, picked: last.includes(m.name) }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Edit Selection with Models (2/3): models',
    placeHolder: 'Pick the models to compare (Space to toggle, Enter to continue)',
    canPickMany: true,
    ignoreFocusOut: true,
  });
  if (!picked || picked.length === 0) return undefined;
  const models = picked.map((p) => p.label);
  await rememberModels(workspaceState, models);
  return models;
}

export function rememberModels(workspaceState: vscode.Memento, models: string[]): Thenable<void> {
  return workspaceState.update(MODELS_KEY, models);
}

/**
 * Optional context files: the files the selection depends on (picked already, sent as the
 * definitions it uses), other open files, or any file through a dialog.
 */
export async function askContextFiles(target: vscode.Uri, deps: readonly Dependency[], root: string | undefined): Promise<{ uris: vscode.Uri[]; dependencies: string[]; editable: vscode.Uri[] } | undefined> {
  // What will not be sent, or only in part, is said on its item before anything is sent.
  const policy = root ? new ContextPolicy(root) : null;
  const read = (file: string) => (root ? readWorkspaceText(root, file) : null);
  const warning = (file: string) => (policy ? contextWarning(policy, file, read) : null);
  const depUris = new Set(deps.map((d) => d.file));
  const open = vscode.workspace.textDocuments.filter(
    (d) =>
      !d.isClosed && d.uri.toString() !== target.toString() && (d.uri.scheme === 'file' || d.uri.scheme === 'untitled') && !depUris.has(vscode.workspace.asRelativePath(d.uri, false)),
  );
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri; dependency?: string };
  const browse: Item = { label: '$(folder-opened) Browse…', alwaysShow: true };
  const editable: Item = { label: '$(edit) Add Files the Model May Change…', description: 'makes the task multi-file', alwaysShow: true };
  const items: Item[] = [
    ...deps.map((d) => {
      const w = warning(d.file);
      const uses = d.symbols.length ? `uses ${d.symbols.join(', ')}` : 'imported';
      return { label: d.file, description: w ? `$(warning) ${w}` : uses, detail: w ? uses : undefined, picked: !w?.startsWith('never sent'), dependency: d.file };
    }),
    browse,
    editable,
    ...open.map((d) => {
      const file = root && d.uri.scheme === 'file' ? path.relative(root, d.uri.fsPath).split(path.sep).join('/') : vscode.workspace.asRelativePath(d.uri, false);
      const w = d.uri.scheme === 'file' ? warning(file) : null;
      return { label: vscode.workspace.asRelativePath(d.uri), description: w ? `$(warning) ${w}` : undefined, uri: d.uri };
    }),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Edit Selection with Models (3/3): context files (optional)',
    placeHolder: deps.length ? 'The files the selection depends on are picked; Enter to send them' : 'Files the models should see for a cross-file edit; press Enter with none picked to skip',
    canPickMany: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  const uris = picked.flatMap((p) => (p.uri ? [p.uri] : []));
  const dependencies = picked.flatMap((p) => (p.dependency ? [p.dependency] : []));
  if (picked.includes(browse)) {
    const more = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Add as context', defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
    if (more) uris.push(...more);
  }
  const editableUris: vscode.Uri[] = [];
  if (picked.includes(editable)) {
    const more = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Let the models change', defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
    if (more) editableUris.push(...more);
  }
  return { uris, dependencies, editable: editableUris };
}
