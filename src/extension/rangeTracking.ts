// Pure (no 'vscode'): unit-tested in plain mocha.

/** 1-based inclusive lines. */
export interface Lines {
  start: number;
  end: number;
}

/** One edit as the editor reports it: 0-based positions in the text before the edit, and the new text. */
export interface LineChange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  text: string;
}

/**
 * Where the selected lines are after an edit, so Run Again asks about the same code even
 * when lines were added or removed above it. An edit above moves the lines; an edit that
 * touches them grows or shrinks them (never below one line); an edit below leaves them.
 */
export function shiftLines(r: Lines, c: LineChange): Lines {
  const delta = lineBreaks(c.text) - (c.endLine - c.startLine);
  const first = r.start - 1;
  const last = r.end - 1;
  // Ends before the first selected line's text begins (column 0 of it counts as before).
  if (c.endLine < first || (c.endLine === first && c.endCharacter === 0 && (c.startLine < first || c.startCharacter === 0))) {
    return { start: r.start + delta, end: r.end + delta };
  }
  if (c.startLine > last) return r;
  const start = Math.min(r.start, c.startLine + 1);
  return { start, end: Math.max(start, r.end + delta) };
}

/** Applies the edits of one change event in the order the editor lists them. */
export function shiftLinesAll(r: Lines, changes: readonly LineChange[]): Lines {
  return changes.reduce(shiftLines, r);
}

function lineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) n++;
    else if (ch === 13 && text.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

/** Characters [start, end) of a document. */
export interface Span {
  start: number;
  end: number;
}

/** One edit as the editor reports it in offsets: `length` characters at `offset` replaced by `text`. */
export interface OffsetChange {
  offset: number;
  length: number;
  text: string;
}

/**
 * Where an applied region of whole lines is after an edit, so its text can be compared with
 * what was applied. An edit before it moves it; an edit that touches it grows or shrinks it.
 * An insertion at its start is inside when it continues the region's first line (or the
 * region is empty, as an undone insertion leaves it), and before it when it adds whole lines
 * above; an insertion at its end starts the next line, outside.
 */
export function followSpan(s: Span, c: OffsetChange): Span {
  const delta = c.text.length - c.length;
  const cs = c.offset;
  const ce = c.offset + c.length;
  if (c.length === 0) {
    const inside = s.start === s.end ? cs === s.start : (cs > s.start && cs < s.end) || (cs === s.start && !/[\r\n]$/.test(c.text));
    if (inside) return { start: s.start, end: s.end + delta };
    return cs <= s.start ? { start: s.start + delta, end: s.end + delta } : s;
  }
  if (ce <= s.start) return { start: s.start + delta, end: s.end + delta };
  if (cs >= s.end) return s;
  return { start: Math.min(s.start, cs), end: Math.max(s.end, ce) + delta };
}
