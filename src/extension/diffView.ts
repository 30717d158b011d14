import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Analysis, Hunk } from '../core/analysis/analysisTypes';
import { supportingWhy } from '../core/analysis/formatText';
import { placeholderOf } from '../core/analysis/apply';
import { originalLineOf } from '../core/analysis/lineMap';
import { isApplied } from '../core/log/records';
import { resultFileUri } from './applyResult';
import type { Comparison, ComparisonStore } from './comparison';

export const RESULT_SCHEME = 'editscope-result';
const ORIGINAL = '~original';
/** The `k` of a preview of a model's answer as it arrives, beside the diffs' `m` and `f`. */
const STREAM = 'stream';

/**
 * Model output shown read-only in the native diff editor, through virtual documents
 * (`editscope-result:/<comparison>/<model>/<file>/<file name>`: each file of a multi-file
 * result has its own), with out-of-scope hunks highlighted and explained on hover. The
 * Problems panel lists them on the real files, at the original's lines (the lines each model
 * would have changed), while the comparison is on screen and a file still holds the text the
 * models were given.
 */
export class DiffView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contentChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.contentChanged.event;
  /** The answer previews open, each following its model's stream. */
  private readonly watching = new Map<string, vscode.Disposable>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('editscope');
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('inputValidation.warningBackground'),
    border: '1px dashed',
    borderColor: new vscode.ThemeColor('editorWarning.foreground'),
    overviewRulerColor: new vscode.ThemeColor('editorWarning.foreground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  /** Supporting hunks: outside the selection but needed by the change, so neither flagged nor plain. */
  private readonly supportDecoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('inputValidation.infoBackground'),
    border: '1px dotted',
    borderColor: new vscode.ThemeColor('editorInfo.foreground'),
    overviewRulerColor: new vscode.ThemeColor('editorInfo.foreground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  private readonly disposables: vscode.Disposable[] = [];
  /** Comparison and file → the model whose diff was opened last (the original's side speaks for it). */
  private readonly lastDiff = new Map<string, string>();

  /** The model a diff of this file shows, seen from either side. */
  modelOf(p: { c: Comparison; model: string; file: string }): string | undefined {
    return p.model === ORIGINAL ? this.lastDiff.get(`${p.c.id}\0${p.file}`) : p.model;
  }

  /** The comparison whose entries are in the Problems panel. */
  private shown: Comparison | undefined;

  constructor(private readonly store: ComparisonStore) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this),
      vscode.window.onDidChangeVisibleTextEditors((editors) => this.decorate(editors)),
      // Edits to the target or to a file the models may change move the lines the entries point at.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.shown && (e.document.uri.toString() === this.shown.uri.toString() || this.diagnostics.has(e.document.uri))) this.showDiagnostics(this.shown);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        const w = this.watching.get(d.uri.toString());
        w?.dispose();
        this.watching.delete(d.uri.toString());
      }),
      this.diagnostics,
      this.decoration,
      this.supportDecoration,
      this.contentChanged,
    );
  }

  /**
   * The path is the file's own (so a tab or a Problems group reads `price.ts  src`); which
   * comparison, model and file it is goes in the query.
   */
  static uriFor(c: Comparison, model: string | typeof ORIGINAL, file = c.task.file): vscode.Uri {
    const query = new URLSearchParams({ c: c.id, m: model, f: file }).toString();
    return vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${file.replace(/^\/+/, '')}`, query });
  }

  /** The comparison, model (or `~original`) and file a result document shows; `stream` for an answer preview. */
  parse(uri: vscode.Uri): { c: Comparison; model: string; file: string; stream: boolean } | undefined {
    if (uri.scheme !== RESULT_SCHEME) return undefined;
    const q = new URLSearchParams(uri.query);
    const [id, model, file] = [q.get('c'), q.get('m'), q.get('f')];
    const c = id ? this.store.get(id) : undefined;
    return c && model && file ? { c, model, file, stream: q.get('k') === STREAM } : undefined;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const p = this.parse(uri);
    if (!p) return '';
    if (p.stream) return p.c.run(p.model)?.streamed ?? '';
    if (p.model === ORIGINAL) return originalOf(p.c, p.file);
    return fileOf(p.c, p.model, p.file)?.edited ?? '';
  }

  /**
   * A model's answer as it arrives, read-only, kept up to date while it streams (at most ten
   * times a second) and, once stopped or broken off, holding what had arrived.
   */
  async openAnswer(c: Comparison, model: string): Promise<void> {
    const query = new URLSearchParams({ c: c.id, m: model, f: c.task.file, k: STREAM }).toString();
    const uri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${model.replace(/[^\w.-]+/g, '-')} answer.md`, query });
    const key = uri.toString();
    if (!this.watching.has(key)) {
      let pending: ReturnType<typeof setTimeout> | undefined;
      const sub = c.onDidStream((m) => {
        if (m !== model || pending) return;
        pending = setTimeout(() => {
          pending = undefined;
          this.contentChanged.fire(uri);
        }, 100);
      });
      this.watching.set(key, { dispose: () => (clearTimeout(pending), sub.dispose()) });
    }
    const column = columnBeside(c);
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'markdown') await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(uri, { preview: true, viewColumn: column, preserveFocus: true });
    // The text may have moved on between the open and the first change event.
    this.contentChanged.fire(uri);
  }

  /** The Problems entries again, for the comparison shown: after a reject or an apply changes whose entries stand. */
  refreshDiagnostics(): void {
    if (this.shown) this.showDiagnostics(this.shown);
  }

  /**
   * The model's version of one file (the target by default) beside the original, always in
   * the column of the edited file (the first one when it is not open), so the panel beside it
   * stays in view and every diff opens in the same place.
   */
  async open(c: Comparison, model: string, file = c.task.file): Promise<void> {
    this.lastDiff.set(`${c.id}\0${file}`, model);
    const left = DiffView.uriFor(c, ORIGINAL, file);
    const right = DiffView.uriFor(c, model, file);
    const name = path.posix.basename(file);
    const column = columnBeside(c);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: original ↔ ${model}`, { preview: true, viewColumn: column });
  }

  /**
   * Problems-panel entries for every model's out-of-scope hunks and style findings, file by
   * file, on the real files at their own line numbers: the message, the location and what
   * opens on a click all speak of the same lines. A file's entries go once it no longer holds
   * the text the models were given (their lines would point elsewhere), and come back if an
   * undo restores it.
   */
  showDiagnostics(c: Comparison): void {
    this.shown = c;
    this.diagnostics.clear();
    this.decorate(vscode.window.visibleTextEditors);
    const byFile = new Map<string, { uri: vscode.Uri; items: vscode.Diagnostic[] }>();
    // A rejected answer has nothing more to say, nor has any once one is in the file.
    const settled = c.runs.some((r) => isApplied(r.verdict ?? undefined));
    for (const r of c.runs) {
      if (!r.result?.ok || settled || r.verdict === 'none') continue;
      const files = r.result.files;
      for (const f of files) {
        // A file the model made up has no lines in the workspace: its entries go on the model's version of it.
        const uri = !f.exists ? DiffView.uriFor(c, r.model, f.file) : f.file === c.task.file ? c.uri : resultFileUri(f.file, c);
        const doc = f.exists && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (doc && doc.getText() !== originalOf(c, f.file)) continue;
        const entry = byFile.get(uri.toString()) ?? { uri, items: [] };
        entry.items.push(...diagnosticsOf(r.model, f.analysis, f.exists ? 'original' : 'edited'));
        byFile.set(uri.toString(), entry);
      }
    }
    this.diagnostics.set([...byFile.values()].map((e) => [e.uri, e.items]));
  }

  clearDiagnostics(): void {
    this.shown = undefined;
    this.diagnostics.clear();
  }

  private decorate(editors: readonly vscode.TextEditor[]): void {
    for (const editor of editors) {
      if (editor.document.uri.scheme !== RESULT_SCHEME) continue;
      const p = this.parse(editor.document.uri);
      if (!p) continue;
      const options: vscode.DecorationOptions[] = [];
      const supporting: vscode.DecorationOptions[] = [];
      const into = (h: Hunk) => (h.scope === 'out' ? options : h.scope === 'supporting' ? supporting : null);
      if (p.model === ORIGINAL) {
        // Deletions have no lines on the model's side: mark what they removed on the original's.
        for (const r of p.c.runs) {
          for (const h of fileOf(p.c, r.model, p.file)?.analysis.hunks ?? []) {
            if (h.editedLines === 0) into(h)?.push({ range: new vscode.Range(h.originalStart - 1, 0, h.originalStart + h.originalLines - 2, 0), hoverMessage: hover(h, r.model) });
          }
        }
      } else if (!p.stream) {
        for (const h of fileOf(p.c, p.model, p.file)?.analysis.hunks ?? []) {
          if (h.editedLines > 0) into(h)?.push({ range: editedRange(h), hoverMessage: hover(h, p.model) });
        }
      }
      editor.setDecorations(this.decoration, options);
      editor.setDecorations(this.supportDecoration, supporting);
    }
  }

  dispose(): void {
    for (const w of this.watching.values()) w.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * Where a diff or an answer opens: the edited file's column, or else the first group not showing
 * the comparison panel (a diff put in the panel's group would hide the cards it was opened
 * from), or a new group beside it.
 */
function columnBeside(c: Comparison): vscode.ViewColumn {
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === c.uri.toString() && e.viewColumn !== undefined)?.viewColumn;
  if (shown) return shown;
  const isPanel = (t: vscode.Tab | undefined) => t?.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('editscope.comparison');
  const free = vscode.window.tabGroups.all.find((g) => !isPanel(g.activeTab));
  if (free) return free.viewColumn;
  const panel = vscode.window.tabGroups.all.find((g) => isPanel(g.activeTab));
  return panel ? panel.viewColumn + 1 : vscode.ViewColumn.One;
}

/** One file of a model's result: the target, an editable file, or another file it wrote to. */
function fileOf(c: Comparison, model: string, file: string): { edited: string; analysis: Analysis } | undefined {
  const res = c.run(model)?.result;
  if (!res?.ok) return undefined;
  if (file === c.task.file) return { edited: res.edited, analysis: res.analysis };
  return res.files.find((f) => f.file === file);
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

/** Entries at the original's lines, or at the model's for a file that has no original. */
function diagnosticsOf(model: string, a: Analysis, side: 'original' | 'edited'): vscode.Diagnostic[] {
  const items: vscode.Diagnostic[] = [];
  for (const h of a.hunks) {
    if (h.scope !== 'out') continue;
    // A placeholder stands for the lines it would delete, often most of the file: one line
    // says so, where a squiggle over all of them would bury the file.
    const lazy = placeholderOf(h, a);
    const range = side === 'original' ? originalRange(h) : editedRange(h);
    const shown = lazy && range.end.line > range.start.line ? new vscode.Range(range.start.line, 0, range.start.line, Number.MAX_SAFE_INTEGER) : range;
    const more = shown === range ? '' : ` (lines ${range.start.line + 1}–${range.end.line + 1}, which its placeholder comment would delete)`;
    const d = new vscode.Diagnostic(shown, `${model}: out of scope: ${h.reason}${more}`, vscode.DiagnosticSeverity.Warning);
    d.source = 'Edit Scope';
    d.code = 'out-of-scope';
    items.push(d);
  }
  for (const f of a.styleDrift) {
    // A finding about a deleted line names the original line itself; point there.
    const named = /\(original line (\d+)\)/.exec(f.message);
    const line = side === 'edited' ? f.line : named ? Number(named[1]) : originalLineOf(f.line, a.hunks);
    const theirs = line === f.line ? '' : ` (line ${f.line} of its version)`;
    const d = new vscode.Diagnostic(new vscode.Range(line - 1, 0, line - 1, Number.MAX_SAFE_INTEGER), `${model}: style drift: ${f.message}${theirs}`, vscode.DiagnosticSeverity.Information);
    d.source = 'Edit Scope';
    d.code = f.rule;
    items.push(d);
  }
  return items;
}

/** The original lines a hunk changes; an insertion points at the line it follows (or the first line). */
function originalRange(h: Hunk): vscode.Range {
  if (h.originalLines === 0) {
    const line = Math.max(h.originalStart - 1, 0);
    return new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER);
  }
  return new vscode.Range(h.originalStart - 1, 0, h.originalStart + h.originalLines - 2, Number.MAX_SAFE_INTEGER);
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
  md.appendMarkdown(h.scope === 'supporting' ? '**Edit Scope: supporting** (' : '**Edit Scope: out of scope** (');
  md.appendText(model);
  md.appendMarkdown(')\n\n');
  // Reasons come from the engine but describe model output: text, never markdown.
  md.appendText(h.scope === 'supporting' ? `Outside the selection, but the change needs it, so Apply In-Scope Only keeps it: ${supportingWhy(h)}` : h.reason);
  return md;
}
