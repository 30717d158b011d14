/**
 * Fenced code blocks in a model's answer, read the way CommonMark reads them, so that a
 * grader in another language can read an answer exactly as Edit Scope does:
 *
 * - The answer is split into lines at `\r\n`, `\r` or `\n`; a byte-order mark at its start is dropped.
 * - An opening fence is a line of spaces, then 3 or more backticks or 3 or more tildes, then an
 *   info string; a backtick fence's info string may hold no backtick. Its first word (up to a
 *   space, `{` or `:`), lower-cased, is the block's language tag.
 * - The block ends at the first line that is the same character, at least as many of it, and
 *   nothing but spaces after, indented at most 3 spaces more than the opening fence. A longer
 *   fence therefore keeps shorter fence lines inside it as text (a Markdown file being edited).
 * - Content lines lose up to as many leading spaces as the opening fence was indented (a fence
 *   inside a list item).
 * - A block never closed runs to the end of the answer and is marked `closed: false`.
 *
 * CommonMark limits an opening fence to 3 spaces of indentation at the top level; an answer's
 * fences are often inside list items, so any indentation is taken.
 */

export interface Fence {
  char: '`' | '~';
  length: number;
  indent: number;
}

export interface FencedBlock {
  /** The content lines. */
  lines: string[];
  closed: boolean;
  /** The info string's first word, lower-cased ('' when none). */
  tag: string;
  /** Index of the opening fence line in the answer's lines. */
  open: number;
  /** Index of the closing fence line, or the number of lines when never closed. */
  close: number;
  fence: Fence;
}

/** The answer's lines, as every parser here reads them. */
export function answerLines(text: string): string[] {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\r|\n/);
}

const OPENER = /^( *)(`{3,}|~{3,})(.*)$/;

/** The fence a line opens, with the block's tag, or null. */
export function openingFence(line: string): (Fence & { tag: string }) | null {
  const m = OPENER.exec(line);
  if (!m) return null;
  const char = m[2][0] as '`' | '~';
  if (char === '`' && m[3].includes('`')) return null;
  const tag = /^\s*([^\s{:]*)/.exec(m[3])![1].toLowerCase();
  return { char, length: m[2].length, indent: m[1].length, tag };
}

/** Whether a line closes a block opened by `fence`. */
export function closesFence(line: string, fence: Fence): boolean {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  if (i > fence.indent + 3) return false;
  let n = 0;
  while (line[i + n] === fence.char) n++;
  if (n < fence.length) return false;
  return line.slice(i + n).trim() === '';
}

/**
 * Every fenced block of the answer in order. With `nested`, a fence line carrying a tag
 * inside a block opens an inner block and the next bare fence line closes it: how a person
 * reads an answer whose fence is no longer than the fences in the file it holds.
 */
export function fencedBlocks(lines: readonly string[], nested: (fence: Fence) => boolean = () => false): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = openingFence(lines[i]);
    if (!fence) continue;
    const open = i;
    const deep = nested(fence);
    const body: string[] = [];
    let depth = 0;
    let closed = false;
    for (i++; i < lines.length; i++) {
      const line = lines[i];
      if (closesFence(line, fence)) {
        if (depth === 0) {
          closed = true;
          break;
        }
        depth--;
      } else if (deep) {
        const inner = openingFence(line);
        if (inner && inner.tag && inner.char === fence.char && inner.length >= fence.length) depth++;
      }
      body.push(dedent(line, fence.indent));
    }
    blocks.push({ lines: body, closed, tag: fence.tag, open, close: i, fence });
  }
  return blocks;
}

function dedent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && line.charCodeAt(i) === 32) i++;
  return i ? line.slice(i) : line;
}

/** The longest run (3 or more) of a fence character that starts a line of `text` after spaces or tabs, 0 when none. */
export function longestFenceRun(text: string, char: '`' | '~'): number {
  let longest = 0;
  for (const line of text.split(/\r\n|\r|\n/)) {
    let i = 0;
    while (line[i] === ' ' || line[i] === '\t') i++;
    let n = 0;
    while (line[i + n] === char) n++;
    if (n >= 3 && n > longest) longest = n;
  }
  return longest;
}
