import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Analysis, Hunk } from '../core/analysis/types';
import type { Comparison, ComparisonStore } from './comparison';

export const RESULT_SCHEME = 'editscope-result';
const ORIGINAL = '~original';

/**
 * Model output shown read-only in the native diff editor, through virtual documents
 * (`editscope-result:/<comparison>/<model>/<file>/<file name>`: each file of a multi-file
 * result has its own), with out-of-scope hunks
 * highlighted, explained on hover and listed in the Problems panel while the comparison
 * is on screen.
 */
export class DiffView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('editscope');
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('inputValidation.warningBackground'),
    border: '1px dashed',
    borderColor: new vscode.ThemeColor('editorWarning.foreground'),
    overviewRulerColor: new vscode.ThemeColor('editorWarning.foreground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: ComparisonStore) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this),
      vscode.window.onDidChangeVisibleTextEditors((editors) => this.decorate(editors)),
      this.diagnostics,
      this.decoration,
    );
  }

  static uriFor(c: Comparison, model: string | typeof ORIGINAL, file = c.task.file): vscode.Uri {
    return vscode.Uri.from({
      scheme: RESULT_SCHEME,
      path: `/${c.id}/${encodeURIComponent(model)}/${encodeURIComponent(file)}/${path.posix.basename(file) || 'file'}`,
    });
  }

  private parse(uri: vscode.Uri): { c: Comparison; model: string; file: string } | undefined {
    const [, id, model, file] = uri.path.split('/');
    const c = id ? this.store.get(id) : undefined;
    return c && model && file ? { c, model: decodeURIComponent(model), file: decodeURIComponent(file) } : undefined;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const p = this.parse(uri);
    if (!p) return '';
    if (p.model === ORIGINAL) return originalOf(p.c, p.file);
    return fileOf(p.c, p.model, p.file)?.edited ?? '';
  }

  /** The model's version of one file (the target by default) beside the original. */
  async open(c: Comparison, model: string, file = c.task.file): Promise<void> {
    const left = DiffView.uriFor(c, ORIGINAL, file);
    const right = DiffView.uriFor(c, model, file);
    const name = path.posix.basename(file);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: original ↔ ${model}`, { preview: true });
  }

  /** Problems-panel entries for every model's out-of-scope hunks and style findings, file by file. */
  showDiagnostics(c: Comparison): void {
    this.diagnostics.clear();
    for (const r of c.runs) {
      if (!r.result?.ok || !r.result.analysis) continue;
      const files = r.result.files ?? [{ file: c.task.file, analysis: r.result.analysis }];
      for (const f of files) this.diagnostics.set(DiffView.uriFor(c, r.model, f.file), diagnosticsOf(r.model, f.analysis));
    }
    this.decorate(vscode.window.visibleTextEditors);
  }

  clearDiagnostics(): void {
    this.diagnostics.clear();
  }

  private decorate(editors: readonly vscode.TextEditor[]): void {
    for (const editor of editors) {
      if (editor.document.uri.scheme !== RESULT_SCHEME) continue;
      const p = this.parse(editor.document.uri);
      if (!p) continue;
      const options: vscode.DecorationOptions[] = [];
      if (p.model === ORIGINAL) {
        // Deletions have no lines on the model's side: mark what they removed on the original's.
        for (const r of p.c.runs) {
          for (const h of fileOf(p.c, r.model, p.file)?.analysis.hunks ?? []) {
            if (h.scope === 'out' && h.editedLines === 0) {
              options.push({ range: new vscode.Range(h.originalStart - 1, 0, h.originalStart + h.originalLines - 2, 0), hoverMessage: hover(h, r.model) });
            }
          }
        }
      } else {
        for (const h of fileOf(p.c, p.model, p.file)?.analysis.hunks ?? []) {
          if (h.scope === 'out' && h.editedLines > 0) options.push({ range: editedRange(h), hoverMessage: hover(h, p.model) });
        }
      }
      editor.setDecorations(this.decoration, options);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** One file of a model's result: the target, an editable file, or another file it wrote to. */
function fileOf(c: Comparison, model: string, file: string): { edited: string; analysis: Analysis } | undefined {
  const res = c.run(model)?.result;
  if (!res?.ok || res.edited === null || !res.analysis) return undefined;
  if (file === c.task.file) return { edited: res.edited, analysis: res.analysis };
  return res.files?.find((f) => f.file === file);
}

function originalOf(c: Comparison, file: string): string {
  if (file === c.task.file) return c.original;
  const editable = c.task.editFiles.find((f) => f.path === file);
  if (editable) return editable.text;
  for (const r of c.runs) {
    const f = r.result?.files?.find((x) => x.file === file);
    if (f) return f.original;
  }
  return '';
}

function diagnosticsOf(model: string, a: Analysis): vscode.Diagnostic[] {
  const items: vscode.Diagnostic[] = [];
  for (const h of a.hunks) {
    if (h.scope !== 'out') continue;
    const d = new vscode.Diagnostic(editedRange(h), `Out of scope (${model}): ${h.reason}`, vscode.DiagnosticSeverity.Warning);
    d.source = 'Edit Scope';
    d.code = 'out-of-scope';
    items.push(d);
  }
  for (const f of a.styleDrift) {
    const line = Math.max(f.line - 1, 0);
    const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), `Style drift (${model}): ${f.message}`, vscode.DiagnosticSeverity.Information);
    d.source = 'Edit Scope';
    d.code = f.rule;
    items.push(d);
  }
  return items;
}

/** The edited lines a hunk covers; a deletion points at the line after which the lines stood. */
function editedRange(h: Hunk): vscode.Range {
  if (h.editedLines === 0) {
    const line = Math.max(h.editedStart - 1, 0);
    return new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER);
  }
  return new vscode.Range(h.editedStart - 1, 0, h.editedStart + h.editedLines - 2, Number.MAX_SAFE_INTEGER);
}

function hover(h: Hunk, model: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**Edit Scope: out of scope** (');
  md.appendText(model);
  md.appendMarkdown(')\n\n');
  // Reasons come from the engine but describe model output: text, never markdown.
  md.appendText(h.reason);
  return md;
}
