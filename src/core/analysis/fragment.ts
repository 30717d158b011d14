import type { Hunk, LineRange, StyleFinding } from './analysisTypes';
import type { SplitText } from '../text/lines';

/**
 * Fragments: an answer that holds only part of the text it was asked for (one method of a
 * whole file, one class of three) and, written, deletes the rest. A lazy answer, as a
 * placeholder comment is one, found by what it drops rather than by what it says.
 *
 * The answer drops a selected line when a hunk removes it and puts nothing in its place:
 * each hunk counts the non-blank selected lines it removes less twice the non-blank lines it
 * brings (so code rewritten shorter, ten repeated calls folded into a loop, is no drop). When
 * that adds up to more than half the selection's non-blank lines, and at least MIN_DROPPED,
 * and the instruction asks for no deletion, each dropping hunk is a `fragment` finding.
 */
const MIN_DROPPED = 5;

/**
 * Instructions that ask for lines to go: deleting, stripping, keeping only some, moving code
 * out. A fragment answer to one of these is the person's to judge. Words that ask for a
 * change in place (replace, refactor, rewrite, simplify) are not among them: a lazy model
 * answers those with the one function it changed as often as any other.
 */
const ASKS_FOR_DELETION =
  /\b(?:delet|remov|drop|strip|eliminat|get rid|rid of|erase|purg|discard|omit|exclud|prun|trim|cut\b|shorten|condens|dedup|de-dup|deduplicat|consolidat|merg|collaps|inlin|extract|mov(?:e|ing)\b|split|comment(?:ed)? out|wipe|truncat|only keep|keep only|leave only|just keep|unused|dead code|no longer needed|obsolete)/i;

export function asksForDeletion(instruction: string): boolean {
  return ASKS_FOR_DELETION.test(instruction);
}

export function fragmentFindings(orig: SplitText, edit: SplitText, hunks: readonly Hunk[], regions: readonly LineRange[], instruction: string | undefined): StyleFinding[] {
  if (instruction !== undefined && asksForDeletion(instruction)) return [];
  const all = regions.length ? regions : [{ start: 1, end: orig.count }];
  const selected = (line: number) => all.some((r) => line >= r.start && line <= r.end);
  const nonBlank = (t: SplitText, i: number) => t.line(i).trim() !== '';
  let total = 0;
  for (const r of all) for (let l = r.start; l <= Math.min(r.end, orig.count); l++) if (nonBlank(orig, l - 1)) total++;
  const dropping: Array<{ h: Hunk; dropped: number }> = [];
  let dropped = 0;
  for (const h of hunks) {
    if (h.originalLines === 0) continue;
    let removed = 0;
    for (let l = h.originalStart; l < h.originalStart + h.originalLines; l++) if (selected(l) && nonBlank(orig, l - 1)) removed++;
    let brought = 0;
    for (let k = h.editedStart; k < h.editedStart + h.editedLines; k++) if (nonBlank(edit, k - 1)) brought++;
    const d = removed - 2 * brought;
    if (d > 0) {
      dropping.push({ h, dropped: d });
      dropped += d;
    }
  }
  if (dropped < MIN_DROPPED || dropped * 2 <= total) return [];
  const asked = instruction === undefined ? 'nothing says deletion was asked for' : 'the instruction asks for no deletion';
  return dropping.map(({ h }) => {
    const last = h.originalStart + h.originalLines - 1;
    const lines = h.originalLines === 1 ? `line ${h.originalStart}` : `lines ${h.originalStart}-${last}`;
    return {
      rule: 'fragment' as const,
      // The edited line where the dropped lines stood (the one after them; the last line when they ended the text).
      line: Math.max(1, Math.min(h.editedLines > 0 ? h.editedStart : h.editedStart + 1, edit.count)),
      message: `Original ${lines} are gone: the edit drops ${dropped} of the ${total} selected lines and ${asked}, so it looks like only part of the text (a lazy answer); applied as is, it deletes them`,
      replaces: { originalStart: h.originalStart, originalLines: h.originalLines },
    };
  });
}
