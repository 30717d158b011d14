import type { EditError } from '../edit/types';

export type Parsed = { ok: true; text: string } | { ok: false; error: EditError };

const OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const CLOSE = /^ {0,3}(`{3,}|~{3,})\s*$/;

interface Block {
  body: string;
  closed: boolean;
}

/** CommonMark-style fences: a block closes only on the same character, at least as long. */
export function fencedBlocks(text: string): Block[] {
  const lines = text.split(/\r\n|\r|\n/);
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]);
    if (!open || (open[1][0] === '`' && open[2].includes('`'))) continue;
    const fence = open[1];
    const body: string[] = [];
    let closed = false;
    for (i++; i < lines.length; i++) {
      const close = CLOSE.exec(lines[i]);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) {
        closed = true;
        break;
      }
      body.push(lines[i]);
    }
    blocks.push({ body: body.join('\n'), closed });
  }
  return blocks;
}

const malformed = (message: string): Parsed => ({ ok: false, error: { kind: 'malformed-output', message } });
const truncated: Parsed = { ok: false, error: { kind: 'truncated', message: 'The model ran out of output tokens before it finished (finish_reason "length")' } };

/** The "whole" format's answer: exactly one fenced block, whatever its language tag. */
export function parseWholeAnswer(text: string, finishReason: string | null): Parsed {
  if (finishReason === 'length') return truncated;
  const blocks = fencedBlocks(text);
  if (blocks.length === 0) return malformed('The answer has no fenced code block');
  if (blocks.length > 1) return malformed(`The answer has ${blocks.length} code blocks; expected exactly one with the whole updated text`);
  const [block] = blocks;
  if (!block.closed) return malformed('The code block is never closed');
  if (block.body.trim() === '') return malformed('The code block is empty');
  return { ok: true, text: block.body };
}

const SEARCH = /^<{5,9} ?SEARCH\s*$/;
const DIVIDER = /^={5,9}\s*$/;
const REPLACE = /^>{5,9} ?REPLACE\s*$/;

export interface SearchReplace {
  search: string;
  replace: string;
}

/** The "search-replace" format's answer: one or more SEARCH/REPLACE blocks, fenced or not. */
export function parseSearchReplaceAnswer(text: string, finishReason: string | null): { ok: true; edits: SearchReplace[] } | { ok: false; error: EditError } {
  if (finishReason === 'length') return truncated as { ok: false; error: EditError };
  const lines = text.split(/\r\n|\r|\n/);
  const edits: SearchReplace[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!SEARCH.test(lines[i])) continue;
    const search: string[] = [];
    const replace: string[] = [];
    let part: string[] | null = search;
    for (i++; i < lines.length; i++) {
      if (part === search && DIVIDER.test(lines[i])) part = replace;
      else if (part === replace && REPLACE.test(lines[i])) {
        part = null;
        break;
      } else part.push(lines[i]);
    }
    if (part !== null) return { ok: false, error: { kind: 'malformed-output', message: `SEARCH/REPLACE block ${edits.length + 1} is never closed` } };
    edits.push({ search: search.join('\n'), replace: replace.join('\n') });
  }
  if (!edits.length) return { ok: false, error: { kind: 'malformed-output', message: 'The answer has no SEARCH/REPLACE block' } };
  return { ok: true, edits };
}

/**
 * Applies the blocks in order to the window's text (LF). Each SEARCH must match exactly once;
 * a block that matches nowhere or twice is the model's error, never a guess.
 */
export function applySearchReplace(windowText: string, edits: readonly SearchReplace[]): Parsed {
  let text = windowText.replace(/\r\n?/g, '\n');
  for (let k = 0; k < edits.length; k++) {
    const { search, replace } = edits[k];
    if (search.trim() === '') return malformed(`SEARCH/REPLACE block ${k + 1} has an empty SEARCH part`);
    const at = text.indexOf(search);
    if (at < 0) return malformed(`SEARCH/REPLACE block ${k + 1} does not match the text: ${JSON.stringify(search.split('\n')[0].slice(0, 80))}`);
    if (text.indexOf(search, at + 1) >= 0) return malformed(`SEARCH/REPLACE block ${k + 1} matches more than one place`);
    text = text.slice(0, at) + replace + text.slice(at + search.length);
  }
  return { ok: true, text };
}
