/**
 * A text and where its lines are: line k is `text[starts[k], ends[k])` and its terminator
 * `text[ends[k], starts[k + 1])`. Lines are sliced only when asked for. The engine touches
 * the lines around each change, not every line: splitting a 50,000-line file into strings
 * up front, and the collector copying them, was a large share of its cost.
 */
export class SplitText {
  /** Number of lines; a final terminator does not start another (empty) line. */
  readonly count: number;
  private linesCache: string[] | undefined;
  private eolsCache: string[] | undefined;
  private hasCRCache: boolean | undefined;

  constructor(
    readonly text: string,
    /** Start of each line, then `text.length`. */
    readonly starts: Int32Array,
    /** End of each line's content, where its terminator starts. */
    readonly ends: Int32Array,
    /** Whether the text has a CR, when the caller knows. */
    hasCR?: boolean,
  ) {
    this.count = ends.length;
    this.hasCRCache = hasCR;
  }

  line(k: number): string {
    return this.text.slice(this.starts[k], this.ends[k]);
  }

  /** '\n', '\r\n', '\r' or '' (only the last line may have none). */
  eol(k: number): string {
    const at = this.ends[k];
    const len = this.starts[k + 1] - at;
    if (len === 0) return '';
    if (len === 2) return '\r\n';
    return this.text.charCodeAt(at) === 10 ? '\n' : '\r';
  }

  /** Lines [from, to) as strings. */
  slice(from: number, to: number): string[] {
    const out: string[] = new Array(Math.max(0, to - from));
    for (let k = from; k < to; k++) out[k - from] = this.line(k);
    return out;
  }

  /** Every line as a string, made on first use: for callers that want an array. */
  get lines(): string[] {
    return (this.linesCache ??= this.slice(0, this.count));
  }

  get eols(): string[] {
    if (!this.eolsCache) {
      const eols: string[] = new Array(this.count);
      for (let k = 0; k < this.count; k++) eols[k] = this.eol(k);
      this.eolsCache = eols;
    }
    return this.eolsCache;
  }

  /** The text has a CR anywhere (a CRLF or CR terminator, or a stray CR inside a line). */
  get hasCR(): boolean {
    return (this.hasCRCache ??= this.text.includes('\r'));
  }
}

export function splitLines(text: string): SplitText {
  // One pass with the engine's native search for LF (and a check for the CR before it) when
  // no line ends in a lone CR; a character scan otherwise.
  const anyCR = text.includes('\r');
  let loneCR = false;
  for (let at = anyCR ? text.indexOf('\r') : -1; at >= 0; at = text.indexOf('\r', at + 1)) {
    if (text.charCodeAt(at + 1) !== 10) {
      loneCR = true;
      break;
    }
  }
  const n = text.length;
  // Typed arrays rather than number arrays: nothing for the collector to copy. Sized for
  // lines of about 16 characters and grown by doubling past that.
  let starts = new Int32Array((n >> 4) + 16);
  let ends = new Int32Array(starts.length);
  let count = 0;
  const grow = () => {
    const s2 = new Int32Array(starts.length * 2);
    s2.set(starts);
    starts = s2;
    const e2 = new Int32Array(starts.length);
    e2.set(ends);
    ends = e2;
  };
  if (!anyCR) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
      if (count + 2 >= starts.length) grow();
      ends[count] = at;
      starts[++count] = at + 1;
    }
  } else if (!loneCR) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
      if (count + 2 >= starts.length) grow();
      ends[count] = at > 0 && text.charCodeAt(at - 1) === 13 ? at - 1 : at;
      starts[++count] = at + 1;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (count + 2 >= starts.length) grow();
      ends[count] = i;
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      starts[++count] = i + 1;
    }
  }
  if (starts[count] < n) {
    ends[count] = n;
    starts[++count] = n;
  }
  return new SplitText(text, starts.slice(0, count + 1), ends.slice(0, count), anyCR);
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

/** Spaces and tabs at the start of line k. */
export function indentWidth(t: SplitText, k: number): number {
  const s = t.text;
  const from = t.starts[k];
  const end = t.ends[k];
  let i = from;
  while (i < end && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i - from;
}
