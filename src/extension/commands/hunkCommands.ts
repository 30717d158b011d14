import * as vscode from 'vscode';
import type { Services } from '../services';
import type { HunkArgs } from '../hunkReview';
import { comparisonAction, type ActionOutcome } from './comparisonActions';

/** What a review command leaves: the model's ticks per file, for tests and scripts. */
export interface PickOutcome {
  model: string;
  file: string;
  picks: boolean[][];
}

/** Next (or previous) hunk of the diff in the active editor, wrapping round at the ends. */
export function goToHunk(s: Services, direction: 1 | -1): number | undefined {
  const t = s.review.target(undefined);
  if (!t?.editor) {
    void vscode.window.showInformationMessage('Edit Scope: open the diff of a model\'s answer (View Diff) to move between its hunks.');
    return undefined;
  }
  const hunks = s.review.hunksOf(t.c, t.model, t.file);
  if (!hunks.length) return undefined;
  const p = s.diff.parse(t.editor.document.uri);
  const original = !!p && p.model !== t.model;
  const line = t.editor.selection.active.line + 1;
  const starts = hunks.map((h) => Math.max(original ? h.originalStart : h.editedStart, 1));
  const index = direction === 1 ? starts.findIndex((x) => x > line) : starts.map((x, i) => (x < line ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
  const to = index >= 0 ? index : direction === 1 ? 0 : hunks.length - 1;
  s.review.reveal(t.editor, t.c, t.model, t.file, to);
  return to;
}

/**
 * Ticks (accept) or unticks (reject) a hunk for Apply Picked: the one given, or the one at the
 * cursor, which then moves on to the next hunk so a review is a run of key presses.
 */
export function pickHunk(s: Services, rawArgs: unknown, accepted: boolean): PickOutcome | undefined {
  const t = s.review.target(asArgs(rawArgs));
  if (!t) {
    void vscode.window.showInformationMessage('Edit Scope: open the diff of a model\'s answer (View Diff) to accept or reject its hunks.');
    return undefined;
  }
  const run = t.c.run(t.model);
  if (!run?.picks) throw new Error(`${t.model} has no hunks to review`);
  if (run.verdict !== null && run.verdict !== 'reverted') {
    void vscode.window.showInformationMessage(`Edit Scope: ${t.model}'s answer has been ${run.verdict === 'none' ? 'rejected' : 'applied'} already; undo the apply to review it again.`);
    return { model: t.model, file: t.file, picks: run.picks };
  }
  t.c.pick(t.model, t.file, t.hunk === 'all' ? 'all' : [t.hunk], accepted);
  if (t.editor && t.hunk !== 'all') {
    const count = s.review.hunksOf(t.c, t.model, t.file).length;
    if (t.hunk + 1 < count) s.review.reveal(t.editor, t.c, t.model, t.file, t.hunk + 1);
  }
  return { model: t.model, file: t.file, picks: run.picks };
}

/** Writes the ticked hunks of the answer in the active diff (or the one named). */
export async function applyPickedHunks(s: Services, rawArgs: unknown): Promise<ActionOutcome | undefined> {
  const t = s.review.target(asArgs(rawArgs));
  if (!t) {
    void vscode.window.showInformationMessage('Edit Scope: open the diff of a model\'s answer (View Diff) to apply the hunks picked in it.');
    return undefined;
  }
  return comparisonAction(s, t.c, 'applyPicked', t.model);
}

function asArgs(raw: unknown): HunkArgs | undefined {
  if (!raw || typeof raw !== 'object' || raw instanceof vscode.Uri) return undefined;
  const a = raw as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const hunk = a.hunk === 'all' || (typeof a.hunk === 'number' && Number.isInteger(a.hunk)) ? (a.hunk as number | 'all') : undefined;
  return { comparison: str(a.comparison), model: str(a.model), file: str(a.file), hunk };
}
