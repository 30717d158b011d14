import type { EditError } from '../task/editTask';
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
 *   again"), a REPLACE marker outside a block (a REPLACE part that ran on past its closer), a
 *   SEARCH part that never reaches its divider, no block at all.
 * - The last block may lack its REPLACE marker when the answer ended normally
 *   (finish_reason "stop") and where its REPLACE part ends is clear (see unclosedEnd).
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
    // A REPLACE marker after a block has closed: the block's REPLACE part ran on past its first one.
    if (REPLACE.test(marker)) return malformed(`A >>>>>>> REPLACE line stands outside any block${edits.length ? ` (after block ${edits.length})` : ''}; it is not clear where a REPLACE part ends`);
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
    let closed = false;
    for (i++; i < lines.length; i++) {
      const m = lines[i].trim();
      if (REPLACE.test(m)) {
        closed = true;
        break;
      }
      if (DIVIDER.test(m)) return malformed(`SEARCH/REPLACE block ${n} has a second ======= line in its REPLACE part; it is not clear which lines are meant`);
      if (SEARCH.test(m)) return malformed(`SEARCH/REPLACE block ${n} is never closed: a SEARCH line starts inside its REPLACE part`);
      replace.push(lines[i]);
    }
    if (!closed) {
      const end = unclosedEnd(replace, fence, finishReason);
      if (end < 0) return malformed(`SEARCH/REPLACE block ${n} is never closed with >>>>>>> REPLACE, and where its REPLACE part ends cannot be told`);
      replace.length = end;
    }
    edits.push({ search: partText(search), replace: partText(replace) });
  }
  if (!edits.length) return malformed('The answer has no SEARCH/REPLACE block');
  return { ok: true, edits };
}

/**
 * Where the REPLACE part of a last block without its closer ends, or -1 when that cannot be
 * told: only after a normal stop; at most one fence line may follow the divider, and only
 * the one closing the fence the block is in (then the part ends there); without it, the
 * part runs to the end of the answer, trailing blank lines dropped, and outside a fence it
 * may hold no blank line.
 */
function unclosedEnd(rest: string[], fence: Fence | null, finishReason: string | null): number {
  if (finishReason !== 'stop') return -1;
  const fenceAt: number[] = [];
  rest.forEach((l, k) => {
    if (/^\s*(```|~~~)/.test(l)) fenceAt.push(k);
  });
  if (fenceAt.length > 1) return -1;
  if (fenceAt.length === 1) return fence && closesFence(rest[fenceAt[0]], fence) ? fenceAt[0] : -1;
  let end = rest.length;
  while (end > 0 && rest[end - 1].trim() === '') end--;
  if (!fence && rest.slice(0, end).some((l) => l.trim() === '')) return -1;
  return end;
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

/** A block as an answer writes it, read back by parseSearchReplaceAnswer as the same block. */
export function formatSearchReplace(b: SearchReplace): string {
  const part = (p: string) => (p === '' || p.endsWith('\n') ? p : p + '\n');
  return `<<<<<<< SEARCH\n${part(b.search)}=======\n${part(b.replace)}>>>>>>> REPLACE`;
}
