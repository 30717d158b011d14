import type { EditError } from '../edit/types';
import { answerLines, closesFence, openingFence, type Fence } from './fences';

/**
 * One SEARCH/REPLACE block. Each part is a sequence of whole lines, each followed by `\n`
 * (the last one's `\n` may be left off): `''` is no line at all (a deletion's REPLACE part),
 * `'\n'` is one empty line.
 */
export interface SearchReplace {
  search: string;
  replace: string;
}

export type SearchReplaceParse = { ok: true; edits: SearchReplace[] } | { ok: false; error: EditError };

/*
 * Reading an answer (see fences.ts for how lines and fences are read):
 * - Markers are whole lines, compared with the whitespace around them trimmed:
 *   SEARCH  `<<<<<<< SEARCH` (5-9 `<`) or `------- SEARCH` (3-9 `-`, Cline's); an optional
 *           space before the word and `>` after it;
 *   DIVIDER `=======` (5-9 `=`);
 *   REPLACE `>>>>>>> REPLACE` (5-9 `>`) or `+++++++ REPLACE` (3-9 `+`); an optional space before.
 * - A block is SEARCH, the lines to find, DIVIDER, the lines that replace them, REPLACE.
 *   Lines outside blocks (prose, fences, file names) are not read.
 * - Refused (`malformed-output`), naming the block: a SEARCH or REPLACE marker before the
 *   divider, a second divider or a SEARCH marker inside the REPLACE part (a model "trying
 *   again"), a SEARCH part that never reaches its divider, no block at all.
 * - The last block may lack its REPLACE marker when the answer ended normally
 *   (finish_reason "stop"): inside a fence, its REPLACE part ends where that fence closes (or
 *   at the end of the answer if the fence never does); outside a fence it runs to the end of
 *   the answer, trailing blank lines dropped, and is refused if a blank line remains in it,
 *   since past a blank line code and the prose after it cannot be told apart.
 * - finish_reason "length" is `truncated`, whatever the text.
 */
const SEARCH = /^(?:<{5,9}|-{3,9}) ?SEARCH>?$/;
const DIVIDER = /^={5,9}$/;
const REPLACE = /^(?:>{5,9}|\+{3,9}) ?REPLACE<?$/;

const malformed = (message: string): { ok: false; error: EditError } => ({ ok: false, error: { kind: 'malformed-output', message } });
export const TRUNCATED: { ok: false; error: EditError } = {
  ok: false,
  error: { kind: 'truncated', message: 'The model ran out of output tokens before it finished (finish_reason "length")' },
};

/** The "search-replace" format's answer: its blocks in order. */
export function parseSearchReplaceAnswer(text: string, finishReason: string | null): SearchReplaceParse {
  if (finishReason === 'length') return TRUNCATED;
  return searchReplaceBlocksIn(answerLines(text), finishReason);
}

/** The blocks in some of an answer's lines (the whole answer, or one file's part of it). */
export function searchReplaceBlocksIn(lines: readonly string[], finishReason: string | null): SearchReplaceParse {
  const edits: SearchReplace[] = [];
  let fence: Fence | null = null;
  for (let i = 0; i < lines.length; i++) {
    const marker = lines[i].trim();
    if (!SEARCH.test(marker)) {
      // Outside blocks, follow fences: a block missing its closer ends where its fence does.
      if (fence) {
        if (closesFence(lines[i], fence)) fence = null;
      } else fence = openingFence(lines[i]);
      continue;
    }
    const n = edits.length + 1;
    const search: string[] = [];
    for (i++; i < lines.length; i++) {
      const m = lines[i].trim();
      if (DIVIDER.test(m)) break;
      if (SEARCH.test(m)) return malformed(`SEARCH/REPLACE block ${n} has a second SEARCH line before its ======= line`);
      if (REPLACE.test(m)) return malformed(`SEARCH/REPLACE block ${n} has no ======= line between its SEARCH and REPLACE parts`);
      search.push(lines[i]);
    }
    if (i >= lines.length) return malformed(`SEARCH/REPLACE block ${n} never reaches its ======= line`);
    const replace: string[] = [];
    let fenceEnd = -1;
    let closed = false;
    for (i++; i < lines.length; i++) {
      const m = lines[i].trim();
      if (REPLACE.test(m)) {
        closed = true;
        break;
      }
      if (DIVIDER.test(m)) return malformed(`SEARCH/REPLACE block ${n} has a second ======= line in its REPLACE part; it is not clear which lines are meant`);
      if (SEARCH.test(m)) return malformed(`SEARCH/REPLACE block ${n} is never closed: a SEARCH line starts inside its REPLACE part`);
      if (fence && fenceEnd < 0 && closesFence(lines[i], fence)) fenceEnd = replace.length;
      replace.push(lines[i]);
    }
    if (!closed) {
      if (finishReason !== 'stop') return malformed(`SEARCH/REPLACE block ${n} is never closed with >>>>>>> REPLACE`);
      if (fenceEnd >= 0) replace.length = fenceEnd;
      else {
        while (replace.length && replace[replace.length - 1].trim() === '') replace.pop();
        if (!fence && replace.some((l) => l.trim() === '')) {
          return malformed(`SEARCH/REPLACE block ${n} is never closed with >>>>>>> REPLACE, and where its REPLACE part ends cannot be told`);
        }
      }
    }
    edits.push({ search: partText(search), replace: partText(replace) });
  }
  if (!edits.length) return malformed('The answer has no SEARCH/REPLACE block');
  return { ok: true, edits };
}

function partText(lines: readonly string[]): string {
  let out = '';
  for (const l of lines) out += l + '\n';
  return out;
}

/** A part's lines (see SearchReplace). */
export function partLines(part: string): string[] {
  if (part === '') return [];
  const lines = part.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
