import { commentQuotedPhrases, countEols, freeChoiceQuote, statementEnd } from './lineEvidence';
import { isJsLike, isJsx, isMarkdown } from './language';
import type { LineInfo } from './lexer';
import { classifyName, declaredNames } from './naming';
import { Placeholders } from './placeholder';
import type { ChangeBlock } from './anchoredDiff';
import type { Piece } from './hunks';
import type { Conventions, EditorConfigProps, StyleFinding, StyleRule } from './analysisTypes';
import { CommentsRemoved } from './commentsRemoved';
import type { StyleInput } from './styleInput';
import { sameText } from '../text/lineCompare';
import { indentWidth, leadingWhitespace, type SplitText } from '../text/lines';
import { plural } from '../text/plural';

/**
 * A change to this share of the original's lines, all of one kind (indentation, line
 * endings), is one reformat of the whole file and is reported once, not per line.
 */
const WHOLE_FILE_SHARE = 0.5;
const WHOLE_FILE_MIN_LINES = 10;
/**
 * A reformatter often leaves the shallowest lines as they were (2 spaces stays 2 when going
 * from 4 to 2), so a quarter of the indented code lines re-indented already means the file.
 */
const REINDENT_SHARE = 0.25;

/** Holds the style of what the edit introduced against the original's conventions. */
export function checkStyle(input: StyleInput): StyleFinding[] {
  const findings: StyleFinding[] = [];
  const { orig, edit, runs } = input;
  // In Markdown, lines of code blocks (fenced or indented) are examples in prose: their
  // elisions ("// ...") and indentation are the example's, not drift of the file.
  const example = isMarkdown(input.fileName) ? markdownCodeLines(input.edit) : null;
  const placeholders = new Placeholders(input, example);
  const ctx = new RuleContext(input);
  const comments = new CommentsRemoved(input, placeholders.elided);

  const wholeIndent = wholeFileReindent(input);
  if (wholeIndent) findings.push(wholeIndent);
  const wholeEol = wholeFileEol(input);
  if (wholeEol) findings.push(wholeEol);

  // Findings of the current run, by rule.
  const perRule = new Map<StyleRule, { lines: number[]; message: (lines: number[]) => string }>();
  const add = (rule: StyleRule, line0: number, message: (lines: number[]) => string) => {
    const entry = perRule.get(rule) ?? { lines: [], message };
    entry.lines.push(line0 + 1);
    perRule.set(rule, entry);
  };
  // Rules that cannot fire anywhere are not asked line by line.
  const eolStyle = input.conventions.eol.style;
  const checkEol = !wholeEol && eolStyle !== 'unknown' && (eolStyle === 'crlf' || edit.hasCR);
  const checkTrailing = input.conventions.trailingWhitespace === 'trimmed';
  const flush = () => {
    for (const [rule, { lines, message }] of perRule) {
      findings.push({ rule, line: lines[0], message: message(lines), ...(lines.length > 1 ? { lines } : {}) });
    }
    // clear() makes a new table even when empty; most runs add nothing.
    perRule.clear();
  };
  // Placeholders first: the lines they stand for are theirs, not comments-removed's.
  for (const run of runs) if (!run.whitespaceOnly) placeholders.find(run, findings);
  const nestingMoves = !wholeIndent && input.language !== 'text' && !reindentsMuchOfFile(input);
  let previous: Piece | null = null;
  for (const run of runs) {
    // Runs apart by only a blank line or a lone closer are one hunk as git shows them: their
    // findings are reported together.
    if (perRule.size > 0 && !(previous && onlyFillerBetween(edit, previous.b1, run.b0))) flush();
    previous = run;
    for (let j = run.b0; j < run.b1; j++) {
      const li = input.editInfo[j];
      if (!(wholeIndent && run.whitespaceOnly) && !example?.[j]) ctx.indent(j, li, add);
      if (checkEol) ctx.eol(j, add);
      if (checkTrailing && edit.ends[j] > edit.starts[j]) {
        const last = edit.text.charCodeAt(edit.ends[j] - 1);
        if (last === 32 || last === 9) ctx.trailing(j, li, add, run);
      }
      if (li && !run.whitespaceOnly) {
        ctx.quotes(j, li, add);
        ctx.semicolons(j, li, add, run);
        ctx.naming(j, li, add);
      }
    }
    if (nestingMoves && run.whitespaceOnly) ctx.nesting(run, add);
    if (!run.whitespaceOnly) comments.check(run, findings);
  }
  if (perRule.size > 0) flush();
  wholeFileQuotes(input, findings);

  const fin = finalNewline(orig, edit, input.conventions, input.editorConfig);
  if (fin) findings.push(fin);
  findings.sort((x, y) => x.line - y.line || x.rule.localeCompare(y.rule));
  return findings;
}

/**
 * Whitespace-only re-indents cover a good share of the file's indented lines: a whole-file
 * matter (a new unit, or a wrapper added or removed around everything), which
 * wholeFileReindent judges once, not a block moved to another level.
 */
function reindentsMuchOfFile(input: StyleInput): boolean {
  let moved = 0;
  for (const run of input.runs) if (run.whitespaceOnly) moved += run.b1 - run.b0;
  if (moved < WHOLE_FILE_MIN_LINES) return false;
  return moved >= input.orig.count * REINDENT_SHARE || moved >= countIndented(input.orig, input.origInfo) * REINDENT_SHARE;
}

/** 1 for each line of a Markdown text inside a code block: fenced (``` or ~~~) or indented four spaces or a tab after a blank line. */
export function markdownCodeLines(t: SplitText): Uint8Array {
  const out = new Uint8Array(t.count);
  let fence: string | null = null;
  let indented = false;
  for (let k = 0; k < t.count; k++) {
    const line = t.line(k);
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      out[k] = 1;
      if (open && open[1][0] === fence[0] && open[1].length >= fence.length && !line.slice(open[0].length).trim()) fence = null;
      continue;
    }
    if (open) {
      fence = open[1];
      out[k] = 1;
      continue;
    }
    const code = /^(?: {4}|\t)/.test(line) && !!line.trim();
    indented = code && (indented || k === 0 || !t.line(k - 1).trim());
    if (indented) out[k] = 1;
  }
  return out;
}

/** Edited lines [from, to) are at most two, each blank or only closing brackets (`}`, `});`, `]`). */
function onlyFillerBetween(edit: SplitText, from: number, to: number): boolean {
  if (to - from > 2) return false;
  for (let k = from; k < to; k++) if (!/^\s*[}\])]*[;,]?\s*$/.test(edit.line(k))) return false;
  return true;
}

/**
 * Quote findings on this share of the original's lines that hold a string literal (and at
 * least WHOLE_FILE_MIN_LINES lines) are one change of the whole file's quotes, reported once
 * as a re-indent or a line-ending change is.
 */
function wholeFileQuotes(input: StyleInput, findings: StyleFinding[]): void {
  let flagged = 0;
  let groups = 0;
  for (const f of findings) {
    if (f.rule !== 'quotes') continue;
    groups++;
    flagged += f.lines?.length ?? 1;
  }
  if (groups < 2 || flagged < WHOLE_FILE_MIN_LINES) return;
  let withStrings = 0;
  for (const li of input.origInfo ?? []) if (li && li.strings.some((x) => x.quote.length === 1)) withStrings++;
  if (flagged < withStrings * WHOLE_FILE_SHARE) return;
  const lines: number[] = [];
  for (let k = 0; k < findings.length; k++) {
    const f = findings[k];
    if (f.rule !== 'quotes') continue;
    lines.push(...(f.lines ?? [f.line]));
    findings.splice(k--, 1);
  }
  lines.sort((x, y) => x - y);
  const pref = input.conventions.quotes;
  findings.push({
    rule: 'quotes',
    line: lines[0],
    message: `The whole file's quotes were changed (${lines.length} lines); ${input.editorConfig?.quote_type === pref ? '.editorconfig asks for' : 'the file uses'} ${pref === 'unknown' ? 'other' : pref} quotes`,
    lines,
  });
}

/** `one` for a single line ("A line was"), else the count and `many` ("3 lines were"). */
function linesOrOne(lines: number[], one: string, many: string): string {
  return lines.length === 1 ? one : `${lines.length} ${many}`;
}

function listLines(lines: number[]): string {
  if (lines.length === 1) return `line ${lines[0]}`;
  const shown = lines.slice(0, 6).join(', ');
  return `lines ${shown}${lines.length > 6 ? ', …' : ''}`;
}

function describeIndent(c: Conventions['indent']): string {
  return c.style === 'tabs' ? 'tabs' : `${c.unit} spaces`;
}

type Add = (rule: StyleRule, line0: number, message: (lines: number[]) => string) => void;

class RuleContext {
  private origUnindented: Set<string> | null = null;
  private origLines: Set<string> | null = null;
  private searches = 0;

  constructor(private readonly input: StyleInput) {}

  private get c(): Conventions {
    return this.input.conventions;
  }

  /**
   * Edited line j is a copy of an original line: the edit did not introduce it. The first
   * few questions search the original's text; past that a set of its lines is cheaper.
   */
  private existedBefore(j: number): boolean {
    const line = this.input.edit.line(j);
    if (this.origLines) return this.origLines.has(line);
    if (++this.searches > 8) {
      this.origLines = new Set(this.input.orig.lines);
      return this.origLines.has(line);
    }
    const text = this.input.originalText;
    for (let at = text.indexOf(line); at >= 0; at = text.indexOf(line, at + 1)) {
      const startsLine = at === 0 || text.charCodeAt(at - 1) === 10 || text.charCodeAt(at - 1) === 13;
      const end = at + line.length;
      const endsLine = end === text.length || text.charCodeAt(end) === 10 || text.charCodeAt(end) === 13;
      if (startsLine && endsLine) return true;
    }
    return false;
  }

  /** One of the original lines the run replaced is exactly this line. */
  private replacedLinesHold(run: ChangeBlock, line: string): boolean {
    for (let i = run.a0; i < run.a1; i++) if (this.input.orig.line(i) === line) return true;
    return false;
  }

  /** Same, ignoring indentation: a re-indented line kept its own trailing whitespace. */
  private existedBeforeUnindented(j: number): boolean {
    this.origUnindented ??= new Set(this.input.orig.lines.map((l) => l.trimStart()));
    return this.origUnindented.has(this.input.edit.line(j).trimStart());
  }

  indent(j: number, li: LineInfo | undefined, add: Add): void {
    const ind = this.c.indent;
    if (ind.style === 'unknown' || (li && li.startsInsideLiteral)) return;
    const line = this.input.edit.line(j);
    const ws = leadingWhitespace(line);
    if (ws.length === 0 || ws.length === line.length) return;
    const where = ind.source === 'editorconfig' ? '.editorconfig asks for' : 'the file uses';
    let message: ((ls: number[]) => string) | null = null;
    if (ind.style === 'spaces' && ws.includes('\t')) {
      message = (ls) => `${linesOrOne(ls, 'A new line is', 'new lines are')} indented with tabs; ${where} ${describeIndent(ind)} (${listLines(ls)})`;
    } else if (ind.style === 'tabs' && ws.startsWith('  ')) {
      message = (ls) => `${linesOrOne(ls, 'A new line is', 'new lines are')} indented with spaces; ${where} tabs (${listLines(ls)})`;
    } else if (ind.style === 'spaces') {
      // A new block opened by the line above should be one unit deeper.
      const prev = this.previousNonBlank(j);
      const opener = this.input.language === 'python' ? /:\s*(?:#.*)?$/ : /\{\s*$/;
      if (prev === null || !opener.test(prev)) return;
      const prevWs = leadingWhitespace(prev);
      const delta = ws.length - prevWs.length;
      if (prevWs.includes('\t') || delta <= 0 || delta === ind.unit || (delta !== 2 && delta !== 4 && delta !== 8)) return;
      message = (ls) => `${linesOrOne(ls, 'A new line is', 'new lines are')} indented by ${delta} spaces a level; ${where} ${ind.unit} (${listLines(ls)})`;
    }
    if (message && !this.existedBefore(j)) add('indent', j, message);
  }

  /**
   * Lines re-indented with nothing else changed around them (a whitespace-only run): code
   * moved to another nesting level, a method dedented out of its class, a call or a docstring
   * body shifted a level, even in the file's own unit and character. Code wrapped in a new
   * block or taken out of one changes the opener next to it, so its run is not whitespace-only.
   */
  nesting(run: Piece, add: Add): void {
    const { orig, edit } = this.input;
    if (run.a1 - run.a0 !== run.b1 - run.b0) return;
    for (let k = 0; k < run.a1 - run.a0; k++) {
      const i = run.a0 + k;
      const j = run.b0 + k;
      const before = leadingWhitespace(orig.line(i));
      const line = edit.line(j);
      const after = leadingWhitespace(line);
      if (after.length === line.length || before === after) continue;
      // Tabs against spaces is the indent rule's own finding.
      if (/\t/.test(before) !== /\t/.test(after) || / /.test(before) !== / /.test(after) && before && after) continue;
      const delta = after.length - before.length;
      const unit = after.includes('\t') || before.includes('\t') ? 'tab' : 'space';
      add('indent', j, (ls) => `${linesOrOne(ls, 'A line was', 'lines were')} moved ${plural(Math.abs(delta), unit)} ${delta > 0 ? 'deeper' : 'shallower'}, to another nesting level, with no change to the code around ${ls.length === 1 ? 'it' : 'them'} (${listLines(ls)})`);
    }
  }

  private previousNonBlank(j: number): string | null {
    const edit = this.input.edit;
    for (let k = j - 1; k >= 0 && k >= j - 50; k--) {
      const line = edit.line(k);
      if (line.trim()) return line;
    }
    return null;
  }

  eol(j: number, add: Add): void {
    const eol = this.input.edit.eol(j);
    const want = this.c.eol.style;
    if (want === 'unknown' || eol === '') return;
    const bad = want === 'lf' ? eol !== '\n' : eol !== '\r\n';
    if (!bad) return;
    const got = eol === '\r\n' ? 'CRLF' : eol === '\r' ? 'CR' : 'LF';
    const source = this.c.eol.source === 'editorconfig' ? '.editorconfig asks for' : 'the file uses';
    add('line-endings', j, (ls) => `${linesOrOne(ls, 'A new line ends', 'new lines end')} in ${got}; ${source} ${want.toUpperCase()} (${listLines(ls)})`);
  }

  /** Edited line j ends in a space or tab (the caller looks, in place, for every line). */
  trailing(j: number, li: LineInfo | undefined, add: Add, run: ChangeBlock): void {
    if (li && li.startsInsideLiteral) return;
    const line = this.input.edit.line(j);
    if (/\.(md|markdown)$/i.test(this.input.fileName ?? '') && / {2}$/.test(line) && !/ {3}$/.test(line)) return;
    if (!line.trim()) {
      // A line of indentation only is trailing whitespace too; once trimmed it would match
      // every blank line of the original, so it counts as copied only from the lines it replaced.
      if (this.replacedLinesHold(run, line)) return;
    } else if (this.existedBeforeUnindented(j)) return;
    add('trailing-whitespace', j, (ls) => `${linesOrOne(ls, 'A new line ends', 'new lines end')} in whitespace, which the file trims (${listLines(ls)})`);
  }

  quotes(j: number, li: LineInfo, add: Add): void {
    const pref = this.c.quotes;
    // Where .editorconfig set the string quotes, say so rather than claim the file uses them.
    const fromConfig = this.input.editorConfig?.quote_type === pref;
    const flag = (used: string, convention: string, what: string) =>
      add('quotes', j, (ls) => `${linesOrOne(ls, `A new ${what} uses`, 'new lines use')} ${used} quotes; ${what === 'string' && fromConfig ? '.editorconfig asks for' : 'the file uses'} ${convention} quotes (${listLines(ls)})`);
    const jsx = isJsx(this.input.fileName);
    for (const s of li.strings) {
      if (s.quote.length === 3) {
        const tq = this.c.tripleQuotes;
        if (tq !== 'unknown' && s.quote !== (tq === 'single' ? "'''" : '"""')) return flag(`${s.quote}`, tq === 'single' ? "'''" : '"""', 'docstring');
        continue;
      }
      if (pref === 'unknown' || !freeChoiceQuote(s) || s.quote === (pref === 'single' ? "'" : '"')) continue;
      if (jsx && s.before === '=') continue;
      if (this.stringExistedBefore(s.quote + s.text + s.quote)) continue;
      return flag(s.quote === '"' ? 'double' : 'single', pref, 'string');
    }
    const cq = this.c.commentQuotes;
    if (cq !== 'unknown' && li.comment) {
      for (const p of commentQuotedPhrases(li.comment)) {
        if (p.quote === (cq === 'single' ? "'" : '"')) continue;
        if (this.stringExistedBefore(`${p.quote}${p.text}${p.quote}`)) continue;
        return flag(p.quote === '"' ? 'double' : 'single', cq, 'comment');
      }
    }
  }

  /** The original has this literal (or quoted comment phrase) already: the edit kept its quotes. */
  private stringExistedBefore(literal: string): boolean {
    return this.input.originalText.includes(literal);
  }

  semicolons(j: number, li: LineInfo, add: Add, run: ChangeBlock): void {
    const style = this.c.semicolons;
    if (style === 'unknown' || !isJsLike(this.input.language)) return;
    const kind = statementEnd(li, this.nextCode(this.input.edit, j));
    const drift = (style === 'always' && kind === 'bare') || (style === 'never' && kind === 'semi');
    if (!drift || this.existedBefore(j) || this.replacedStatementEndedSo(run, li.code, kind!)) return;
    if (kind === 'bare') {
      add('semicolons', j, (ls) => `${linesOrOne(ls, 'A new statement ends', 'new statements end')} without a semicolon; the file ends statements with one (${listLines(ls)})`);
    } else {
      add('semicolons', j, (ls) => `${linesOrOne(ls, 'A new statement ends', 'new statements end')} with a semicolon; the file omits them (${listLines(ls)})`);
    }
  }

  /**
   * The run replaced a statement that began the same way and ended the same way (`run(a)`
   * without a semicolon became `run(a, b)` without one): the edit did not drop it.
   */
  private replacedStatementEndedSo(run: ChangeBlock, code: string, kind: 'semi' | 'bare'): boolean {
    const info = this.input.origInfo;
    const head = /^[^\s(=.]+/.exec(code)?.[0];
    if (!info || !head) return false;
    for (let i = run.a0; i < run.a1; i++) {
      const li = info[i];
      if (li && li.code.startsWith(head) && statementEnd(li, this.nextCode(this.input.orig, i)) === kind) return true;
    }
    return false;
  }

  /** The next line's code, for telling a statement's end from a continued expression. */
  private nextCode(text: SplitText, j: number): string {
    const edit = text;
    for (let k = j + 1; k < edit.count && k <= j + 20; k++) {
      const t = edit.line(k).trim();
      if (!t || t.startsWith('//') || t.startsWith('/*') || t.startsWith('*')) continue;
      return t;
    }
    return '';
  }

  naming(j: number, li: LineInfo, add: Add): void {
    const conv = this.c.naming;
    if (conv === 'unknown') return;
    for (const name of declaredNames(li.code, this.input.language)) {
      const c = classifyName(name);
      if ((c !== 'camel' && c !== 'snake') || c === conv) continue;
      if (this.nameExistedBefore(name)) continue;
      add('naming', j, (ls) => `${linesOrOne(ls, `New name "${name}" is`, 'new names are')} ${c === 'snake' ? 'snake_case' : 'camelCase'}; the file names things in ${conv === 'snake' ? 'snake_case' : 'camelCase'} (${listLines(ls)})`);
      return;
    }
  }

  private nameExistedBefore(name: string): boolean {
    return new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(this.input.originalText);
  }
}

/**
 * A removed final newline the file (or .editorconfig) wants. Adding the one a file lacked is
 * an improvement, not drift, unless .editorconfig says the file has none.
 */
function finalNewline(orig: SplitText, edit: SplitText, c: Conventions, ec: EditorConfigProps | undefined): StyleFinding | null {
  if (orig.count === 0 || edit.count === 0 || c.finalNewline === null) return null;
  const editHas = edit.eol(edit.count - 1) !== '';
  const origHas = orig.eol(orig.count - 1) !== '';
  if (editHas === c.finalNewline || editHas === origHas) return null;
  if (editHas && ec?.insert_final_newline !== false) return null;
  return {
    rule: 'final-newline',
    line: edit.count,
    message: c.finalNewline ? 'The edit removed the newline at the end of the file' : 'The edit added a newline at the end of a file that .editorconfig says has none',
  };
}

/** Indents compared to name the old and new unit of a re-indented file. */
const MAX_SAMPLES = 200;
/** The share of re-indented lines moved by one amount that makes a re-indent a shift. */
const SHIFT_SHARE = 0.9;

function wholeFileReindent(input: StyleInput): StyleFinding | null {
  const { orig, edit, runs } = input;
  let changed = 0;
  let first = -1;
  const samples: Array<[string, string]> = [];
  for (const run of runs) {
    if (!run.whitespaceOnly || run.a1 - run.a0 !== run.b1 - run.b0) continue;
    for (let k = 0; k < run.a1 - run.a0; k++) {
      const i = run.a0 + k;
      const j = run.b0 + k;
      const wa = indentWidth(orig, i);
      const wb = indentWidth(edit, j);
      if (orig.starts[i] + wa === orig.ends[i] || (wa === wb && sameText(orig.text, orig.starts[i], edit.text, edit.starts[j], wb))) continue;
      changed++;
      if (first < 0) first = j;
      if (samples.length >= MAX_SAMPLES) continue;
      // Block-comment continuation lines (' * ...') are aligned, not indented: no evidence of the unit.
      const inComment = input.origInfo?.[i]?.startsInsideLiteral || orig.text.charCodeAt(orig.starts[i] + wa) === 42;
      if (!inComment) samples.push([orig.text.substr(orig.starts[i], wa), edit.text.substr(edit.starts[j], wb)]);
    }
  }
  if (changed < WHOLE_FILE_MIN_LINES) return null;
  // The original's indented lines are counted only when it could matter: there are no more
  // of them than lines.
  if (changed < orig.count * REINDENT_SHARE && changed < countIndented(orig, input.origInfo) * REINDENT_SHARE) return null;
  if (shiftedOnly(samples)) return null;
  return {
    rule: 'indent',
    line: first + 1,
    message: `The whole file was re-indented (${changed} lines), from ${guessUnit(samples.map((s) => s[0]))} to ${guessUnit(samples.map((s) => s[1]))}`,
  };
}

/**
 * The lines moved by the same amount at every depth, in the same style, the outermost level
 * included: a wrapper added or removed (an IIFE, a describe block), not a change of indent
 * style or unit. A unit change leaves the outermost code where it was and scales the rest (4
 * becomes 2, 8 becomes 4), so no line leaves or reaches column 0.
 */
function shiftedOnly(samples: Array<[string, string]>): boolean {
  const shifts = new Map<number, number>();
  for (const [from, to] of samples) {
    if ((from.includes(' ') && to.includes('\t')) || (from.includes('\t') && to.includes(' '))) return false;
    const d = to.length - from.length;
    shifts.set(d, (shifts.get(d) ?? 0) + 1);
  }
  let shift = 0;
  let most = 0;
  for (const [d, count] of shifts) if (count > most) [shift, most] = [d, count];
  if (shift === 0 || most < SHIFT_SHARE * samples.length) return false;
  return samples.some(([from, to]) => (shift > 0 ? from === '' : to === ''));
}

/** Indented lines that hold more than whitespace and do not start inside a literal. */
function countIndented(orig: SplitText, info: StyleInput['origInfo']): number {
  let indented = 0;
  for (let i = 0; i < orig.count; i++) {
    const w = indentWidth(orig, i);
    if (w > 0 && orig.line(i).trim() && !info?.[i]?.startsInsideLiteral) indented++;
  }
  return indented;
}

function guessUnit(indents: string[]): string {
  if (indents.some((s) => s.includes('\t'))) return 'tabs';
  const widths = indents.map((s) => s.length).filter((w) => w > 0);
  if (widths.length === 0) return 'no indentation';
  const gcd = widths.reduce((g, w) => {
    let x = g;
    let y = w;
    while (y) [x, y] = [y, x % y];
    return x;
  });
  return gcd === 1 ? '1 space' : `${gcd} spaces`;
}

function wholeFileEol(input: StyleInput): StyleFinding | null {
  const { orig, edit, conventions } = input;
  if (conventions.eol.style === 'unknown' || edit.count < WHOLE_FILE_MIN_LINES) return null;
  const want = conventions.eol.style === 'lf' ? '\n' : '\r\n';
  const counts = countEols(edit);
  const other = want === '\n' ? counts.crlf + counts.cr : counts.lf + counts.cr;
  if (other < edit.count * WHOLE_FILE_SHARE || other < orig.count * WHOLE_FILE_SHARE) return null;
  let first = 0;
  while (edit.eol(first) === '' || edit.eol(first) === want) first++;
  return {
    rule: 'line-endings',
    line: first + 1,
    message: `The whole file's line endings were changed to ${want === '\n' ? 'CRLF' : 'LF'} (${other} lines); the file uses ${conventions.eol.style.toUpperCase()}`,
  };
}
