import type { Hunk } from './analysisTypes';

/**
 * The original line an edited line stands for, so a finding about edited line N is listed on
 * the original line a person reads as N. Outside the hunks a line moves by what the hunks
 * before it added or removed; inside one it keeps its place within the hunk (the hunk's k-th
 * edited line is its k-th original line), and lines a hunk adds beyond the ones it replaced
 * stand at its last original line. An insertion (no original lines) stands at the line it
 * follows.
 */
export function originalLineOf(edited: number, hunks: readonly Hunk[]): number {
  let shift = 0;
  for (const h of hunks) {
    const end = h.editedStart + Math.max(h.editedLines, 1) - 1;
    if (h.editedLines > 0 && edited >= h.editedStart && edited <= end) {
      if (h.originalLines === 0) return Math.max(h.originalStart, 1);
      return Math.max(h.originalStart + Math.min(edited - h.editedStart, h.originalLines - 1), 1);
    }
    if (edited <= (h.editedLines > 0 ? end : h.editedStart)) break;
    shift += h.originalLines - h.editedLines;
  }
  return Math.max(edited + shift, 1);
}
