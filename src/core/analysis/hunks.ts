import { diffLinesNormalized, WalkRecord } from './fastDiff';
import type { ChangeBlock } from './anchoredDiff';
import { agreeingLines, leadingSpace, sameLineIgnoringSpace, sameNonSpace } from '../text/lineCompare';
import { normalizeLine, type SplitText } from '../text/lines';
import type { Hunk, LineRange } from './analysisTypes';
import { plural } from '../text/plural';

/**
 * A changed run, 0-based half-open on both sides: original lines [a0, a1) became edited
 * lines [b0, b1). Pieces are what hunks are made from after splitting at region edges.
 */
export interface Piece extends ChangeBlock {
  whitespaceOnly: boolean;
}

/**
 * Aligns the two texts on normalised lines (whitespace folded), so a re-indent or a
 * line-ending change costs no more than an unchanged file, then walks the aligned pairs to
 * find what the normalisation hid: lines that differ only in whitespace or terminator.
 * Returns maximal changed runs (adjacent changes merged, as unified diffs do).
 */
export function changedRuns(orig: SplitText, edit: SplitText, regions: LineRange[] = []): Piece[] {
  const walk = new WalkRecord(orig.count);
  const blocks = slideToRawMatches(diffLinesNormalized(orig, edit, walk), orig, edit, regions);
  const runs: Piece[] = [];
  // A run is whitespace-only when each of its parts is: pairs the normalised diff matched are
  // by construction, and blocks are checked.
  const push = (a0: number, a1: number, b0: number, b1: number, whitespaceOnly: boolean) => {
    const last = runs[runs.length - 1];
    if (last && last.a1 === a0 && last.b1 === b0) {
      last.a1 = a1;
      last.b1 = b1;
      last.whitespaceOnly &&= whitespaceOnly;
    } else runs.push({ a0, a1, b0, b1, whitespaceOnly });
  };
  let i = 0;
  let j = 0;
  const equalUpTo = (aEnd: number) => {
    // Normalised-equal pairs: a raw difference there is a whitespace-only change of one line.
    while (i < aEnd) {
      const known = walk.at(i, j);
      if (known < 0) {
        // A re-indented block the walk took whole becomes one run at once.
        const e = Math.min(aEnd, i - known);
        push(i, e, j, j + e - i, true);
        j += e - i;
        i = e;
        continue;
      }
      if (known > 0) {
        const k = Math.min(known, aEnd - i);
        i += k;
        j += k;
        continue;
      }
      const same = agreeingLines(orig, i, edit, j, aEnd - i);
      i += same;
      j += same;
      if (i >= aEnd) break;
      push(i, i + 1, j, j + 1, true);
      i++;
      j++;
    }
  };
  for (const blk of blocks) {
    equalUpTo(blk.a0);
    push(blk.a0, blk.a1, blk.b0, blk.b1, isWhitespaceOnly(orig, edit, blk));
    i = blk.a1;
    j = blk.b1;
  }
  equalUpTo(orig.count);
  return runs;
}

/** How far a block may slide; look-alike runs longer than this are rare and stay where they are. */
const MAX_SLIDE = 200;

/**
 * Where whitespace is folded, a deleted or inserted block among look-alike lines (closing
 * `})` at several indents) can sit at several places that are equally minimal. The diff
 * picks one; pairing the lines it leaves may then turn an untouched `})` into a
 * "whitespace-only change" of another. Each pure deletion or insertion is slid to where the
 * most surrounding lines match exactly, as a person reading the raw diff would place it;
 * among places equally good, to one inside the selection (repeated lines at its edge: the
 * block is the change that was asked for, and a diff could as well have put it there); then
 * to where its edges cut the code most cleanly (edgeCost), as git's indent heuristic does: a
 * function added after the last one is `\nfunction f() {...}`, not `}\n\nfunction f() {...`
 * with the previous function's closing brace, which relevance could not read as a new
 * definition.
 */
function slideToRawMatches(blocks: ChangeBlock[], a: SplitText, b: SplitText, regions: LineRange[]): ChangeBlock[] {
  for (let k = 0; k < blocks.length; k++) {
    const blk = blocks[k];
    const del = blk.b0 === blk.b1;
    if (del === (blk.a0 === blk.a1)) continue;
    // Work on the side that has the lines (x) against the side that does not (y).
    const [x, y, x0, x1, y0] = del ? [a, b, blk.a0, blk.a1, blk.b0] : [b, a, blk.b0, blk.b1, blk.a0];
    const prev = blocks[k - 1];
    const next = blocks[k + 1];
    const xLow = prev ? (del ? prev.a1 : prev.b1) : 0;
    const yLow = prev ? (del ? prev.b1 : prev.a1) : 0;
    const xHigh = next ? (del ? next.a0 : next.b0) : x.count;
    const yHigh = next ? (del ? next.b0 : next.a0) : y.count;
    let up = 0;
    while (up < MAX_SLIDE && x0 - up - 1 >= xLow && y0 - up - 1 >= yLow && sameLineIgnoringSpace(x, x0 - up - 1, x, x1 - up - 1)) up++;
    let down = 0;
    while (down < MAX_SLIDE && x1 + down < xHigh && y0 + down < yHigh && sameLineIgnoringSpace(x, x0 + down, x, x1 + down)) down++;
    if (!up && !down) continue;
    // Raw matches (content, not terminators) of the lines paired around the block when it
    // sits `shift` lines from here.
    const same = (xi: number, yi: number) => x.ends[xi] - x.starts[xi] === y.ends[yi] - y.starts[yi] && x.line(xi) === y.line(yi);
    const score = (shift: number) => {
      let n = 0;
      for (let t = -up; t < shift; t++) if (same(x0 + t, y0 + t)) n++;
      for (let t = shift; t < down; t++) if (same(x1 + t, y0 + t)) n++;
      return n;
    };
    // In scope at `shift`: the deleted original lines, or the line the insertion follows.
    const inScope = (shift: number) =>
      regions.length > 0 && (del ? regionHolds(regions, x0 + shift + 1, x1 + shift) : regionHolds(regions, y0 + shift + 1, y0 + shift));
    const edges = (shift: number) => edgeCost(x, x0 + shift) + edgeCost(x, x1 + shift);
    let best = 0;
    let bestScore = score(0);
    let bestIn = inScope(0);
    let bestEdges = edges(0);
    for (let shift = -up; shift <= down; shift++) {
      const sc = score(shift);
      const isIn = inScope(shift);
      const ed = edges(shift);
      if (sc > bestScore || (sc === bestScore && (isIn !== bestIn ? isIn : ed !== bestEdges ? ed < bestEdges : Math.abs(shift) < Math.abs(best)))) {
        best = shift;
        bestScore = sc;
        bestIn = isIn;
        bestEdges = ed;
      }
    }
    if (best === 0) continue;
    blocks[k] = del ? { a0: x0 + best, a1: x1 + best, b0: y0 + best, b1: y0 + best } : { a0: y0 + best, a1: y0 + best, b0: x0 + best, b1: x1 + best };
  }
  return blocks;
}

/** Blank lines past which an edge's next line of code is not looked for (it counts as unindented). */
const EDGE_BLANKS = 20;

/**
 * How badly an edge of a block that slides cuts the lines of its side when it falls just
 * before line p (lower is cleaner). First the indentation of the next line of code: an edge
 * before a less indented line cuts between larger units (a test, a function) rather than
 * inside one. Then the lines on each side: just after a blank line cuts nothing, since a
 * blank line ends what came before; just before one is nearly as clean, but a block then
 * starts (or the code after it starts) with the blank line that belongs after the block;
 * between two lines of code is worse, and worst where the indentation changes: the line
 * after is a closing `}` or dedent that ends what the line before is in, or the body the
 * line before opens. A file's edge cuts nothing.
 */
function edgeCost(t: SplitText, p: number): number {
  if (p <= 0 || p >= t.count) return 0;
  const blank = (k: number) => leadingSpace(t, k) === t.ends[k] - t.starts[k];
  let next = p;
  while (next < t.count && next < p + EDGE_BLANKS && blank(next)) next++;
  const indent = next < t.count && next < p + EDGE_BLANKS ? leadingSpace(t, next) : 0;
  if (blank(p - 1)) return indent;
  if (blank(p)) return indent + 1;
  return indent + (leadingSpace(t, p - 1) === indent ? 2 : 3);
}

/** True when the two sides differ only in whitespace, blank lines and line terminators. */
export function isWhitespaceOnly(orig: SplitText, edit: SplitText, r: ChangeBlock): boolean {
  return sameNonSpace(orig, r.a0, r.a1, edit, r.b0, r.b1);
}

/**
 * Cuts runs where they cross a region edge, so an out-of-scope change never hides inside an
 * in-scope hunk. Which edited lines go to which side comes from a line alignment inside the
 * run; edited lines aligned to nothing at the cut stay with the in-scope side, since an
 * insertion at a region's edge is in scope.
 */
export function splitAtRegions(orig: SplitText, edit: SplitText, runs: Piece[], regions: LineRange[]): Piece[] {
  if (regions.length === 0) return runs;
  // Cut positions as 0-based original indices: before line start-1 and before line end.
  const sortedCuts = [...new Set(regions.flatMap((r) => [r.start - 1, r.end]))].sort((x, y) => x - y);
  const out: Piece[] = [];
  const piece = (a0: number, a1: number, b0: number, b1: number): Piece => {
    const p = { a0, a1, b0, b1, whitespaceOnly: false };
    p.whitespaceOnly = isWhitespaceOnly(orig, edit, p);
    return p;
  };
  for (const run of runs) {
    let inner: number[] | null = null;
    for (let k = 0; k < sortedCuts.length; k++) {
      const c = sortedCuts[k];
      if (c > run.a0 && c < run.a1) (inner ??= []).push(c);
    }
    if (!inner) {
      out.push(run);
      continue;
    }
    const align = alignLines(orig, edit, run);
    let a0 = run.a0;
    let b0 = run.b0;
    for (const cut of inner) {
      const unalignedGoAfter = inScopeAt(regions, cut) && !inScopeAt(regions, cut - 1);
      const bCut = editedCut(align, run, cut, unalignedGoAfter);
      out.push(piece(a0, cut, b0, Math.max(b0, bCut)));
      a0 = cut;
      b0 = Math.max(b0, bCut);
    }
    out.push(piece(a0, run.a1, b0, run.b1));
  }
  return out;
}

function inScopeAt(regions: LineRange[], index0: number): boolean {
  const line = index0 + 1;
  return regions.some((r) => line >= r.start && line <= r.end);
}

/**
 * Where the edited side is cut, given the original cut. `align[k]` is the original index the
 * edited line run.b0+k is aligned to, or -1. Unaligned edited lines between the last line
 * aligned before the cut and the first aligned after it go to the in-scope side.
 */
function editedCut(align: Int32Array, run: ChangeBlock, cut: number, unalignedGoAfter: boolean): number {
  let lastBefore = -1;
  let firstAfter = -1;
  for (let k = 0; k < align.length; k++) {
    const a = align[k];
    if (a < 0) continue;
    if (a < cut) lastBefore = k;
    else if (firstAfter < 0) firstAfter = k;
  }
  if (unalignedGoAfter) return run.b0 + (lastBefore < 0 ? 0 : lastBefore + 1);
  return run.b0 + (firstAfter < 0 ? align.length : firstAfter);
}

/** Lines less alike than this are not paired by the alignment. */
const MIN_SIMILARITY = 0.3;
/** Above this many line pairs the alignment falls back to proportional positions. */
const ALIGN_LIMIT = 250_000;

/**
 * Monotone alignment of the run's edited lines to its original lines, maximising the total
 * similarity of aligned pairs (Needleman-Wunsch with free gaps). Dissimilar lines stay
 * unaligned rather than being forced onto each other. `strict`: never fall back to pairing
 * by position (nothing alike, or a run too large to align, leaves every line unaligned).
 */
export function alignLines(orig: SplitText, edit: SplitText, run: ChangeBlock, strict = false): Int32Array {
  const n = run.a1 - run.a0;
  const m = run.b1 - run.b0;
  const align = new Int32Array(m).fill(-1);
  if (n === 0 || m === 0) return align;
  if (n * m > ALIGN_LIMIT) return strict ? align : proportional(run, n, m);
  const A = Array.from({ length: n }, (_, k) => normalizeLine(orig.line(run.a0 + k)));
  const B = Array.from({ length: m }, (_, k) => normalizeLine(edit.line(run.b0 + k)));
  const w = m + 1;
  const score = new Float64Array((n + 1) * w);
  const sim = new Float64Array(n * m);
  for (let x = 0; x < n; x++) for (let y = 0; y < m; y++) sim[x * m + y] = similarity(A[x], B[y]);
  for (let x = 1; x <= n; x++) {
    for (let y = 1; y <= m; y++) {
      const s = sim[(x - 1) * m + (y - 1)];
      const diag = s >= MIN_SIMILARITY ? score[(x - 1) * w + (y - 1)] + s : -1;
      score[x * w + y] = Math.max(diag, score[(x - 1) * w + y], score[x * w + (y - 1)]);
    }
  }
  let x = n;
  let y = m;
  let aligned = 0;
  while (x > 0 && y > 0) {
    const s = sim[(x - 1) * m + (y - 1)];
    if (s >= MIN_SIMILARITY && score[x * w + y] === score[(x - 1) * w + (y - 1)] + s) {
      align[y - 1] = run.a0 + x - 1;
      aligned++;
      x--;
      y--;
    } else if (score[x * w + y] === score[(x - 1) * w + y]) x--;
    else y--;
  }
  // Nothing alike: a rewritten block. Pair lines by position rather than not at all (unless
  // the caller wants only lines that are alike).
  if (aligned === 0 && !strict) return proportional(run, n, m);
  return align;
}

function proportional(run: ChangeBlock, n: number, m: number): Int32Array {
  const align = new Int32Array(m);
  for (let k = 0; k < m; k++) align[k] = run.a0 + Math.min(n - 1, Math.floor((k * n) / m));
  return align;
}

/** Shared prefix and suffix as a share of the longer line: cheap and good enough to pair edited lines. */
function similarity(p: string, q: string): number {
  if (p === q) return 1;
  const max = Math.max(p.length, q.length);
  if (max === 0) return 1;
  let pre = 0;
  const lim = Math.min(p.length, q.length);
  while (pre < lim && p.charCodeAt(pre) === q.charCodeAt(pre)) pre++;
  let suf = 0;
  while (suf < lim - pre && p.charCodeAt(p.length - 1 - suf) === q.charCodeAt(q.length - 1 - suf)) suf++;
  return (pre + suf) / max;
}

export function describeRegions(regions: LineRange[]): string {
  return regions.map((r) => (r.start === r.end ? `line ${r.start}` : `lines ${r.start}-${r.end}`)).join(', ');
}

function lineSpan(start: number, count: number): string {
  return count === 1 ? `line ${start}` : `lines ${start}-${start + count - 1}`;
}

/**
 * Some region holds original lines first..last (1-based). An insertion after line L is
 * first = L + 1, last = L: held from after the line before a region to after its end.
 */
function regionHolds(regions: LineRange[], first: number, last: number): boolean {
  for (let k = 0; k < regions.length; k++) {
    if (first >= regions[k].start && last <= regions[k].end) return true;
  }
  return false;
}

/**
 * One string in one piece. Joined with `+` or a template, a reason is a tree of partial
 * strings that lives as long as its hunk; a re-indented file has thousands of hunks, and
 * the collector would spend a measurable share of the analysis copying those trees.
 */
function flat(...parts: string[]): string {
  return parts.join('');
}

/** Turns pieces into hunks in the unified-diff convention and decides each one's scope. */
export function toHunks(pieces: Piece[], regions: LineRange[]): Hunk[] {
  const where = regions.length ? describeRegions(regions) : '';
  const inside = `, inside the selection (${where})`;
  const atOrInside = `, at or inside the selection (${where})`;
  const outside = `, outside the selection (${where})`;
  return pieces.map((p) => {
    const originalLines = p.a1 - p.a0;
    const editedLines = p.b1 - p.b0;
    let scope: 'in' | 'out';
    let reason: string;
    if (regions.length === 0) {
      scope = 'in';
      reason = 'the whole file is in scope';
    } else if (originalLines > 0) {
      const first = p.a0 + 1;
      const last = p.a1;
      scope = regionHolds(regions, first, last) ? 'in' : 'out';
      reason = flat(editedLines === 0 ? 'deletes ' : 'changes ', lineSpan(first, originalLines), scope === 'in' ? inside : outside);
    } else {
      const after = p.a0;
      scope = regionHolds(regions, after + 1, after) ? 'in' : 'out';
      const what = `inserts ${plural(editedLines, 'line')} ${after === 0 ? 'at the top of the file' : `after line ${after}`}`;
      reason = flat(what, scope === 'in' ? atOrInside : outside);
    }
    return {
      originalStart: originalLines > 0 ? p.a0 + 1 : p.a0,
      originalLines,
      editedStart: editedLines > 0 ? p.b0 + 1 : p.b0,
      editedLines,
      scope,
      whitespaceOnly: p.whitespaceOnly,
      reason,
    };
  });
}

/**
 * Marks a deleted block and an inserted block with the same (normalised, non-blank) content
 * of at least two lines as one move. Exact matches only: a "move" that also changed lines is
 * reported as the deletion and insertion it is.
 */
export function markMoves(orig: SplitText, edit: SplitText, hunks: Hunk[]): void {
  const key = (text: SplitText, start: number, count: number): string | null => {
    const parts: string[] = [];
    for (let k = start; k < start + count; k++) {
      const t = normalizeLine(text.line(k));
      if (t) parts.push(t);
    }
    return parts.length >= 2 ? parts.join('\n') : null;
  };
  const deletions = new Map<string, Hunk[]>();
  for (const h of hunks) {
    if (h.editedLines !== 0 || h.originalLines === 0) continue;
    const k = key(orig, h.originalStart - 1, h.originalLines);
    if (k) deletions.set(k, [...(deletions.get(k) ?? []), h]);
  }
  if (deletions.size === 0) return;
  for (const h of hunks) {
    if (h.originalLines !== 0 || h.editedLines === 0) continue;
    const k = key(edit, h.editedStart - 1, h.editedLines);
    const from = k ? deletions.get(k)?.shift() : undefined;
    if (!from) continue;
    const move = { originalStart: from.originalStart, editedStart: h.editedStart, lines: h.editedLines };
    from.moved = { role: 'from', ...move };
    h.moved = { role: 'to', ...move };
    const text = `moves ${lineSpan(from.originalStart, from.originalLines)} to after line ${h.originalStart}`;
    from.reason = `${text}; ${from.reason}`;
    h.reason = `${text}; ${h.reason}`;
  }
}
