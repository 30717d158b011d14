import { analyze } from '../analysis/analyze';
import type { EditFormat } from '../prompt/build';
import { editedFromAnswer } from '../prompt/answer';
import { filesFromAnswer } from '../prompt/multiFile';
import { markSupporting, type TaskFile } from '../relevance/supporting';
import { splitLines } from '../text/lines';
import { gradeReference } from './grade';
import type { EvalSetTask } from './evalSetTask';

/**
 * What a grader reads of an exported task: the fields of an RFT line (`item.<field>`) and of
 * a promptfoo test's vars. The window is all the grader knows of the target file.
 */
export interface GradeItem {
  format: EditFormat;
  /** The target, workspace-relative. */
  file: string;
  /** The lines of the target sent to the model. */
  window_text: string;
  /** The selection, 1-based lines of the window. */
  selection_start: number;
  selection_end: number;
  /** The window as the person accepted it; absent when nobody did (scope is then all there is). */
  reference?: string;
  /** A multi-file task: its target, then the files it may change. */
  files?: string[];
  /**
   * A multi-file task's editable files: their text as sent, the lines the model may change
   * (1-based, inclusive; absent: all of it) and what each must hold afterwards (its accepted
   * edit, or its own text when the accepted edit left it unchanged).
   */
  edit_files?: Array<{ path: string; text: string; start?: number; end?: number; reference?: string }>;
}

/**
 * The grading fields of a task: its window and selection (1-based lines of the window), the
 * accepted edit when there is one, and for a multi-file task each editable file with what it
 * must hold: its accepted edit, or its own text when the accepted edit left it unchanged
 * (so an answer that wipes it is graded as the damage it is).
 */
export function gradeItemOf(t: EvalSetTask): GradeItem {
  const first = t.ranges[0];
  const item: GradeItem = {
    format: t.prompt.format,
    file: t.file,
    window_text: t.windowText,
    selection_start: first.start - t.window.start + 1,
    selection_end: Math.min(first.end, t.window.end) - t.window.start + 1,
  };
  if (t.reference) item.reference = t.reference.output;
  if (t.editFiles?.length) {
    item.files = [t.file, ...t.editFiles.map((f) => f.path)];
    item.edit_files = t.editFiles.map((f) => ({
      path: f.path,
      text: f.text,
      ...(f.range ? { start: f.range.start, end: f.range.end } : {}),
      ...(t.reference ? { reference: f.reference ?? f.text } : {}),
    }));
  }
  return item;
}

export interface ItemGrade {
  /** Whether the answer holds an edit Edit Scope would apply. */
  usable: boolean;
  /** 1 when no file changed outside what the task allows, else 0 (0 when unusable). */
  scope: number;
  /** Per file with a reference (the target first): 1 for a normalised exact match, else the line similarity. */
  references: Array<{ file: string; score: number }>;
  /** The mean of scope and every reference: what replay's score is less style and tests. */
  score: number;
  /** Why, in words, when the answer is unusable or a file it may not change was written. */
  reason: string;
  /** The window as the answer leaves it, or null when unusable. */
  edited: string | null;
}

/**
 * Grades an answer to an item exactly as `editscope replay` grades a model's answer: read by
 * Edit Scope's own rules (src/core/prompt/), scope from the analysis's out-of-scope hunks in
 * every file once relevance has marked the ones the change needs as supporting (any change
 * to a file the task does not allow is out of scope), and every file
 * that has one held against its reference. This is the code the promptfoo assertions run
 * (bundled by esbuild into assertion.iife); the RFT grader is its Python copy.
 */
export function gradeItem(item: GradeItem, answer: string, finishReason: string | null = 'stop'): ItemGrade {
  const window = item.window_text;
  const lines = Math.max(1, splitLines(window).lines.length);
  const selection = { start: item.selection_start, end: item.selection_end };
  const none = (reason: string): ItemGrade => ({ usable: false, scope: 0, references: [], score: 0, reason, edited: null });
  const multi = Array.isArray(item.files) || Array.isArray(item.edit_files);
  const files: Array<{ file: string; role: TaskFile['role']; original: string; edited: string; ranges: Array<{ start: number; end: number }>; reference?: string }> = [];
  if (!multi) {
    const r = editedFromAnswer(window, { start: 1, end: lines }, item.format, answer, finishReason, item.file, selection);
    if (!r.ok) return none(r.error.message);
    files.push({ file: item.file, role: 'target', original: window, edited: r.edited, ranges: [selection], reference: item.reference });
  } else {
    const editFiles = (item.edit_files ?? []).map((f) => ({ path: f.path, text: f.text, range: f.start === undefined ? null : { start: f.start, end: f.end ?? f.start } }));
    const r = filesFromAnswer({ target: { path: item.file, original: window, window: { start: 1, end: lines } }, editFiles, readOther: () => null }, item.format, answer, finishReason);
    if (!r.ok) return none(r.error.message);
    for (const f of r.files) {
      const e = f.role === 'edit' ? editFiles.find((x) => x.path === f.path)! : null;
      const ref = f.role === 'target' ? item.reference : f.role === 'edit' ? item.edit_files!.find((x) => x.path === f.path)!.reference : undefined;
      files.push({ file: f.path, role: f.role, original: f.original, edited: f.edited, ranges: f.role === 'target' ? [selection] : e?.range ? [e.range] : [], reference: ref });
    }
  }
  // Every file the task lets the model change is analysed, unchanged ones too, and read for
  // supporting hunks together, as replay reads a model's answer (runModels).
  const analysed = files.filter((f) => f.role !== 'other').map((f): TaskFile => ({ file: f.file, role: f.role, original: f.original, edited: f.edited, analysis: analyze(f.original, f.edited, { fileName: f.file, ranges: f.ranges }) }));
  markSupporting(analysed);
  let outside = 0;
  const foreign: string[] = [];
  const where: string[] = [];
  for (const f of files) {
    if (f.edited === f.original) continue;
    if (f.role === 'other') {
      foreign.push(f.file);
      continue;
    }
    const out = analysed.find((a) => a.file === f.file)!.analysis.hunks.filter((h) => h.scope === 'out');
    outside += out.length;
    if (!out.length) continue;
    if (f !== files[0]) where.push(`${f.file} changed outside the lines it may change`);
    else {
      // An insertion's originalStart is the line before it.
      const before = out.some((h) => (h.originalLines > 0 ? h.originalStart : h.originalStart + 1) < selection.start);
      const after = out.some((h) => (h.originalLines > 0 ? h.originalStart : h.originalStart + 1) > selection.end);
      where.unshift(`Lines outside the selection changed (${before && after ? 'before and after it' : before ? 'before it' : 'after it'})`);
    }
  }
  const scope = outside === 0 && !foreign.length ? 1 : 0;
  const references = files.filter((f) => f.reference !== undefined).map((f) => {
    const g = gradeReference(f.edited, f.reference!);
    return { file: f.file, score: g.exact ? 1 : g.similarity };
  });
  const parts = [scope, ...references.map((r) => r.score)];
  const reason = foreign.length
    ? `Changes ${foreign.join(', ')}, ${foreign.length === 1 ? 'a file' : 'files'} the task did not let it change`
    : scope
      ? multi
        ? 'Only what the task allows changed'
        : 'Only the selected lines changed'
      : where.join('; ');
  return { usable: true, scope, references, score: parts.reduce((a, b) => a + b, 0) / parts.length, reason, edited: files[0].edited };
}
