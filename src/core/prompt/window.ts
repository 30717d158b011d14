import type { PromptWindow } from '../task/editTask';
import type { LineRange } from '../analysis/analysisTypes';
import { joinLines, splitLines } from '../text/lines';
import { SETTING_DEFAULTS } from '../defaults';

/** Lines of context sent on each side of the selection; a file this small or smaller goes whole. */

export function promptWindow(lineCount: number, range: LineRange, contextLines = SETTING_DEFAULTS.contextWindowLines): PromptWindow {
  return { start: Math.max(1, range.start - contextLines), end: Math.min(lineCount, range.end + contextLines) };
}

export function windowText(original: string, w: PromptWindow): string {
  const s = splitLines(original);
  return joinLines(s.lines.slice(w.start - 1, w.end), s.eols.slice(w.start - 1, w.end));
}

/**
 * Puts the model's version of the window back into the whole file. A fenced block cannot say
 * which line endings it meant or whether the last line ended, so both follow the original:
 * otherwise every CRLF file would read as a line-ending rewrite. The lines it left as they
 * were at either end keep their own endings, so a file that mixes them changes only where
 * the model changed it; the lines between take the file's usual ending. A byte-order mark
 * also follows the original, whether or not the model's text kept it.
 */
export function spliceWindow(original: string, w: PromptWindow, replacement: string): string {
  const o = splitLines(original);
  const eol = dominantEol(o.eols);
  const lines = replacement.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  // The byte-order mark belongs to the file, not to its first line: models drop it.
  const bom = w.start === 1 && original.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  lines[0] = bom + (lines[0].charCodeAt(0) === 0xfeff ? lines[0].slice(1) : lines[0]);
  const lastEol = w.end >= 1 ? o.eols[w.end - 1] : o.lines.length ? eol : '\n';
  const was = o.lines.slice(w.start - 1, w.end);
  const wasEols = o.eols.slice(w.start - 1, w.end);
  let head = 0;
  while (head < lines.length && head < was.length && lines[head] === was[head]) head++;
  let tail = 0;
  while (tail < lines.length - head && tail < was.length - head && lines[lines.length - 1 - tail] === was[was.length - 1 - tail]) tail++;
  let mid = '';
  for (let i = 0; i < lines.length; i++) {
    const end = i === lines.length - 1 ? lastEol : i < head ? wasEols[i] : i >= lines.length - tail ? wasEols[was.length - (lines.length - i)] : eol;
    mid += lines[i] + end;
  }
  if (replacement === '') mid = '';
  return joinLines(o.lines.slice(0, w.start - 1), o.eols.slice(0, w.start - 1)) + mid + joinLines(o.lines.slice(w.end), o.eols.slice(w.end));
}

function dominantEol(eols: readonly string[]): string {
  let crlf = 0;
  let lf = 0;
  for (const e of eols) {
    if (e === '\r\n') crlf++;
    else if (e === '\n') lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}
