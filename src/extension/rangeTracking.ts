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
