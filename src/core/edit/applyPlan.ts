import { applyHunks, initialPicks, lazyAnswer } from '../analysis/apply';
import type { FileResult } from '../task/editTask';

/** What to write of an answer: all of it, its in-scope hunks, or the hunks ticked in review. */
export type ApplyHow = 'all' | 'in-scope' | 'picked';

/** One file the answer may write, and its text once the chosen hunks are applied. */
export interface PlannedFile {
  file: string;
  role: 'target' | 'edit';
  original: string;
  text: string;
}

export type ApplyPlan =
  | {
      ok: true;
      /** Every file the task let the model change, in the answer's order, whether or not its text changes. */
      files: PlannedFile[];
      /** The ticks the write amounts to, one row per file of the answer (an `other` file is never ticked). */
      picks: boolean[][];
      /** Set when the answer is lazy but only its in-scope or picked hunks are written: what was left out. */
      lazy: ReturnType<typeof lazyAnswer>;
      /** Files the answer changed that the task did not let it change: never written. */
      notWritten: string[];
    }
  | { ok: false; lazy: NonNullable<ReturnType<typeof lazyAnswer>> };

/**
 * The rules for what an apply may write, shared by the editor and the CLI so the two never
 * disagree: a lazy answer (placeholders, fragments) is never written whole, since that would
 * delete code the model never meant to; otherwise each writable file gets the hunks chosen.
 * `picked` is the review's ticks, read only for `how === 'picked'`.
 */
export function planApply(files: readonly FileResult[], how: ApplyHow, picked: ReadonlyArray<readonly boolean[]> = []): ApplyPlan {
  const lazy = lazyAnswer(files);
  if (how === 'all' && lazy) return { ok: false, lazy };
  const picks = how === 'picked' ? files.map((f, i) => f.analysis.hunks.map((_, j) => !!picked[i]?.[j])) : picksFor(files, how);
  const planned: PlannedFile[] = [];
  for (const [i, f] of files.entries()) {
    if (f.role === 'other') continue;
    const text = how === 'all' ? f.edited : applyHunks(f.original, f.edited, f.analysis.hunks, (_, j) => picks[i][j]);
    planned.push({ file: f.file, role: f.role, original: f.original, text });
  }
  const notWritten = files.filter((f) => f.role === 'other' && f.edited !== f.original).map((f) => f.file);
  return { ok: true, files: planned, picks, lazy, notWritten };
}

/** The ticks Apply All or Apply In-Scope Only amounts to; a file never written is never ticked. */
export function picksFor(files: readonly FileResult[], how: 'all' | 'in-scope' | 'none'): boolean[][] {
  return files.map((f) => (f.role === 'other' || how === 'none' ? f.analysis.hunks.map(() => false) : how === 'all' ? f.analysis.hunks.map(() => true) : initialPicks(f.analysis)));
}
