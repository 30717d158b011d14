import { commentQuotedPhrases, countEols, freeChoiceQuote, statementEnd } from './conventions';
import { isJsLike, isJsx } from './language';
import type { LineInfo } from './lexer';
import { classifyName, declaredNames } from './naming';
import type { ChangeBlock } from './lineDiff';
import type { Piece } from './hunks';
import type { Conventions, LanguageId, StyleFinding, StyleRule } from './types';
import { sameText } from '../text/lineCompare';
import { leadingWhitespace, normalizeLine, type SplitText } from '../text/lines';

export interface StyleInput {
  originalText: string;
  orig: SplitText;
  edit: SplitText;
  /** Changed runs, merged as in the diff (before any split at region edges). */
  runs: Piece[];
  /** Lexed original lines; a large file has holes where it was not lexed. */
  origInfo: Array<LineInfo | undefined> | null;
  /** Lexed edited lines, by 0-based edited index; only lines inside runs are present. */
  editInfo: Array<LineInfo | undefined>;
  conventions: Conventions;
  language: LanguageId;
  fileName?: string;
  /** The target regions (1-based lines of the original); none means the whole file. */
  regions?: ReadonlyArray<{ start: number; end: number }>;
}

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
  const ctx = new RuleContext(input);

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
  for (const run of runs) {
    // clear() makes a new table even when empty; most runs add nothing.
    if (perRule.size > 0) perRule.clear();
    for (let j = run.b0; j < run.b1; j++) {
      const li = input.editInfo[j];
      if (!(wholeIndent && run.whitespaceOnly)) ctx.indent(j, li, add);
      if (checkEol) ctx.eol(j, add);
      if (checkTrailing && edit.ends[j] > edit.starts[j]) {
        const last = edit.text.charCodeAt(edit.ends[j] - 1);
        if (last === 32 || last === 9) ctx.trailing(j, li, add);
      }
      if (li && !run.whitespaceOnly) {
        ctx.quotes(j, li, add);
        ctx.semicolons(j, li, add);
        ctx.naming(j, li, add);
      }
    }
    if (!run.whitespaceOnly) ctx.commentsRemoved(run, add);
    if (perRule.size === 0) continue;
    for (const [rule, { lines, message }] of perRule) {
      findings.push({ rule, line: lines[0], message: message(lines), ...(lines.length > 1 ? { lines } : {}) });
    }
  }

  const fin = finalNewline(orig, edit, input.conventions);
  if (fin) findings.push(fin);
  findings.sort((x, y) => x.line - y.line || x.rule.localeCompare(y.rule));
  return findings;
}

function plural(lines: number[], one: string, many: string): string {
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
      message = (ls) => `${plural(ls, 'A new line is', 'new lines are')} indented with tabs; ${where} ${describeIndent(ind)} (${listLines(ls)})`;
    } else if (ind.style === 'tabs' && ws.startsWith('  ')) {
      message = (ls) => `${plural(ls, 'A new line is', 'new lines are')} indented with spaces; ${where} tabs (${listLines(ls)})`;
    } else if (ind.style === 'spaces') {
      // A new block opened by the line above should be one unit deeper.
      const prev = this.previousNonBlank(j);
      const opener = this.input.language === 'python' ? /:\s*(?:#.*)?$/ : /\{\s*$/;
      if (prev === null || !opener.test(prev)) return;
      const prevWs = leadingWhitespace(prev);
      const delta = ws.length - prevWs.length;
      if (prevWs.includes('\t') || delta <= 0 || delta === ind.unit || (delta !== 2 && delta !== 4 && delta !== 8)) return;
      message = (ls) => `${plural(ls, 'A new line is', 'new lines are')} indented by ${delta} spaces a level; ${where} ${ind.unit} (${listLines(ls)})`;
    }
    if (message && !this.existedBefore(j)) add('indent', j, message);
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
    add('line-endings', j, (ls) => `${plural(ls, 'A new line ends', 'new lines end')} in ${got}; ${source} ${want.toUpperCase()} (${listLines(ls)})`);
  }

  /** Edited line j ends in a space or tab (the caller looks, in place, for every line). */
  trailing(j: number, li: LineInfo | undefined, add: Add): void {
    if (li && li.startsInsideLiteral) return;
    const line = this.input.edit.line(j);
    if (/\.(md|markdown)$/i.test(this.input.fileName ?? '') && / {2}$/.test(line) && !/ {3}$/.test(line)) return;
    if (this.existedBeforeUnindented(j)) return;
    add('trailing-whitespace', j, (ls) => `${plural(ls, 'A new line ends', 'new lines end')} in whitespace, which the file trims (${listLines(ls)})`);
  }

  quotes(j: number, li: LineInfo, add: Add): void {
    const flag = (used: string, convention: string, what: string) =>
      add('quotes', j, (ls) => `${plural(ls, `A new ${what} uses`, 'new lines use')} ${used} quotes; the file uses ${convention} quotes (${listLines(ls)})`);
    const pref = this.c.quotes;
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

  semicolons(j: number, li: LineInfo, add: Add): void {
    const style = this.c.semicolons;
    if (style === 'unknown' || !isJsLike(this.input.language)) return;
    const kind = statementEnd(li, this.nextCode(j));
    const drift = (style === 'always' && kind === 'bare') || (style === 'never' && kind === 'semi');
    if (!drift || this.existedBefore(j)) return;
    if (kind === 'bare') {
      add('semicolons', j, (ls) => `${plural(ls, 'A new statement ends', 'new statements end')} without a semicolon; the file ends statements with one (${listLines(ls)})`);
    } else {
      add('semicolons', j, (ls) => `${plural(ls, 'A new statement ends', 'new statements end')} with a semicolon; the file omits them (${listLines(ls)})`);
    }
  }

  /** The next line's code, for telling a statement's end from a continued expression. */
  private nextCode(j: number): string {
    const edit = this.input.edit;
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
      add('naming', j, (ls) => `${plural(ls, `New name "${name}" is`, 'new names are')} ${c === 'snake' ? 'snake_case' : 'camelCase'}; the file names things in ${conv === 'snake' ? 'snake_case' : 'camelCase'} (${listLines(ls)})`);
      return;
    }
  }

  private nameExistedBefore(name: string): boolean {
    return new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(this.input.originalText);
  }

  /**
   * A comment the edit deleted while keeping the code it described. Comments that were
   * reworded (the run adds comments of its own) or that went with their code are not flagged.
   */
  commentsRemoved(run: ChangeBlock, add: Add): void {
    const origInfo = this.input.origInfo;
    if (!origInfo || run.a0 === run.a1) return;
    const added = new Set<string>();
    for (let j = run.b0; j < run.b1; j++) {
      const li = this.input.editInfo[j];
      if (li?.comment) added.add(normalizeLine(li.comment));
    }
    if (added.size > 0) return;
    const keptCode = new Set<string>();
    for (let j = run.b0; j < run.b1; j++) {
      const li = this.input.editInfo[j];
      if (li?.code) keptCode.add(normalizeLine(li.code));
    }
    let removed = 0;
    // Inside the selection a deleted comment may be the change that was asked for (real
    // commits drop stale comments with the code they rework); outside it never is.
    const regions = this.input.regions ?? [];
    const inRegion = (i: number) => regions.some((r) => i + 1 >= r.start && i + 1 <= r.end);
    for (let i = run.a0; i < run.a1; i++) {
      const li = origInfo[i];
      if (!li || !li.comment || !isProseComment(li.comment) || inRegion(i)) continue;
      if (li.code) {
        // A trailing comment: flagged when its line's code is still there without it.
        if (keptCode.has(normalizeLine(li.code))) removed++;
        continue;
      }
      const described = this.describedCode(i);
      if (described < 0 || described >= run.a1 || keptCode.has(normalizeLine(origInfo[described]!.code))) removed++;
    }
    if (removed === 0) return;
    const at = Math.min(run.b0, this.input.edit.count - 1);
    add('comments-removed', Math.max(0, at), () =>
      `${removed === 1 ? 'A comment was' : `${removed} comment lines were`} deleted (original ${run.a1 - run.a0 === 1 ? `line ${run.a0 + 1}` : `lines ${run.a0 + 1}-${run.a1}`}) while the code ${removed === 1 ? 'it describes' : 'they describe'} was kept`);
  }

  /** The first code line after a comment-only line, or -1. */
  private describedCode(i: number): number {
    const info = this.input.origInfo!;
    for (let k = i + 1; k < info.length && k <= i + 40; k++) {
      if (info[k]?.code) return k;
    }
    return -1;
  }
}

/**
 * Comments whose removal is a loss: prose. Not rulers, tool directives (a fix may make an
 * eslint-disable moot), TODOs (the change may do them) or commented-out code.
 */
function isProseComment(comment: string): boolean {
  const c = comment.replace(/^[*\s]+/, '');
  if (!/[A-Za-z]{2}/.test(c)) return false;
  if (/^(?:eslint|@ts-|prettier-ignore|istanbul|c8 |jshint|global |noqa|type:|pylint|pragma|fmt:|isort:|TODO|FIXME|XXX|HACK)/i.test(c)) return false;
  if (/[;{}]\s*$/.test(c) || /^[\w.$]+\(.*\)\s*$/.test(c) || /^(?:const|let|var|return|import|from|def|if|for)\b.*[=(:]/.test(c)) return false;
  return true;
}

function finalNewline(orig: SplitText, edit: SplitText, c: Conventions): StyleFinding | null {
  if (orig.count === 0 || edit.count === 0 || c.finalNewline === null) return null;
  const editHas = edit.eol(edit.count - 1) !== '';
  const origHas = orig.eol(orig.count - 1) !== '';
  if (editHas === c.finalNewline || editHas === origHas) return null;
  return {
    rule: 'final-newline',
    line: edit.count,
    message: c.finalNewline ? 'The edit removed the newline at the end of the file' : 'The edit added a newline at the end of a file that had none',
  };
}

/** Indents compared to name the old and new unit of a re-indented file. */
const MAX_SAMPLES = 200;

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
  return {
    rule: 'indent',
    line: first + 1,
    message: `The whole file was re-indented (${changed} lines), from ${guessUnit(samples.map((s) => s[0]))} to ${guessUnit(samples.map((s) => s[1]))}`,
  };
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

/** Spaces and tabs at the start of line k. */
function indentWidth(t: SplitText, k: number): number {
  const s = t.text;
  const from = t.starts[k];
  const end = t.ends[k];
  let i = from;
  while (i < end && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i - from;
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
