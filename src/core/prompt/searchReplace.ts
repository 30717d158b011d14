import { malformed, TRUNCATED, type Outcome } from './outcome';
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

export type SearchReplaceParse = Outcome<{ edits: SearchReplace[] }>;

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
 *   SEARCH part that never reaches its divider, no block at all. A line that is almost a
 *   marker (10 `>`, a lower-case word) is named as the answer wrote it.
 * - An answer that ends inside a fenced block (its fence never closes) was cut off, whatever
 *   the finish reason says: refused.
 * - The last block may lack its REPLACE marker only when it stands in a fence that closes:
 *   its REPLACE part ends at that fence (see unclosedEnd).
 * - finish_reason "length" is `truncated`, whatever the text.
 */
const SEARCH = /^(?:<{5,9}|-{3,9}) ?SEARCH>?$/;
const DIVIDER = /^={5,9}$/;
const REPLACE = /^(?:>{5,9}|\+{3,9}) ?REPLACE<?$/;


/** The "search-replace" format's answer: its blocks in order. */
export function parseSearchReplaceAnswer(text: string, finishReason: string | null): SearchReplaceParse {
  if (finishReason === 'length') return TRUNCATED;
  return searchReplaceBlocksIn(answerLines(text));
}

/** The blocks in some of an answer's lines (the whole answer, or one file's part of it). */
export function searchReplaceBlocksIn(lines: readonly string[]): SearchReplaceParse {
  const edits: SearchReplace[] = [];
  let fence: Fence | null = null;
  for (let i = 0; i < lines.length; i++) {
    const marker = lines[i].trim();
    // A REPLACE marker after a block has closed: the block's REPLACE part ran on past its first one.
    if (REPLACE.test(marker)) return malformed(`A ${marker} line stands outside any block${edits.length ? ` (after block ${edits.length})` : ''}; it is not clear where a REPLACE part ends${lookalikeNote(lines.slice(0, i))}`);
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
      if (REPLACE.test(m)) return malformed(`SEARCH/REPLACE block ${n} has no ======= line between its SEARCH and REPLACE parts${lookalikeNote(search)}`);
      search.push(lines[i]);
    }
    if (i >= lines.length) return malformed(`SEARCH/REPLACE block ${n} never reaches its ======= line${lookalikeNote(search)}`);
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
      // A line almost a REPLACE marker is where the model meant the part to end: never part of the text.
      const end = lookalikeNote(replace) ? -1 : unclosedEnd(replace, fence);
      if (end < 0) {
        const why = fence && !replace.some((l) => closesFence(l, fence!)) ? 'the answer ends inside its code block (the fence never closes), so it was cut off' : 'where its REPLACE part ends cannot be told';
        return malformed(`SEARCH/REPLACE block ${n} is never closed with a REPLACE line, and ${why}${lookalikeNote(replace)}`);
      }
      replace.length = end;
      fence = null;
    }
    edits.push({ search: partText(search), replace: partText(replace) });
  }
  if (!edits.length) return malformed(`The answer has no SEARCH/REPLACE block${lookalikeNote(lines)}`);
  if (fence) return malformed(`The answer ends inside a code block (its ${fence.char.repeat(fence.length)} fence never closes): it was cut off`);
  return { ok: true, edits };
}

/**
 * Where the REPLACE part of a last block without its closer ends, or -1 when that cannot be
 * told: it must stand in a fenced block, and exactly one fence line may follow the divider,
 * the one closing that block (the part ends there). Anywhere else the answer may have been
 * cut off mid-block, whatever the finish reason says.
 */
function unclosedEnd(rest: string[], fence: Fence | null): number {
  if (!fence) return -1;
  const fenceAt: number[] = [];
  rest.forEach((l, k) => {
    if (/^\s*(```|~~~)/.test(l)) fenceAt.push(k);
  });
  return fenceAt.length === 1 && closesFence(rest[fenceAt[0]], fence) ? fenceAt[0] : -1;
}

/** Lines that are almost markers: a run of the marker character of another length, or the word in another case. */
const NEAR_SEARCH = /^(<+|-+) ?search>?$/i;
const NEAR_REPLACE = /^(>+|\++) ?replace<?$/i;
const NEAR_DIVIDER = /^(=+)$/;

/**
 * Names the first line of `lines` that looks like a marker but is not one, as the answer
 * wrote it, so a refusal says which spelling it met (' ', then the note; '' when none).
 */
export function lookalikeNote(lines: readonly string[]): string {
  for (const line of lines) {
    const t = line.trim();
    if (SEARCH.test(t) || REPLACE.test(t) || DIVIDER.test(t)) continue;
    const m = NEAR_SEARCH.exec(t) ?? NEAR_REPLACE.exec(t) ?? (t.length >= 4 ? NEAR_DIVIDER.exec(t) : null);
    if (!m) continue;
    const c = m[1][0];
    const range = c === '-' || c === '+' ? '3 to 9' : '5 to 9';
    const word = /search|replace/i.exec(t)?.[0];
    const why = word && word !== word.toUpperCase() ? `${word} is not written ${word.toUpperCase()}` : `it has ${m[1].length} \`${c}\`, and a marker has ${range}`;
    return ` (the line "${t}" is not a marker: ${why})`;
  }
  return '';
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
