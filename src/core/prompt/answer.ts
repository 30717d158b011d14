import type { LineRange } from '../analysis/analysisTypes';
import type { EditError, PromptWindow } from '../task/editTask';
import { joinLines, splitLines } from '../text/lines';
import type { EditFormat } from './build';
import { applySearchReplace, parseSearchReplaceAnswer, parseWholeAnswer } from './parse';
import { spliceWindow, windowText } from './window';

/**
 * The whole edited file from a model's answer, or why there is none. A malformed or
 * truncated answer never yields text, so it can never be applied. `file` (the path) tells a
 * block holding the file from one in another language; `range` (the selection, file lines)
 * tells the whole text from the selection alone.
 */
export function editedFromAnswer(
  original: string,
  window: PromptWindow,
  format: EditFormat,
  answer: string,
  finishReason: string | null,
  file = '',
  range?: LineRange,
): { ok: true; edited: string } | { ok: false; error: EditError } {
  const sent = windowText(original, window);
  if (format === 'whole') {
    const selection = range && { start: range.start - window.start + 1, end: Math.min(range.end, window.end) - window.start + 1 };
    const parsed = parseWholeAnswer(answer, finishReason, { windowText: sent, file, selection });
    if (!parsed.ok) return parsed;
    return { ok: true, edited: spliceWindow(original, window, parsed.text) };
  }
  const parsed = parseSearchReplaceAnswer(answer, finishReason);
  if (!parsed.ok) return parsed;
  // Blocks keep every untouched line's own ending, so the window goes back as it comes out.
  // The byte-order mark is the file's, not its first line's: a SEARCH part never holds it.
  const bom = sent.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  const applied = applySearchReplace(sent.slice(bom.length), parsed.edits, window.start);
  if (!applied.ok) return applied;
  const o = splitLines(original);
  return {
    ok: true,
    edited: joinLines(o.lines.slice(0, window.start - 1), o.eols.slice(0, window.start - 1)) + bom + applied.text + joinLines(o.lines.slice(window.end), o.eols.slice(window.end)),
  };
}
