import { diffArrays } from 'diff';
import { splitLines } from '../text/lines';

/**
 * The lines an apply changed: original lines [start, originalEnd] became applied lines
 * [start, appliedEnd] (1-based, inclusive; an end of start - 1 is no lines, i.e. an
 * insertion or a deletion). Lines before and after are the same on both sides.
 */
export interface ChangedLines {
  start: number;
  originalEnd: number;
  appliedEnd: number;
}

export function changedLines(original: string, applied: string): ChangedLines {
  const a = splitLines(original);
  const b = splitLines(applied);
  const same = (i: number, j: number) => a.line(i) === b.line(j) && a.eol(i) === b.eol(j);
  let p = 0;
  while (p < a.count && p < b.count && same(p, p)) p++;
  let s = 0;
  while (s < a.count - p && s < b.count - p && same(a.count - 1 - s, b.count - 1 - s)) s++;
  return { start: p + 1, originalEnd: a.count - s, appliedEnd: b.count - s };
}

/** 1-based inclusive lines [start, end] of a text as one string, terminators kept (end < start: ''). */
export function linesOf(text: string, start: number, end: number): string {
  if (end < start) return '';
  const t = splitLines(text);
  return text.slice(t.starts[start - 1], t.starts[Math.min(end, t.count)]);
}

export interface Retention {
  /** Lines the apply added plus lines it removed. */
  appliedLines: number;
  /** Of those: added lines still there, removed lines still gone. */
  keptLines: number;
  /** keptLines / appliedLines, or null when the apply changed no line. */
  kept: number | null;
}

/**
 * How much of an applied change is still there. The region's lines before the apply, just
 * after it and now are compared as line sequences (trailing whitespace ignored, so
 * re-indenting a line's end or a formatter's trimming does not count as undoing it).
 */
export function measureRetention(originalRegion: string, appliedRegion: string, currentRegion: string): Retention {
  const a = regionLines(originalRegion);
  const b = regionLines(appliedRegion);
  const c = regionLines(currentRegion);
  const added = unmatched(b, a);
  const removed = unmatched(a, b);
  const stillThere = matched(b, c);
  const back = matched(a, c);
  let keptLines = 0;
  for (const i of added) if (stillThere.has(i)) keptLines++;
  for (const i of removed) if (!back.has(i)) keptLines++;
  const appliedLines = added.length + removed.length;
  return { appliedLines, keptLines, kept: appliedLines ? keptLines / appliedLines : null };
}

function regionLines(text: string): string[] {
  return splitLines(text).lines.map((l) => l.replace(/\s+$/, ''));
}

/** Indexes of `x` that a longest common subsequence with `y` keeps. */
function matched(x: string[], y: string[]): Set<number> {
  const out = new Set<number>();
  let i = 0;
  for (const part of diffArrays(x, y)) {
    if (part.added) continue;
    if (!part.removed) for (let k = 0; k < part.value.length; k++) out.add(i + k);
    i += part.value.length;
  }
  return out;
}

function unmatched(x: string[], y: string[]): number[] {
  const keep = matched(x, y);
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (!keep.has(i)) out.push(i);
  return out;
}

/**
 * Where an applied window's changed lines are in a file edited since, found by the
 * original lines around them (for `editscope verdict --kept`, when the edit happened
 * outside the editor): the region's text in `current`, or null when the lines around it
 * can no longer be found there.
 */
export function keptRegionText(windowText: string, applied: string, current: string): { text: string; region: ChangedLines } | null {
  const region = changedLines(windowText, applied);
  const a = regionLines(windowText);
  const c = regionLines(current);
  // Line pairs the original window and the current file share, in order.
  let before = -1;
  let after = -1;
  let i = 0;
  let j = 0;
  for (const part of diffArrays(a, c)) {
    const n = part.value.length;
    if (part.added) j += n;
    else if (part.removed) i += n;
    else {
      for (let k = 0; k < n; k++) {
        const line = i + k + 1;
        if (line < region.start) before = j + k;
        else if (line > region.originalEnd && after < 0) after = j + k;
      }
      i += n;
      j += n;
    }
  }
  const hasBefore = region.start === 1 || before >= 0;
  const hasAfter = region.originalEnd === a.length || after >= 0;
  if (!hasBefore || !hasAfter) return null;
  // With no line before the region in the window, the region starts where the window does.
  const from = before >= 0 ? before + 1 : 0;
  const to = after >= 0 ? after : c.length;
  if (to < from) return null;
  return { text: linesOf(current, from + 1, to), region };
}
