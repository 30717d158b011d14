import * as vscode from 'vscode';
import { plural } from '../core/text/plural';

export interface EditableChoice {
  uri: vscode.Uri;
  /** 1-based lines the model may change, or null for the whole file. */
  range: { start: number; end: number } | null;
}

/**
 * The files picked with "Add Files the Model May Change", waiting for the next Edit
 * Selection with Models, which makes its task multi-file and takes them. A status bar item
 * says how many are waiting; clicking it clears them.
 */
export class EditableFiles implements vscode.Disposable {
  private files: EditableChoice[] = [];
  private readonly item = vscode.window.createStatusBarItem('editscope.editableFiles', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Edit Scope: files the model may change';
    this.item.command = 'editscope.clearFilesModelMayChange';
  }

  add(choices: readonly EditableChoice[]): void {
    for (const c of choices) {
      this.files = this.files.filter((f) => f.uri.toString() !== c.uri.toString());
      this.files.push(c);
    }
    this.render();
  }

  list(): readonly EditableChoice[] {
    return this.files;
  }

  clear(): void {
    this.files = [];
    this.render();
  }

  private render(): void {
    if (!this.files.length) return void this.item.hide();
    const n = this.files.length;
    this.item.text = `$(edit) ${plural(n, 'file')} the model may change`;
    this.item.tooltip = `Edit Scope: the next Edit Selection with Models may also change\n${this.files
      .map((f) => `${vscode.workspace.asRelativePath(f.uri, false)}${f.range ? ` (lines ${f.range.start}-${f.range.end})` : ''}`)
      .join('\n')}\n\nClick to clear.`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

/**
 * "Add Files the Model May Change": the files given (the Explorer's selection), else the
 * active editor's file (only its selected lines, when some are selected), else files picked
 * in a dialog.
 */
export async function addFilesModelMayChange(store: EditableFiles, uri?: unknown, uris?: unknown): Promise<number> {
  let choices: EditableChoice[];
  const given = Array.isArray(uris) ? uris.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : uri instanceof vscode.Uri ? [uri] : [];
  if (given.length) choices = given.map((u) => ({ uri: u, range: null }));
  else {
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document.uri.scheme === 'file') {
      const sel = editor.selection;
      const end = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line - 1 : sel.end.line;
      choices = [{ uri: editor.document.uri, range: sel.isEmpty ? null : { start: sel.start.line + 1, end: end + 1 } }];
    } else {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Let the models change', defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
      if (!picked?.length) return store.list().length;
      choices = picked.map((u) => ({ uri: u, range: null }));
    }
  }
  store.add(choices);
  const names = choices.map((c) => vscode.workspace.asRelativePath(c.uri, false) + (c.range ? ` (lines ${c.range.start}-${c.range.end})` : ''));
  void vscode.window.setStatusBarMessage(`Edit Scope: the next edit may also change ${names.join(', ')}`, 4000);
  return store.list().length;
}
