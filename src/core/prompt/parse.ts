import { answerLines, fencedBlocks, longestFenceRun, type Fence, type FencedBlock } from './fences';
import { malformed, TRUNCATED, type TextOutcome } from './outcome';
import { tagRulesOut } from './tags';

export { applySearchReplace } from './applyBlocks';
export { parseSearchReplaceAnswer, searchReplaceBlocksIn, type SearchReplace } from './searchReplace';

/** What the answer is for: the text the model was sent and the file it belongs to. */
export interface AnswerTarget {
  windowText: string;
  /** The file's path, for its extension. */
  file: string;
  /** The selection, 1-based lines of the sent text, when known. */
  selection?: { start: number; end: number };
}

/** The "whole" format's answer: the block holding the file (see wholeFileBlockIn). */
export function parseWholeAnswer(text: string, finishReason: string | null, target?: AnswerTarget): TextOutcome {
  if (finishReason === 'length') return TRUNCATED;
  return wholeFileBlockIn(answerLines(text), target);
}

/**
 * The block holding the file among some of an answer's lines (fences read as in fences.ts).
 * Text outside fences is never taken for the file.
 * - A block whose tag names another language than the file's (a `bash` command, a `diff`)
 *   is never the file (see tags.ts).
 * - Of the rest, a lone block is the file's. Of several, the file's is the only one holding
 *   at least half of the sent text's distinct non-blank lines (compared trimmed); none or
 *   more than one such block is refused. Without a target, several blocks are refused.
 * - When the sent text itself holds fence lines as long as the answer's fence, tagged fence
 *   lines inside the block open inner blocks (see fencedBlocks); the block chosen must then
 *   hold as many such fence lines as the sent text, or where it ends cannot be told.
 * - An answer that ends inside a block (its fence never closes) was cut off, whatever the
 *   finish reason says, even when its last line happens to be the file's: refused.
 * - With the selection known: when the sent text has non-blank lines outside the selection
 *   that do not also occur inside it (compared trimmed), the block must hold at least half
 *   of them (distinct), or it is refused as only part of the text (the selection alone, or a
 *   few lines around it): taken for the whole text, it would delete the rest.
 * - An empty or blank block is refused.
 * - Blank lines at the block's start or end beyond those the sent text has there are dropped.
 */
export function wholeFileBlockIn(lines: readonly string[], target?: AnswerTarget): TextOutcome {
  const runs = target ? { '`': longestFenceRun(target.windowText, '`'), '~': longestFenceRun(target.windowText, '~') } : null;
  const nested = (f: Fence) => !!runs && runs[f.char] >= f.length;
  const blocks = fencedBlocks(lines, nested);
  if (!blocks.length) return malformed('The answer has no fenced code block');
  const cut = blocks.find((b) => !b.closed);
  if (cut) return malformed(`The answer ends inside a code block (its ${cut.fence.char.repeat(cut.fence.length)} fence never closes): it was cut off`);
  const candidates = target ? blocks.filter((b) => !tagRulesOut(b.tag, target.file)) : blocks;
  if (!candidates.length) {
    return malformed(`The answer's code blocks are all in another language (${[...new Set(blocks.map((b) => b.tag))].join(', ')}), none holds ${target!.file}`);
  }
  let chosen: FencedBlock;
  if (candidates.length === 1) chosen = candidates[0];
  else {
    const like = target ? candidates.filter((b) => resembles(b.lines, target.windowText)) : [];
    if (like.length !== 1) {
      return malformed(
        `The answer has ${candidates.length} code blocks${target ? ` and ${like.length || 'none'} of them ${like.length === 1 ? 'holds' : 'hold'} most of the file's lines` : ''}; expected exactly one with the whole updated text`,
      );
    }
    chosen = like[0];
  }
  if (target && nested(chosen.fence) && fenceLines(chosen.lines, chosen.fence) !== fenceLines(target.windowText.split(/\r\n|\r|\n/), chosen.fence)) {
    return malformed(`The code block's fence (${chosen.fence.char.repeat(chosen.fence.length)}) is no longer than fences inside the file, and where the block ends cannot be told`);
  }
  const body = chosen.lines.slice();
  if (body.every((l) => l.trim() === '')) return malformed('The code block is empty');
  if (target?.selection && !holdsSurroundings(body, target.windowText, target.selection)) {
    return malformed('The code block holds only part of the text: most lines around the selection are missing, so it cannot stand for the whole text it was asked for');
  }
  return { ok: true, text: (target ? withoutExtraBlankEdges(body, target.windowText) : body).join('\n') };
}

/**
 * The block without the blank lines at its start and end that the sent text does not have
 * there: a blank line after the opening fence or before the closing one is the answer's
 * layout, not a line added to the file.
 */
function withoutExtraBlankEdges(body: string[], windowText: string): string[] {
  const sent = windowText.split(/\r\n|\r|\n/);
  if (sent[sent.length - 1] === '') sent.pop();
  const blanks = (ls: readonly string[], from: number, step: number) => {
    let n = 0;
    for (let i = from; i >= 0 && i < ls.length && ls[i].trim() === ''; i += step) n++;
    return n;
  };
  const lead = Math.max(0, blanks(body, 0, 1) - blanks(sent, 0, 1));
  const trail = Math.max(0, blanks(body, body.length - 1, -1) - blanks(sent, sent.length - 1, -1));
  return body.slice(lead, body.length - trail);
}

function resembles(block: readonly string[], windowText: string): boolean {
  const want = new Set<string>();
  for (const l of windowText.split(/\r\n|\r|\n/)) if (l.trim()) want.add(l.trim());
  if (!want.size) return false;
  let held = 0;
  const seen = new Set<string>();
  for (const l of block) {
    const t = l.trim();
    if (want.has(t) && !seen.has(t)) {
      seen.add(t);
      held++;
    }
  }
  return held * 2 >= want.size;
}

function holdsSurroundings(block: readonly string[], windowText: string, selection: { start: number; end: number }): boolean {
  const lines = windowText.split(/\r\n|\r|\n/);
  const inside = new Set<string>();
  lines.forEach((l, i) => {
    if (i + 1 >= selection.start && i + 1 <= selection.end) inside.add(l.trim());
  });
  const around = new Set<string>();
  lines.forEach((l, i) => {
    const t = l.trim();
    if ((i + 1 < selection.start || i + 1 > selection.end) && t && !inside.has(t)) around.add(t);
  });
  if (!around.size) return true;
  const held = new Set(block.map((l) => l.trim()).filter((t) => around.has(t)));
  return held.size * 2 >= around.size;
}

function fenceLines(lines: readonly string[], fence: Fence): number {
  const run = fence.char.repeat(fence.length);
  let n = 0;
  for (const l of lines) if (l.trimStart().startsWith(run)) n++;
  return n;
}
