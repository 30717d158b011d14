import { isSpaceCode, type SplitText } from './lines';

/**
 * Line comparisons on the texts themselves, by position: nothing is sliced per line except
 * what the engine's native string comparison needs, so comparing two large files costs about
 * what comparing their bytes costs.
 */

/** Line i of a and line j of b are the same, terminator included. */
export function sameLine(a: SplitText, i: number, b: SplitText, j: number): boolean {
  const p = a.starts[i];
  const q = b.starts[j];
  const len = a.starts[i + 1] - p;
  return len === b.starts[j + 1] - q && sameText(a.text, p, b.text, q, len);
}

/**
 * a[p, p+len) === b[q, q+len) (the caller has checked b has len characters from q), by the
 * engine's builtins: this runs mostly unoptimised (the CLI analyses once), where a loop over
 * characters costs a builtin call per character and is far slower.
 */
export function sameText(a: string, p: number, b: string, q: number, len: number): boolean {
  // A line's worth is compared by startsWith against one slice: half the garbage. Its
  // builtin walks characters, which for long blocks is far slower than comparing slices.
  if (len <= 256) return b.startsWith(a.substring(p, p + len), q);
  return a.substring(p, p + len) === b.substring(q, q + len);
}

/** Lines compared one by one before the comparison switches to growing blocks of text. */
const LINE_BY_LINE = 8;
const FIRST_BLOCK = 1024;
const MAX_BLOCK = 1 << 20;

/**
 * How many lines, from line i of a and line j of b on, are the same (terminators included),
 * at most `limit`; when fewer, the next pair differs. A few lines are compared one by one;
 * past them, blocks of text of doubling size, a differing block narrowed down by quarters:
 * a long identical stretch costs a handful of native comparisons, not one per line.
 */
export function agreeingLines(a: SplitText, i: number, b: SplitText, j: number, limit: number): number {
  // Most calls in a re-indented file stop at the first line.
  if (limit > 0 && i < a.count && j < b.count && !sameLine(a, i, b, j)) return 0;
  const lim = Math.min(limit, a.count - i, b.count - j);
  let k = 0;
  for (;;) {
    for (let n = 0; k < lim && n < LINE_BY_LINE; k++, n++) if (!sameLine(a, i + k, b, j + k)) return k;
    if (k >= lim) return lim;
    k += identicalLines(a, i + k, b, j + k, lim - k);
  }
}

/** Whole lines from i of a and j of b, at most `lim`, inside the identical text that starts there. */
function identicalLines(a: SplitText, i: number, b: SplitText, j: number, lim: number): number {
  const p = a.starts[i];
  const q = b.starts[j];
  const ta = a.text;
  const tb = b.text;
  const maxLen = Math.min(a.starts[i + lim] - p, b.starts[j + lim] - q);
  // off: length of the identical text from p and q.
  let off = 0;
  let block = FIRST_BLOCK;
  while (off < maxLen) {
    const len = Math.min(block, maxLen - off);
    if (ta.substring(p + off, p + off + len) === tb.substring(q + off, q + off + len)) {
      off += len;
      if (block < MAX_BLOCK) block *= 2;
    } else if (len <= 64) {
      while (ta.charCodeAt(p + off) === tb.charCodeAt(q + off)) off++;
      break;
    } else block = len >> 2;
  }
  let lo = 0;
  let hi = lim;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.starts[i + mid] - p <= off) lo = mid;
    else hi = mid - 1;
  }
  // b's lines there end at the same places, except perhaps the last (a CR at the edge may
  // end a line on one side only).
  let d = lo;
  while (d > 0 && b.starts[j + d] - q !== a.starts[i + d] - p) d--;
  return d;
}

/** Lines i of a and j of b are equal once whitespace runs are folded and ends trimmed. */
export function sameLineIgnoringSpace(a: SplitText, i: number, b: SplitText, j: number): boolean {
  const ta = a.text;
  const tb = b.text;
  let p = a.starts[i];
  const pe = a.ends[i];
  let q = b.starts[j];
  const qe = b.ends[j];
  p = skipSpace(ta, p, pe);
  q = skipSpace(tb, q, qe);
  // The usual difference is indentation alone: compare what follows it as a whole.
  if (pe - p === qe - q && sameText(ta, p, tb, q, pe - p)) return true;
  for (;;) {
    if (p >= pe || q >= qe) return skipSpace(ta, p, pe) >= pe && skipSpace(tb, q, qe) >= qe;
    const x = ta.charCodeAt(p);
    const y = tb.charCodeAt(q);
    const sx = isSpaceCode(x);
    const sy = isSpaceCode(y);
    if (sx || sy) {
      if (!(sx && sy)) return skipSpace(ta, p, pe) >= pe && skipSpace(tb, q, qe) >= qe;
      p = skipSpace(ta, p, pe);
      q = skipSpace(tb, q, qe);
      if ((p >= pe) !== (q >= qe)) return false;
      continue;
    }
    if (x !== y) return false;
    p++;
    q++;
  }
}

/** How many whitespace characters (as the diff folds them) line k starts with: its whole length when it is blank. */
export function leadingSpace(t: SplitText, k: number): number {
  return skipSpace(t.text, t.starts[k], t.ends[k]) - t.starts[k];
}

function skipSpace(s: string, k: number, end: number): number {
  for (; k < end; k++) {
    const c = s.charCodeAt(k);
    // The usual characters are decided here; isSpaceCode only for control characters.
    if (c > 32 ? c !== 160 && c !== 0xfeff : c !== 32 && c !== 9 && !isSpaceCode(c)) break;
  }
  return k;
}

/**
 * Two independent 32-bit hashes of line k's normalised form (FNV-1a and a multiply-rotate),
 * computed without building it. `out[0]`, `out[1]` receive the hashes.
 */
export function hashLineIgnoringSpace(t: SplitText, k: number, out: Int32Array): void {
  const s = t.text;
  const end = t.ends[k];
  let h = 0x811c9dc5 | 0;
  let g = 0x9e3779b9 | 0;
  let pendingSpace = false;
  let started = false;
  for (let i = t.starts[k]; i < end; i++) {
    let c = s.charCodeAt(i);
    if (c <= 32 || c === 160 || c === 0xfeff) {
      if (isSpaceCode(c)) {
        if (started) pendingSpace = true;
        continue;
      }
    }
    if (pendingSpace) {
      h = Math.imul(h ^ 32, 0x01000193);
      g = Math.imul((g << 5) | (g >>> 27), 0x2c1b3c6d) ^ 32;
      pendingSpace = false;
    }
    started = true;
    h = Math.imul(h ^ c, 0x01000193);
    c = Math.imul((g << 5) | (g >>> 27), 0x2c1b3c6d) ^ c;
    g = c;
  }
  out[0] = h;
  out[1] = g;
}

/** Lines [a0, a1) of a and [b0, b1) of b hold the same non-space characters in order (blank lines and terminators ignored). */
export function sameNonSpace(a: SplitText, a0: number, a1: number, b: SplitText, b0: number, b1: number): boolean {
  const ta = a.text;
  const tb = b.text;
  let p = a.starts[a0];
  const pe = a1 > a0 ? a.ends[a1 - 1] : p;
  let q = b.starts[b0];
  const qe = b1 > b0 ? b.ends[b1 - 1] : q;
  for (;;) {
    while (p < pe && isBlank(ta.charCodeAt(p))) p++;
    while (q < qe && isBlank(tb.charCodeAt(q))) q++;
    if (p >= pe || q >= qe) return p >= pe && q >= qe;
    if (ta.charCodeAt(p) !== tb.charCodeAt(q)) return false;
    p++;
    q++;
  }
}

function isBlank(c: number): boolean {
  return c === 10 || isSpaceCode(c);
}
