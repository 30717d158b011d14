import { inScopeApplicable, type Finding } from '../analysis/apply';
import type { Hunk } from '../analysis/analysisTypes';
import type { Accepted, HunkVerdict } from './records';

/** One file of a result as far as a verdict on its hunks needs it. */
export interface ReviewedFile {
  file: string;
  analysis: { hunks: readonly Hunk[]; styleDrift: readonly Finding[] };
}

/** The per-hunk record of a review: each file's hunks with the tick the person left on each. */
export function hunkVerdicts(files: readonly ReviewedFile[], picks: ReadonlyArray<readonly boolean[]>): HunkVerdict[] {
  return files.flatMap((f, i) =>
    f.analysis.hunks.map((h, j) => ({ file: f.file, originalStart: h.originalStart, originalLines: h.originalLines, editedStart: h.editedStart, editedLines: h.editedLines, scope: h.scope, accepted: !!picks[i]?.[j] })),
  );
}

/**
 * The verdict a set of picks amounts to: `all` when every hunk is ticked, `in-scope` when
 * exactly those Apply In-Scope Only writes are, `none` when none is, else `picked`. Naming the
 * common cases by their old names keeps reports and exports comparing like with like.
 */
export function verdictOfPicks(files: readonly ReviewedFile[], picks: ReadonlyArray<readonly boolean[]>): Accepted {
  const all = files.every((f, i) => f.analysis.hunks.every((_, j) => picks[i]?.[j]));
  if (all) return 'all';
  const any = files.some((f, i) => f.analysis.hunks.some((_, j) => picks[i]?.[j]));
  if (!any) return 'none';
  const inScope = files.every((f, i) => {
    const keep = inScopeApplicable(f.analysis);
    return f.analysis.hunks.every((h, j) => keep(h) === !!picks[i]?.[j]);
  });
  return inScope ? 'in-scope' : 'picked';
}

/**
 * Whether a verdict kept a file's hunk. A verdict with `hunks` says so itself (a hunk it does
 * not list was not accepted); an older one is read by its `accepted`: `all` kept every hunk,
 * `in-scope` those Apply In-Scope Only writes, anything else none.
 */
export function keptHunk(v: { accepted: Accepted; hunks?: readonly HunkVerdict[] }, file: string, a: ReviewedFile['analysis']): (h: Hunk) => boolean {
  if (v.hunks) {
    const mine = v.hunks.filter((x) => x.file === file);
    return (h) => mine.some((x) => x.accepted && x.originalStart === h.originalStart && x.originalLines === h.originalLines && x.editedStart === h.editedStart && x.editedLines === h.editedLines);
  }
  if (v.accepted === 'all') return () => true;
  if (v.accepted === 'in-scope') return inScopeApplicable(a);
  return () => false;
}
