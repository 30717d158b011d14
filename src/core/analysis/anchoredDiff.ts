import { diffArrays } from 'diff';
import { hashLineIgnoringSpace } from '../text/lineCompare';
import type { SplitText } from '../text/lines';

/** A run of lines that differ: original lines [a0, a1) became edited lines [b0, b1) (0-based). */
export interface ChangeBlock {
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

/**
 * Segments this small go straight to Myers (the `diff` package's diffArrays); larger ones
 * are first cut at lines that occur exactly once on both sides (patience anchoring, as git's
 * patience/histogram diffs do). Plain Myers is O(N*D): a 50,000-line file with a large D
 * would take minutes, while anchoring leaves Myers only the small gaps between anchors.
 */
const MYERS_DIRECT = 2000;
/** The most work (roughly (n+m)*D) one bounded Myers call may do on an anchorless segment. */
const MYERS_BUDGET = 4_000_000;

/**
 * Diffs two sequences of line keys (equal keys mean equal lines) and returns the blocks that
 * differ, in order. Linear-ish on real edits and bounded on any input: a segment with no
 * anchors whose Myers cost would exceed the budget is reported as one replaced block.
 * `anchorFirst`: cut at unique lines even where Myers alone would be cheap, for stretches of
 * look-alike lines that Myers, minimal but blind to which lines are unique, pairs wrongly.
 */
export function diffKeys(a: Int32Array, b: Int32Array, keyCount: number, anchorFirst = false): ChangeBlock[] {
  const blocks: ChangeBlock[] = [];
  diffRange(a, 0, a.length, b, 0, b.length, blocks, new Counts(keyCount), anchorFirst);
  return blocks;
}

/** Per-key occurrence counts for anchoring, allocated only when a segment needs them. */
class Counts {
  private buf: Int32Array | null = null;
  constructor(private readonly keyCount: number) {}
  get array(): Int32Array {
    return (this.buf ??= new Int32Array(this.keyCount * 2));
  }
}

function diffRange(
  a: Int32Array, a0: number, a1: number,
  b: Int32Array, b0: number, b1: number,
  out: ChangeBlock[], counts: Counts, anchorFirst: boolean,
): void {
  while (a0 < a1 && b0 < b1 && a[a0] === b[b0]) { a0++; b0++; }
  while (a0 < a1 && b0 < b1 && a[a1 - 1] === b[b1 - 1]) { a1--; b1--; }
  if (a0 === a1 && b0 === b1) return;
  if (a0 === a1 || b0 === b1) {
    out.push({ a0, a1, b0, b1 });
    return;
  }
  const n = a1 - a0;
  const m = b1 - b0;
  if (n + m <= MYERS_DIRECT && !anchorFirst) {
    myers(a, a0, a1, b, b0, b1, out, undefined);
    return;
  }
  const anchors = uniqueAnchors(a, a0, a1, b, b0, b1, counts.array);
  if (anchors.length === 0 && n + m <= MYERS_DIRECT) {
    myers(a, a0, a1, b, b0, b1, out, undefined);
    return;
  }
  if (anchors.length === 0) {
    const maxEdit = Math.max(16, Math.floor(MYERS_BUDGET / (n + m)));
    if (!myers(a, a0, a1, b, b0, b1, out, maxEdit)) out.push({ a0, a1, b0, b1 });
    return;
  }
  let pa = a0;
  let pb = b0;
  for (let k = 0; k < anchors.length; k += 2) {
    const ia = anchors[k];
    const ib = anchors[k + 1];
    diffRange(a, pa, ia, b, pb, ib, out, counts, anchorFirst);
    pa = ia + 1;
    pb = ib + 1;
  }
  diffRange(a, pa, a1, b, pb, b1, out, counts, anchorFirst);
}

/**
 * Lines unique in both ranges, matched, then the longest run of them in the same order on
 * both sides (patience sorting). Returned flat: [ia0, ib0, ia1, ib1, ...].
 */
function uniqueAnchors(
  a: Int32Array, a0: number, a1: number,
  b: Int32Array, b0: number, b1: number,
  counts: Int32Array,
): number[] {
  // counts[2k] / counts[2k+1]: occurrences of key k in a / b; reset before returning.
  for (let i = a0; i < a1; i++) counts[a[i] * 2]++;
  for (let j = b0; j < b1; j++) counts[b[j] * 2 + 1]++;
  // A key unique on both sides: its b position is stored in the b count slot, as -(j+1).
  for (let j = b0; j < b1; j++) {
    const k = b[j];
    if (counts[k * 2] === 1 && counts[k * 2 + 1] === 1) counts[k * 2 + 1] = -(j + 1);
  }
  const pairsA: number[] = [];
  const pairsB: number[] = [];
  for (let i = a0; i < a1; i++) {
    const slot = counts[a[i] * 2 + 1];
    if (slot < 0) { pairsA.push(i); pairsB.push(-slot - 1); }
  }
  for (let i = a0; i < a1; i++) counts[a[i] * 2] = 0;
  for (let j = b0; j < b1; j++) counts[b[j] * 2 + 1] = 0;
  if (pairsA.length === 0) return [];

  // Longest increasing subsequence of pairsB (pairsA is already increasing).
  const tails: number[] = [];
  const prev = new Int32Array(pairsB.length);
  for (let p = 0; p < pairsB.length; p++) {
    const v = pairsB[p];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairsB[tails[mid]] < v) lo = mid + 1;
      else hi = mid;
    }
    prev[p] = lo > 0 ? tails[lo - 1] : -1;
    tails[lo] = p;
  }
  const chain: number[] = [];
  for (let p = tails[tails.length - 1]; p >= 0; p = prev[p]) chain.push(p);
  chain.reverse();
  const flat: number[] = [];
  for (const p of chain) flat.push(pairsA[p], pairsB[p]);
  return flat;
}

/** Myers through the `diff` package. Returns false when `maxEdit` was exceeded. */
function myers(
  a: Int32Array, a0: number, a1: number,
  b: Int32Array, b0: number, b1: number,
  out: ChangeBlock[], maxEdit: number | undefined,
): boolean {
  const x = Array.from(a.subarray(a0, a1));
  const y = Array.from(b.subarray(b0, b1));
  const changes = maxEdit === undefined ? diffArrays(x, y) : diffArrays(x, y, { maxEditLength: maxEdit });
  if (!changes) return false;
  let i = a0;
  let j = b0;
  let open: ChangeBlock | null = null;
  for (const c of changes) {
    const count = c.count ?? c.value.length;
    if (!c.added && !c.removed) {
      if (open) { out.push(open); open = null; }
      i += count;
      j += count;
      continue;
    }
    if (!open) open = { a0: i, a1: i, b0: j, b1: j };
    if (c.removed) { i += count; open.a1 = i; }
    else { j += count; open.b1 = j; }
  }
  if (open) out.push(open);
  return true;
}

/**
 * Gives each distinct normalised line a small integer, so the diff compares numbers. An
 * open-addressing table keyed by two independent 32-bit hashes of the normalised line: two
 * lines are the same when both hashes agree (a 2^-64 chance of a false match, and even then
 * the raw difference is still reported as a change). No string is allocated.
 */
export class LineInterner {
  private table: Int32Array;
  /** The two hashes of each id, interleaved. */
  private hashes: Int32Array;
  private count = 0;
  private readonly scratch = new Int32Array(2);

  constructor(expectedLines = 1024) {
    let cap = 1024;
    while (cap < expectedLines * 2) cap *= 2;
    this.table = new Int32Array(cap).fill(-1);
    this.hashes = new Int32Array(cap);
  }

  /** The id of each of the lines [from, to), in order (lines may repeat). */
  internLines(t: SplitText, from: number, to: number): Int32Array {
    const out = new Int32Array(to - from);
    for (let k = from; k < to; k++) out[k - from] = this.id(t, k);
    return out;
  }

  private id(t: SplitText, k: number): number {
    hashLineIgnoringSpace(t, k, this.scratch);
    const h = this.scratch[0];
    const g = this.scratch[1];
    const mask = this.table.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = this.table[slot];
      if (id < 0) {
        const fresh = this.count++;
        this.hashes[fresh * 2] = h;
        this.hashes[fresh * 2 + 1] = g;
        this.table[slot] = fresh;
        if (this.count * 2 >= mask) this.grow();
        return fresh;
      }
      if (this.hashes[id * 2] === h && this.hashes[id * 2 + 1] === g) return id;
    }
  }

  private grow(): void {
    const cap = this.table.length * 2;
    const table = new Int32Array(cap).fill(-1);
    const hashes = new Int32Array(cap);
    hashes.set(this.hashes.subarray(0, this.count * 2));
    for (let id = 0; id < this.count; id++) {
      let slot = hashes[id * 2] & (cap - 1);
      while (table[slot] >= 0) slot = (slot + 1) & (cap - 1);
      table[slot] = id;
    }
    this.table = table;
    this.hashes = hashes;
  }

  get size(): number {
    return this.count;
  }
}

/**
 * Exact diff of one window on interned normalised lines; blocks are offset to file positions.
 * `anchorFirst` as for diffKeys.
 */
export function diffWindow(a: SplitText, a0: number, a1: number, b: SplitText, b0: number, b1: number, out: ChangeBlock[], anchorFirst = false): void {
  // One line against one (a line edited in place, the usual window): they differ, or the
  // walk would not have stopped there.
  if (a0 === a1 || b0 === b1 || (a1 - a0 === 1 && b1 - b0 === 1)) {
    if (a0 !== a1 || b0 !== b1) out.push({ a0, a1, b0, b1 });
    return;
  }
  const interner = new LineInterner(a1 - a0 + b1 - b0);
  const x = interner.internLines(a, a0, a1);
  const y = interner.internLines(b, b0, b1);
  for (const blk of diffKeys(x, y, interner.size, anchorFirst)) {
    out.push({ a0: a0 + blk.a0, a1: a0 + blk.a1, b0: b0 + blk.b0, b1: b0 + blk.b1 });
  }
}
