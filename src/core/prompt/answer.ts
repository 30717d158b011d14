import type { EditError, PromptWindow } from '../edit/types';
import type { EditFormat } from './build';
import { applySearchReplace, parseSearchReplaceAnswer, parseWholeAnswer } from './parse';
import { spliceWindow, windowText } from './window';

/**
 * The whole edited file from a model's answer, or why there is none. A malformed or
 * truncated answer never yields text, so it can never be applied.
 */
export function editedFromAnswer(
  original: string,
  window: PromptWindow,
  format: EditFormat,
  answer: string,
  finishReason: string | null,
): { ok: true; edited: string } | { ok: false; error: EditError } {
  let replacement: string;
  if (format === 'whole') {
    const parsed = parseWholeAnswer(answer, finishReason);
    if (!parsed.ok) return parsed;
    replacement = parsed.text;
  } else {
    const parsed = parseSearchReplaceAnswer(answer, finishReason);
    if (!parsed.ok) return parsed;
    const applied = applySearchReplace(windowText(original, window), parsed.edits);
    if (!applied.ok) return applied;
    replacement = applied.text;
  }
  return { ok: true, edited: spliceWindow(original, window, replacement) };
}
