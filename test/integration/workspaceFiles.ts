import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/**
 * The workspace's sample file as the repository holds it. Tests start from this, never from
 * the workspace's copy: VS Code for the web saves edits by itself, so what an earlier test
 * left on disk depends on how fast the machine was.
 */
export const SAMPLE = fs.readFileSync(path.resolve(__dirname, '../../../test/integration/workspace/src/sample.ts'), 'utf8');

export interface WorkspaceFile {
  /** Absolute path. */
  file: string;
  /** Workspace-relative path, as commands take it and the log records it. */
  rel: string;
  uri: vscode.Uri;
  original: string;
}

/**
 * A file of the test's own, written before the editor has ever opened it: no document, undo
 * stack, pending save or file-watcher reload from another test can reach it.
 */
export function freshFile(rel: string, text = SAMPLE): WorkspaceFile {
  const file = path.join(workspaceRoot(), rel);
  if (fs.existsSync(file)) throw new Error(`${rel} exists already: each test needs a file no other test has used`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return { file, rel, uri: vscode.Uri.file(file), original: text };
}

export function workspaceRoot(): string {
  return vscode.workspace.workspaceFolders![0].uri.fsPath;
}

export function readLog(): Array<Record<string, any>> {
  return fs.readFileSync(path.join(workspaceRoot(), '.editscope', 'evals.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

/** Polls `check` until it returns something truthy, which it returns. */
export async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Undo (or redo) in this editor's document, as a person pressing Ctrl+Z there. The command
 * acts on whatever has focus, and on a busy machine the webview shown just before may still
 * hold it: then nothing in the document changes, and the editor is focused and the command
 * sent again. The document's change reaches the extension host before the command's answer,
 * so an unchanged version means the command went elsewhere, not that it is on its way.
 */
export async function undoIn(editor: vscode.TextEditor, command: 'undo' | 'redo' = 'undo'): Promise<void> {
  const doc = editor.document;
  const version = doc.version;
  for (let attempt = 0; attempt < 20; attempt++) {
    await vscode.window.showTextDocument(doc, { viewColumn: editor.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand(command);
    if (doc.version !== version) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${command} never reached ${vscode.workspace.asRelativePath(doc.uri)}`);
}
