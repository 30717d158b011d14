import { splitLines } from '../text/lines';
import type { Hunk } from './types';

/**
 * Builds the text with only the chosen hunks applied: unchosen hunks keep the original's
 * lines. Hunks must come from analysing exactly these two texts.
 */
export function applyHunks(original: string, edited: string, hunks: readonly Hunk[], keep: (h: Hunk) => boolean): string {
  const o = splitLines(original);
  const e = splitLines(edited);
  const defaultEol = o.eols.find((x) => x !== '') ?? e.eols.find((x) => x !== '') ?? '\n';
  let out = '';
  let unterminated = false;
  // A kept edited last line (no terminator) can be followed by restored original lines:
  // give it a line ending then, so two lines never run together.
  const emit = (line: string, eol: string) => {
    if (unterminated) out += defaultEol;
    out += line + eol;
    unterminated = eol === '';
  };
  let next = 0; // the next original line (0-based) not yet copied
  const copyOriginal = (upTo: number) => {
    for (; next < upTo; next++) emit(o.lines[next], o.eols[next]);
  };
  for (const h of hunks) {
    // 0-based index of the first original line the hunk replaces (insertions: the line after the anchor).
    const a0 = h.originalLines > 0 ? h.originalStart - 1 : h.originalStart;
    copyOriginal(a0);
    if (keep(h)) {
      const b0 = h.editedLines > 0 ? h.editedStart - 1 : h.editedStart;
      for (let k = b0; k < b0 + h.editedLines; k++) emit(e.lines[k], e.eols[k]);
      next = a0 + h.originalLines;
    } else {
      copyOriginal(a0 + h.originalLines);
    }
  }
  copyOriginal(o.lines.length);
  return out;
}
