import * as vscode from 'vscode';
import type { Hunk } from '../core/analysis/analysisTypes';
import { placeholderOf } from '../core/analysis/apply';
import { reviewFiles, type Comparison, type ComparisonStore } from './comparison';
import type { DiffView } from './diffView';
import { RESULT_SCHEME } from './diffView';
import { plural } from '../core/text/plural';

/** Which hunk of which model's file a review command is about. */
export interface HunkTarget {
  c: Comparison;
  model: string;
  file: string;
  /** The hunk's index among the file's hunks. */
  hunk: number;
}

/** Arguments a CodeLens, a test or a script passes instead of the cursor's place. */
export interface HunkArgs {
  comparison?: string;
  model?: string;
  file?: string;
  /** A hunk's index, or `all`. */
  hunk?: number | 'all';
}

/** The commands a hover's links may run: the review's own, nothing else. */
const HOVER_COMMANDS = ['editscope.acceptHunk', 'editscope.rejectHunk', 'editscope.applyPickedHunks'];

/**
 * Per-hunk review in the diff of a model's answer. Every hunk's hover says whether Apply
 * Picked will write it, with links to accept or reject it; the same commands work from the
 * keyboard at the cursor and from the diff's title bar. Where the person has CodeLens on in
 * diff views (`diffEditor.codeLens`, theirs to choose: it is off by default and applies to
 * every diff), a CodeLens on each hunk says and toggles the same, and one above the file
 * applies the picks. Ticks start as Apply In-Scope Only's: in scope ticked, out of scope not.
 */
export class HunkReview implements vscode.CodeLensProvider, vscode.HoverProvider, vscode.Disposable {
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly followed = new Map<string, vscode.Disposable>();
  private readonly registrations: vscode.Disposable[];

  constructor(
    private readonly store: ComparisonStore,
    private readonly diff: DiffView,
  ) {
    this.registrations = [
      vscode.languages.registerCodeLensProvider({ scheme: RESULT_SCHEME }, this),
      vscode.languages.registerHoverProvider({ scheme: RESULT_SCHEME }, this),
    ];
  }

  /**
   * On either side of the diff, over a hunk: where it stands and links to accept or reject it.
   * The links carry the hunk itself, so they act on it wherever the cursor is.
   */
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const p = this.diff.parse(doc.uri);
    const model = p && !p.stream ? this.diff.modelOf(p) : undefined;
    if (!p || !model) return undefined;
    const run = p.c.run(model);
    const files = run?.result ? reviewFiles(run.result) : [];
    const i = files.findIndex((f) => f.file === p.file);
    if (!run?.picks || i < 0 || files[i].role === 'other') return undefined;
    const hunks = files[i].analysis.hunks;
    const original = p.model !== model;
    const line = pos.line + 1;
    // A hunk with no lines on this side (an insertion seen from the original, a deletion from the model's) is at the line it follows.
    const span = (h: Hunk): [number, number] => {
      const [start, n] = original ? [h.originalStart, h.originalLines] : [h.editedStart, h.editedLines];
      return n > 0 ? [start, start + n - 1] : [Math.max(start, 1), Math.max(start, 1)];
    };
    const j = hunks.findIndex((h) => span(h)[0] <= line && line <= span(h)[1]);
    if (j < 0) return undefined;
    const h = hunks[j];
    const picks = run.picks[i];
    const open = run.verdict === null || run.verdict === 'reverted';
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: HOVER_COMMANDS };
    md.appendMarkdown(`**Edit Scope** · hunk ${j + 1} of ${hunks.length}: `);
    // Why a hunk is out of scope or supporting is the highlight's own hover, beside this one.
    md.appendMarkdown(`${picks[j] ? 'will apply' : 'left out'} · ${h.scope === 'out' ? 'out of scope' : h.scope === 'in' ? 'in scope' : h.scope}`);
    if (!open) md.appendText(` · ${model}'s answer has been ${run.verdict === 'none' ? 'rejected' : 'applied'}`);
    else {
      const args = { comparison: p.c.id, model, file: p.file, hunk: j } satisfies HunkArgs;
      // Brackets too: a file name's ")" would end the link.
      const query = (a: HunkArgs) => encodeURIComponent(JSON.stringify([a])).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
      const link = (label: string, command: string, a: HunkArgs, key: string) => `[${label}](command:${command}?${query(a)} "${key}")`;
      const key = process.platform === 'darwin' ? 'Cmd' : 'Ctrl';
      // The one that changes it: the line above says where it stands.
      const links = [picks[j] ? link('$(close) Reject hunk', 'editscope.rejectHunk', args, `${key}+Backspace at the cursor`) : link('$(check) Accept hunk', 'editscope.acceptHunk', args, `${key}+Enter at the cursor`)];
      const ticked = run.picks.reduce((n, row) => n + row.filter(Boolean).length, 0);
      if (ticked) links.push(link(`$(check-all) Apply ${ticked} picked`, 'editscope.applyPickedHunks', { comparison: p.c.id, model, file: p.file }, `${key}+Shift+Enter`));
      md.appendMarkdown(`\n\n${links.join(' &nbsp;·&nbsp; ')}`);
    }
    const [start, end] = span(h);
    return new vscode.Hover(md, new vscode.Range(start - 1, 0, end - 1, Number.MAX_SAFE_INTEGER));
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const p = this.diff.parse(doc.uri);
    if (!p || p.stream || p.model !== this.diff.modelOf(p)) return [];
    this.follow(p.c);
    const run = p.c.run(p.model);
    const files = run?.result ? reviewFiles(run.result) : [];
    const i = files.findIndex((f) => f.file === p.file);
    if (!run?.picks || i < 0) return [];
    const f = files[i];
    const picks = run.picks[i];
    const lens = (line: number, title: string, command = '', args?: HunkArgs, tooltip?: string) =>
      new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title, command, tooltip, arguments: args ? [args] : undefined });
    const base = { comparison: p.c.id, model: p.model, file: p.file };
    const ticked = run.picks.reduce((n, row) => n + row.filter(Boolean).length, 0);
    const total = run.picks.reduce((n, row) => n + row.length, 0);
    const lenses = [
      ticked
        ? lens(0, `$(check-all) Apply ${ticked} of ${plural(total, 'picked hunk')}`, 'editscope.applyPickedHunks', base, 'Write the ticked hunks into the file (Ctrl+Shift+Enter)')
        : lens(0, `No hunk picked: tick one to apply`),
      lens(0, 'Accept all', 'editscope.acceptHunk', { ...base, hunk: 'all' }),
      lens(0, 'Reject all', 'editscope.rejectHunk', { ...base, hunk: 'all' }),
    ];
    if (f.role === 'other') return [lens(0, `Never written: ${f.exists ? 'a file the task did not let the model change' : 'a file the model invented'}`)];
    // A settled answer offers no button that would do nothing: one line says why.
    if (run.verdict !== null && run.verdict !== 'reverted') {
      const what = run.verdict === 'picked' ? `${ticked} of ${plural(total, 'hunk')}` : run.verdict === 'all' ? 'all hunks' : 'the in-scope hunks';
      return [lens(0, run.verdict === 'none' ? '$(close) Rejected' : `$(check) Applied: ${what} · undo the apply in the file to review it again`)];
    }
    f.analysis.hunks.forEach((h, j) => {
      const line = Math.max(h.editedLines > 0 ? h.editedStart - 1 : h.editedStart - 1, 0);
      const scope = scopeText(h);
      const lazy = placeholderOf(h, f.analysis) ? ' · writes a placeholder over original lines' : '';
      if (picks[j]) {
        // The button first: a long reason is cut off at the editor's edge, never the button.
        lenses.push(lens(line, 'Reject', 'editscope.rejectHunk', { ...base, hunk: j }, 'Leave this hunk out (Ctrl+Backspace)'), lens(line, `$(pass-filled) Hunk ${j + 1} of ${picks.length}: will apply · ${scope}${lazy}`));
      } else {
        lenses.push(lens(line, 'Accept', 'editscope.acceptHunk', { ...base, hunk: j }, 'Apply this hunk too (Ctrl+Enter)'), lens(line, `$(circle-large-outline) Hunk ${j + 1} of ${picks.length}: left out · ${scope}${lazy}`));
      }
    });
    return lenses;
  }

  /** Redraws the lenses of a comparison whenever its ticks or verdicts change. */
  private follow(c: Comparison): void {
    if (this.followed.has(c.id)) return;
    this.followed.set(c.id, c.onDidChange(() => this.lensesChanged.fire()));
  }

  /**
   * The hunk a command is about: the one given, else the one under the cursor in the active
   * diff (or the next one below it, or the last), on whichever side the cursor is.
   */
  target(args: HunkArgs | undefined): (Omit<HunkTarget, 'hunk'> & { hunk: number | 'all'; editor?: vscode.TextEditor }) | undefined {
    if (args?.model) {
      const c = args.comparison ? this.store.get(args.comparison) : this.store.last;
      if (!c) return undefined;
      return { c, model: args.model, file: args.file ?? c.task.file, hunk: args.hunk ?? 0 };
    }
    const editor = vscode.window.activeTextEditor;
    const p = editor && this.diff.parse(editor.document.uri);
    const model = p && this.diff.modelOf(p);
    if (!editor || !p || !model || p.stream) return undefined;
    if (args?.hunk !== undefined) return { c: p.c, model, file: p.file, hunk: args.hunk, editor };
    const hunks = this.hunksOf(p.c, model, p.file);
    const line = editor.selection.active.line + 1;
    const original = p.model !== model;
    const first = (h: Hunk) => (original ? h.originalStart : h.editedStart);
    const last = (h: Hunk) => first(h) + Math.max((original ? h.originalLines : h.editedLines) - 1, 0);
    let at = hunks.findIndex((h) => line <= last(h));
    if (at < 0) at = hunks.length - 1;
    return { c: p.c, model, file: p.file, hunk: at, editor };
  }

  hunksOf(c: Comparison, model: string, file: string): Hunk[] {
    const res = c.run(model)?.result;
    return (res ? reviewFiles(res) : []).find((f) => f.file === file)?.analysis.hunks ?? [];
  }

  /** Puts the cursor on a hunk of the diff in the active editor, on the side the editor shows. */
  reveal(editor: vscode.TextEditor, c: Comparison, model: string, file: string, index: number): void {
    const h = this.hunksOf(c, model, file)[index];
    if (!h) return;
    const p = this.diff.parse(editor.document.uri);
    const original = !!p && p.model !== model;
    const line = Math.max((original ? h.originalStart : h.editedStart) - 1, 0);
    const pos = new vscode.Position(Math.min(line, editor.document.lineCount - 1), 0);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    for (const r of this.registrations) r.dispose();
    for (const d of this.followed.values()) d.dispose();
    this.lensesChanged.dispose();
  }
}

function scopeText(h: Hunk): string {
  return h.scope === 'out' ? `out of scope: ${h.reason}` : h.scope === 'in' ? 'in scope' : `${h.scope}: ${h.reason}`;
}
