import { diffWindow as windowDiff, type ChangeBlock } from './anchoredDiff';
import { agreeingLines, sameLine, sameLineIgnoringSpace } from '../text/lineCompare';
import { reanchorLookAlikes } from './reanchor';
import type { SplitText } from '../text/lines';

/**
 * How far (in lines skipped on both sides together) the walk looks for the point where the
 * texts agree again, and how many agreeing lines make that point.
 */
const RESYNC_REACH = 160;
const RESYNC_LINES = 3;
/**
 * A resync point counts as the end of a change only when this many lines agree after it.
 * A block inserted next to look-alike code (tests, doc comments) agrees for a few lines at
 * the wrong offset; diffing the whole stretch exactly then finds the one insertion git finds.
 */
const SETTLED_LINES = 20;
/**
 * A walk that has not settled within this many lines has locked onto look-alike blocks at a
 * wrong offset (every few lines disagree, as neighbouring tests do): the rest of the files
 * goes to the anchored diff, whose unique lines (test names) find the right one.
 */
const MAX_SETTLE_SPAN = 1000;
/** Give the rest of the files to the full diff after this many mismatch windows. */
const MAX_WINDOWS = 2000;

/**
 * Line diff on normalised lines (whitespace folded) that is cheap when the files mostly
 * agree, which is what an edit of a file is: the two files are walked in step, and only
 * where they disagree is the nearest point of agreement searched for (RESYNC_LINES lines
 * equal on both sides, the fewest lines skipped first, as Myers' snakes would); the window
 * between is diffed exactly. Identical stretches are skipped by comparing raw text in large
 * blocks, and nothing is hashed or interned outside the windows. When the
 * files do not agree again within reach (a rewrite), or there are too many windows, the
 * rest goes to the full diff (patience anchors + Myers), which is bounded on any input.
 *
 * What the walk learns about the lines it pairs goes into `walk`, for the caller looking
 * for whitespace-only changes.
 *
 * Kept as one function on purpose: the walk and its small helpers share the two texts and
 * their lengths, and this is the diff's hot path (`npm run bench -- check`); split apart they
 * would pass those on every comparison.
 */
export function diffLinesNormalized(a: SplitText, b: SplitText, walk?: WalkRecord): ChangeBlock[] {
  return reanchorLookAlikes(a, b, walkDiff(a, b, walk));
}

function walkDiff(a: SplitText, b: SplitText, walk?: WalkRecord): ChangeBlock[] {
  const n = a.count;
  const m = b.count;
  const out: ChangeBlock[] = [];
  // Most pairs compared around a change are identical, which is the cheaper question.
  const eq = (i: number, j: number) => sameLine(a, i, b, j) || sameLineIgnoringSpace(a, i, b, j);
  const agreeAt = (i: number, j: number) => {
    for (let k = 0; k < RESYNC_LINES; k++) {
      if (i + k >= n || j + k >= m) return i + k >= n && j + k >= m;
      if (!eq(i + k, j + k)) return false;
    }
    return true;
  };
  /** The nearest point after a mismatch where the texts agree again, fewest lines skipped first. */
  const resync = (i: number, j: number): [number, number] | null => {
    for (let d = 1; d <= RESYNC_REACH; d++) {
      for (let di = 0; di <= d; di++) {
        const dj = d - di;
        if (i + di > n || j + dj > m) continue;
        if (agreeAt(i + di, j + dj)) return [i + di, j + dj];
      }
    }
    return null;
  };
  let i = 0;
  let j = 0;
  let windows = 0;
  while (i < n && j < m) {
    const same = agreeingLines(a, i, b, j, n);
    if (walk && same > 0) walk.record(i, j, same);
    i += same;
    j += same;
    if (i >= n || j >= m) break;
    if (sameLineIgnoringSpace(a, i, b, j)) {
      // A re-indented block: take its lines here rather than one trip round the loop each.
      const i0 = i;
      const j0 = j;
      do {
        i++;
        j++;
      } while (i < n && j < m && !sameLine(a, i, b, j) && sameLineIgnoringSpace(a, i, b, j));
      if (walk) walk.record(i0, j0, i0 - i);
      continue;
    }
    if (windows >= MAX_WINDOWS) break;
    const wi = i;
    const wj = j;
    let r = resync(i, j);
    let settled = false;
    while (r && r[0] - wi < MAX_SETTLE_SPAN && r[1] - wj < MAX_SETTLE_SPAN) {
      let k = agreeingLines(a, r[0], b, r[1], SETTLED_LINES);
      while (k < SETTLED_LINES && r[0] + k < n && r[1] + k < m && eq(r[0] + k, r[1] + k)) k++;
      if (k === SETTLED_LINES) {
        settled = true;
        break;
      }
      // Agreeing up to the end of both files settles it too; up to the end of only one of
      // them does not: look-alike closing lines (`})` at several indents) agree for a few
      // lines at a wrong offset just before the end. The rest is diffed exactly instead.
      if (r[0] + k >= n || r[1] + k >= m) {
        if (r[0] + k >= n && r[1] + k >= m) settled = true;
        break;
      }
      r = resync(r[0] + k, r[1] + k);
    }
    if (!r || !settled) {
      windowDiff(a, wi, n, b, wj, m, out);
      return out;
    }
    windowDiff(a, wi, r[0], b, wj, r[1], out);
    windows++;
    i = r[0];
    j = r[1];
  }
  if (windows >= MAX_WINDOWS && (i < n || j < m)) {
    windowDiff(a, i, n, b, j, m, out);
    return out;
  }
  if (i < n || j < m) out.push({ a0: i, a1: n, b0: j, b1: m });
  return out;
}

/**
 * Pairs of lines the in-step walk compared: from original line i and edited line j, `same`
 * lines identical (terminators included) and then a differing pair, or with `same` -n, n
 * pairs equal only once whitespace is folded (a re-indented block, recorded once rather
 * than line by line). Facts about the texts, whatever the final alignment: a caller
 * pairing the same lines need not compare them again.
 */
export class WalkRecord {
  private readonly pairedWith: Int32Array;
  private readonly sameCount: Int32Array;

  constructor(originalLines: number) {
    this.pairedWith = new Int32Array(originalLines);
    this.sameCount = new Int32Array(originalLines);
  }

  record(i: number, j: number, same: number): void {
    this.pairedWith[i] = j + 1;
    this.sameCount[i] = same;
  }

  /** What the walk found from the pair (i, j): n > 0 identical lines, -n whitespace-only pairs, or 0 when it did not compare them. */
  at(i: number, j: number): number {
    return this.pairedWith[i] === j + 1 ? this.sameCount[i] : 0;
  }
}
