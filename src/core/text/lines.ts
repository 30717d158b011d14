/** A text split into lines, each line's terminator kept apart so it can be compared on its own. */
export interface SplitText {
  lines: string[];
  /** '\n', '\r\n', '\r' or '' (only the last line may have none). */
  eols: string[];
}

export function splitLines(text: string): SplitText {
  if (!text.includes('\r')) {
    // The common case, left to the engine's native split.
    const lines = text.split('\n');
    const eols: string[] = new Array(lines.length).fill('\n');
    if (lines[lines.length - 1] === '') {
      lines.pop();
      eols.pop();
    } else eols[eols.length - 1] = '';
    return { lines, eols };
  }
  const lines: string[] = [];
  const eols: string[] = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lines.push(text.slice(start, i));
      eols.push('\n');
      start = i + 1;
    } else if (c === 13) {
      lines.push(text.slice(start, i));
      if (text.charCodeAt(i + 1) === 10) {
        eols.push('\r\n');
        i++;
      } else eols.push('\r');
      start = i + 1;
    }
  }
  if (start < n) {
    lines.push(text.slice(start));
    eols.push('');
  }
  return { lines, eols };
}

export function joinLines(lines: readonly string[], eols: readonly string[]): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) out += lines[i] + eols[i];
  return out;
}

/** Leading whitespace of a line. */
export function leadingWhitespace(line: string): string {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  return line.slice(0, i);
}

export function hasTrailingWhitespace(line: string): boolean {
  const c = line.charCodeAt(line.length - 1);
  return c === 32 || c === 9;
}

/** Whitespace as the diff sees it: space, tab, vertical tab, form feed, CR, NBSP, BOM. */
export function isSpaceCode(c: number): boolean {
  return c > 32 ? c === 160 || c === 0xfeff : c === 32 || c === 9 || c === 11 || c === 12 || c === 13;
}

/** The key two lines are aligned on: whitespace runs folded to one space, ends trimmed. */
export function normalizeLine(line: string): string {
  let out = '';
  let pendingSpace = false;
  let segStart = -1;
  for (let i = 0; i < line.length; i++) {
    if (isSpaceCode(line.charCodeAt(i))) {
      if (segStart >= 0) {
        out += line.slice(segStart, i);
        segStart = -1;
        pendingSpace = true;
      }
    } else if (segStart < 0) {
      if (pendingSpace && out) out += ' ';
      pendingSpace = false;
      segStart = i;
    }
  }
  if (segStart >= 0) out += segStart === 0 ? line : line.slice(segStart);
  return out;
}

/**
 * Two independent 32-bit hashes of the normalised line (FNV-1a and a multiply-rotate),
 * computed without building it: the diff hashes every line of both files, and allocating a
 * normalised copy of each was most of its cost. `out[0]`, `out[1]` receive the hashes.
 */
export function hashNormalized(line: string, out: Int32Array): void {
  let h = 0x811c9dc5 | 0;
  let g = 0x9e3779b9 | 0;
  let pendingSpace = false;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    let c = line.charCodeAt(i);
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

/** True when the lines' non-whitespace characters are the same, in order (blank lines ignored). */
export function sameNonSpace(a: readonly string[], a0: number, a1: number, b: readonly string[], b0: number, b1: number): boolean {
  let i = a0;
  let j = b0;
  let p = 0;
  let q = 0;
  for (;;) {
    // Advance each side to its next non-space character, across lines.
    while (i < a1 && (p >= a[i].length || isSpaceCode(a[i].charCodeAt(p)))) {
      if (p >= a[i].length) { i++; p = 0; } else p++;
    }
    while (j < b1 && (q >= b[j].length || isSpaceCode(b[j].charCodeAt(q)))) {
      if (q >= b[j].length) { j++; q = 0; } else q++;
    }
    if (i >= a1 || j >= b1) return i >= a1 && j >= b1;
    if (a[i].charCodeAt(p) !== b[j].charCodeAt(q)) return false;
    p++;
    q++;
  }
}

/** normalizeLine(p) === normalizeLine(q), without allocating. */
export function normalizedEqual(p: string, q: string): boolean {
  if (p === q) return true;
  // The usual difference is indentation alone: compare what follows it natively.
  let ip = 0;
  while (ip < p.length && isSpaceCode(p.charCodeAt(ip))) ip++;
  let iq = 0;
  while (iq < q.length && isSpaceCode(q.charCodeAt(iq))) iq++;
  if (p.length - ip === q.length - iq && p.startsWith(q.slice(iq), ip)) return true;
  const skip = (s: string, k: number) => {
    while (k < s.length && isSpaceCode(s.charCodeAt(k))) k++;
    return k;
  };
  let i = skip(p, 0);
  let j = skip(q, 0);
  for (;;) {
    if (i >= p.length || j >= q.length) return skip(p, i) >= p.length && skip(q, j) >= q.length;
    const a = p.charCodeAt(i);
    const b = q.charCodeAt(j);
    const sa = isSpaceCode(a);
    const sb = isSpaceCode(b);
    if (sa || sb) {
      if (!(sa && sb)) return skip(p, i) >= p.length && skip(q, j) >= q.length;
      i = skip(p, i);
      j = skip(q, j);
      if ((i >= p.length) !== (j >= q.length)) return false;
      continue;
    }
    if (a !== b) return false;
    i++;
    j++;
  }
}
