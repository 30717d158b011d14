import { changedRuns, markMoves, splitAtRegions, toHunks, type Piece } from './hunks';
import { inferConventions } from './conventions';
import { languageOf } from './language';
import { cloneState, initialState, lexLines, lexRegions, type LexState, type LineInfo } from './lexer';
import type { ChangeBlock } from './anchoredDiff';
import { checkStyle } from './style';
import { fragmentFindings } from './fragment';
import type { Analysis, AnalyzeOptions, Hunk, LanguageId, LineRange, StyleFinding } from './analysisTypes';
import { InputError } from '../errors';
import { splitLines, type SplitText } from '../text/lines';
import { plural } from '../text/plural';
import { mergeSpans } from '../text/spans';

/**
 * The edit-scope engine: diffs the edited text against the original, splits and classifies
 * hunks against the target regions, and holds the style of what the edit introduced against
 * the original's conventions.
 */
export function analyze(original: string, edited: string, opts: AnalyzeOptions = {}): Analysis {
  const orig = splitLines(original);
  const edit = splitLines(edited);
  const regions = validateRanges(opts.ranges ?? [], orig.count);
  const language = languageOf(opts.fileName);

  const runs = changedRuns(orig, edit, regions);
  const hunks = toHunks(splitAtRegions(orig, edit, runs, regions), regions);
  markMoves(orig, edit, hunks);

  const { origInfo, lexedOrig, lexedRanges, editInfo } = language === 'text' ? notLexed(edit.count) : lexChanges(orig, edit, runs, language);
  const conventions = inferConventions(orig, origInfo, lexedOrig, language, opts.editorConfig ?? {}, lexedRanges);
  const styleDrift = checkStyle({
    originalText: original, orig, edit, runs, origInfo, editInfo, conventions, language, fileName: opts.fileName, regions, editorConfig: opts.editorConfig,
  });
  const bom = bomFinding(original, edited);
  if (bom) styleDrift.unshift(bom);
  const fragments = fragmentFindings(orig, edit, hunks, regions, opts.instruction);
  if (fragments.length) {
    styleDrift.push(...fragments);
    styleDrift.sort((x, y) => x.line - y.line || x.rule.localeCompare(y.rule));
  }

  const { outOfScopeHunks, linesAdded, linesRemoved } = countHunks(hunks);
  return {
    hunks,
    outOfScopeHunks,
    styleDrift,
    conventions,
    language,
    stats: { originalLines: orig.count, editedLines: edit.count, linesAdded, linesRemoved },
  };
}

/** Line by line lexer facts: of the original where lexed, of the edited text on changed lines. */
interface Lexed {
  origInfo: Array<LineInfo | undefined> | null;
  lexedOrig: LineInfo[] | null;
  lexedRanges: Array<[number, number]> | undefined;
  editInfo: Array<LineInfo | undefined>;
}

function notLexed(editedLines: number): Lexed {
  return { origInfo: null, lexedOrig: null, lexedRanges: undefined, editInfo: new Array(editedLines) };
}

/**
 * Lexes the original (for a large file, its head and the context of each change), and of
 * the edited text only the changed lines, each run resuming from the lexer state the
 * original had there (the lines before it are the same). A whitespace-only run holds the
 * same tokens as the original lines it replaces, so it needs no lexing of its own.
 */
function lexChanges(orig: SplitText, edit: SplitText, runs: readonly Piece[], language: LanguageId): Lexed {
  const editInfo: Array<LineInfo | undefined> = new Array(edit.count);
  const contentRuns = runs.filter((r) => !r.whitespaceOnly);
  const lexedRanges = lexedRegions(orig, language, contentRuns);
  const { info, lexed, snapshots } = lexRegions(orig, language, lexedRanges, new Set(contentRuns.flatMap((r) => [r.a0, r.a1])));
  let range = 0;
  // Where a change leaves the edited text inside a literal the original was not in (it
  // opened a docstring, say), the lines after it read differently: the edited text's own
  // state is carried through them to the next change. Not the other way round: a change
  // that leaves the text outside a literal the original was in has almost always broken
  // it (a comment's opening line deleted), and reading the rest of that comment as code
  // would only hide the next change's findings.
  let carried: LexState | undefined;
  let carriedFrom = 0;
  for (const run of runs) {
    if (run.whitespaceOnly) {
      if (run.a1 - run.a0 === run.b1 - run.b0) range = shareOriginalInfo(run, lexedRanges, range, info, editInfo);
      continue;
    }
    // A copy: an insertion's snapshot is also the state the original has after it, which
    // the check below compares against.
    const snapshot = snapshots.get(run.a0);
    let state = snapshot ? cloneState(snapshot) : initialState();
    if (carried && run.b0 - carriedFrom <= MAX_CARRY) {
      lexLines(edit.slice(carriedFrom, run.b0), language, carried);
      state = carried;
    }
    carried = undefined;
    const lexedRun = lexLines(edit.slice(run.b0, run.b1), language, state);
    for (let k = 0; k < lexedRun.length; k++) editInfo[run.b0 + k] = lexedRun[k];
    const originalAfter = snapshots.get(run.a1);
    if (originalAfter && state.mode !== 'code' && (state.mode !== originalAfter.mode || state.triple !== originalAfter.triple)) {
      carried = state;
      carriedFrom = run.b1;
    }
  }
  return { origInfo: info, lexedOrig: lexed, lexedRanges, editInfo };
}

/**
 * A whitespace-only run of as many lines as it replaces takes the original lines' lexer facts.
 * Only lexed lines have anything to share: the part of the run inside lexed ranges (sorted,
 * as runs are). Returns the first range that later runs can still reach.
 */
function shareOriginalInfo(run: Piece, lexedRanges: Array<[number, number]>, range: number, info: Array<LineInfo | undefined>, editInfo: Array<LineInfo | undefined>): number {
  while (range < lexedRanges.length && lexedRanges[range][1] <= run.a0) range++;
  for (let r = range; r < lexedRanges.length && lexedRanges[r][0] < run.a1; r++) {
    const from = Math.max(run.a0, lexedRanges[r][0]);
    const to = Math.min(run.a1, lexedRanges[r][1]);
    for (let i = from; i < to; i++) editInfo[run.b0 + i - run.a0] = info[i];
  }
  return range;
}

function countHunks(hunks: readonly Hunk[]): { outOfScopeHunks: number; linesAdded: number; linesRemoved: number } {
  let linesAdded = 0;
  let linesRemoved = 0;
  let outOfScopeHunks = 0;
  for (const h of hunks) {
    linesAdded += h.editedLines;
    linesRemoved += h.originalLines;
    if (h.scope === 'out') outOfScopeHunks++;
  }
  return { outOfScopeHunks, linesAdded, linesRemoved };
}

/**
 * Files up to this size are lexed whole. Beyond it, conventions come from the first
 * HEAD_LINES lines plus the context of each change: plenty of evidence for a file's style,
 * and it keeps a 50,000-line file's analysis near the cost of the diff alone.
 */
const LEX_WHOLE_LINES = 4000;
const HEAD_LINES = 300;
/**
 * Context lexed before a change (to enter it in the right state) and after it (the code a
 * deleted comment described, so only after a change to lines that hold a comment marker).
 * Python's docstrings cannot be told from the inside, so it gets more before; a JS/TS
 * region that would start inside a block comment starts at its `/*`.
 */
const CONTEXT_BEFORE: Record<'js' | 'python', number> = { js: 8, python: 20 };
const CONTEXT_AFTER = 8;
const MAX_COMMENT_BACKTRACK = 200;
/** How far past a change its different lexer state is carried (a literal left open for good is not followed to the end of a large file). */
const MAX_CARRY = 2000;

function lexedRegions(text: SplitText, language: LanguageId, runs: ChangeBlock[]): Array<[number, number]> {
  const lineCount = text.count;
  if (lineCount <= LEX_WHOLE_LINES) return [[0, lineCount]];
  const before = language === 'python' ? CONTEXT_BEFORE.python : CONTEXT_BEFORE.js;
  const start = (a0: number) => {
    let s = Math.max(0, a0 - before);
    if (language === 'python') return s;
    // ` * text` lines are a block comment's inside: lexed from there they would read as code.
    const floor = Math.max(0, s - MAX_COMMENT_BACKTRACK);
    let k = s;
    while (k > floor && /^\s*\*(?!\/)/.test(text.line(k))) k--;
    if (k < s && text.line(k).includes('/*')) s = k;
    return s;
  };
  const marker = language === 'python' ? /#|"""|'''/ : /\/\/|\/\*|^\s*\*/;
  const holdsComment = (r: ChangeBlock) => {
    for (let k = r.a0; k < r.a1; k++) if (marker.test(text.line(k))) return true;
    return false;
  };
  const end = (r: ChangeBlock) => (holdsComment(r) ? Math.min(lineCount, r.a1 + CONTEXT_AFTER) : r.a1);
  const wanted: Array<[number, number]> = [[0, HEAD_LINES], ...runs.map((r): [number, number] => [start(r.a0), end(r)])];
  return mergeSpans(wanted);
}

function validateRanges(ranges: LineRange[], lineCount: number): LineRange[] {
  for (const r of ranges) {
    if (!Number.isInteger(r.start) || !Number.isInteger(r.end) || r.start < 1 || r.end < r.start) {
      throw new InputError(`invalid range ${r.start}-${r.end}: lines are 1-based and start <= end`);
    }
    if (r.end > lineCount) {
      throw new InputError(`range ${r.start}-${r.end} is outside the original, which has ${plural(lineCount, 'line')}`);
    }
  }
  return ranges;
}

/** A byte-order mark (U+FEFF first) the edit dropped or added: invisible in a diff, not to the tools that read the file. */
function bomFinding(original: string, edited: string): StyleFinding | null {
  const had = original.charCodeAt(0) === 0xfeff;
  if (had === (edited.charCodeAt(0) === 0xfeff)) return null;
  return {
    rule: 'bom',
    line: 1,
    message: had ? 'The byte-order mark (BOM) the file starts with was dropped' : 'A byte-order mark (BOM) was added to a file that had none',
  };
}
