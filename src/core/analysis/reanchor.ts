import { diffWindow, LineInterner, type ChangeBlock } from './anchoredDiff';
import type { SplitText } from '../text/lines';
import { mergeSpans } from '../text/spans';

/**
 * Look-alike blocks with long identical bodies (tests that differ in a name and a value) agree
 * for many lines at a wrong offset, so the walk can settle there and pair each old block with
 * a new one: one insertion of new tests reads as a rewrite of every old test's name, each
 * flagged on its own. The sign is a line the diff calls deleted in one block and inserted in
 * another (a test's name "changed" here and "added" further down): such a cluster of blocks
 * is diffed again anchored on lines unique on both sides, as git's patience and histogram
 * diffs do, and the result kept when it is what a person would see: fewer hunks, and no more
 * lines changed.
 */
export function reanchorLookAlikes(a: SplitText, b: SplitText, blocks: ChangeBlock[]): ChangeBlock[] {
  if (blocks.length < 2) return blocks;
  const clusters = mispairedClusters(a, b, blocks);
  if (!clusters.length) return blocks;
  const out: ChangeBlock[] = [];
  let next = 0;
  for (const [p, q] of clusters) {
    for (; next < p; next++) out.push(blocks[next]);
    const again: ChangeBlock[] = [];
    diffWindow(a, blocks[p].a0, blocks[q].a1, b, blocks[p].b0, blocks[q].b1, again, true);
    const span = blocks.slice(p, q + 1);
    if (again.length < span.length && changedLines(again) <= changedLines(span)) out.push(...again);
    else out.push(...span);
    next = q + 1;
  }
  for (; next < blocks.length; next++) out.push(blocks[next]);
  return out;
}

const changedLines = (bs: readonly ChangeBlock[]) => bs.reduce((n, x) => n + (x.a1 - x.a0) + (x.b1 - x.b0), 0);

/** A line worth anchoring on: a name or a statement, not a closer or a blank that repeats everywhere. */
const DISTINCT = /[\w$]{3}/;

/**
 * Runs of blocks [p, q] joined by a line removed in one of them and added in another. Only
 * the lines of the blocks are read, so an edit with a few changes costs next to nothing.
 */
function mispairedClusters(a: SplitText, b: SplitText, blocks: readonly ChangeBlock[]): Array<[number, number]> {
  let lines = 0;
  for (const x of blocks) lines += x.a1 - x.a0 + (x.b1 - x.b0);
  const interner = new LineInterner(lines);
  const firstRemoved = new Map<number, number>();
  const lastRemoved = new Map<number, number>();
  blocks.forEach((x, k) => {
    for (let i = x.a0; i < x.a1; i++) {
      if (!DISTINCT.test(a.line(i))) continue;
      const key = interner.internLines(a, i, i + 1)[0];
      if (!firstRemoved.has(key)) firstRemoved.set(key, k);
      lastRemoved.set(key, k);
    }
  });
  if (!firstRemoved.size) return [];
  const spans: Array<[number, number]> = [];
  blocks.forEach((x, k) => {
    for (let j = x.b0; j < x.b1; j++) {
      if (!DISTINCT.test(b.line(j))) continue;
      const key = interner.internLines(b, j, j + 1)[0];
      const first = firstRemoved.get(key);
      if (first === undefined) continue;
      const last = lastRemoved.get(key)!;
      if (first !== k || last !== k) spans.push([Math.min(first, k), Math.max(last, k)]);
    }
  });
  return mergeSpans(spans);
}
