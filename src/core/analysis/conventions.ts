import type { LineInfo } from './lexer';
import { isJsLike } from './language';
import type { Conventions, EditorConfigProps, LanguageId } from './analysisTypes';
import { hasTrailingWhitespace, leadingWhitespace, type SplitText } from '../text/lines';
import { commentQuotedPhrases, countEols, freeChoiceQuote, statementEnd } from './lineEvidence';
import { classifyName, declaredNames } from './naming';

/** A convention counts as the file's only when this share of the evidence agrees. */
export const CLEAR_MAJORITY = 0.85;

/**
 * The original file's own conventions, which the edit is held against. `.editorconfig` wins
 * where it speaks; otherwise the file's majority, and "unknown" when the file is mixed or has
 * too little evidence, so a rule never fires on a guess.
 */
export function inferConventions(
  text: SplitText,
  info: Array<LineInfo | undefined> | null,
  /** The lexed lines only: a large file is lexed in part, and only lexed lines are evidence. */
  lexed: LineInfo[] | null,
  language: LanguageId,
  ec: EditorConfigProps,
  /** The line ranges that were lexed (half-open); the indent and whitespace evidence comes from them. */
  ranges: ReadonlyArray<readonly [number, number]> = [[0, text.count]],
): Conventions {
  return {
    indent: inferIndent(text, info, ranges, ec),
    eol: inferEol(text, ec),
    finalNewline: ec.insert_final_newline ?? (text.count ? text.eol(text.count - 1) !== '' : null),
    trailingWhitespace: inferTrailing(text, info, ranges, ec),
    quotes: lexed ? inferQuotes(lexed, ec) : 'unknown',
    commentQuotes: lexed ? majority(countCommentQuotes(lexed), 5) : 'unknown',
    tripleQuotes: lexed && language === 'python' ? majority(countTripleQuotes(lexed), 3) : 'unknown',
    semicolons: lexed && isJsLike(language) ? inferSemicolons(lexed) : 'unknown',
    naming: lexed ? inferNaming(lexed, language) : 'unknown',
  };
}

function inferIndent(text: SplitText, info: Array<LineInfo | undefined> | null, ranges: ReadonlyArray<readonly [number, number]>, ec: EditorConfigProps): Conventions['indent'] {
  let tabs = 0;
  let spaces = 0;
  const deltas = new Map<number, number>();
  for (const [from, to] of ranges) {
    let prevWidth = 0;
    for (let i = from; i < to; i++) {
      if (info && (!info[i] || info[i]!.startsInsideLiteral)) continue;
      const line = text.line(i);
      const ws = leadingWhitespace(line);
      if (ws.length === line.length) continue;
      if (ws.length > 0) {
        if (ws.charCodeAt(0) === 9) tabs++;
        else if (line.charCodeAt(ws.length) !== 42 /* a '*' in a block comment */) spaces++;
      }
      if (!ws.includes('\t')) {
        const d = ws.length - prevWidth;
        if (d > 0 && d <= 8) deltas.set(d, (deltas.get(d) ?? 0) + 1);
        prevWidth = ws.length;
      }
    }
  }
  let unit = 0;
  let best = 0;
  for (const [d, count] of deltas) {
    if (d !== 1 && count > best) { best = count; unit = d; }
  }
  const fromFile: Conventions['indent'] = {
    style: tabs + spaces === 0 ? 'unknown' : tabs >= CLEAR_MAJORITY * (tabs + spaces) ? 'tabs' : spaces >= CLEAR_MAJORITY * (tabs + spaces) ? 'spaces' : 'unknown',
    unit: unit || 4,
    source: 'file',
  };
  if (ec.indent_style) {
    const style = ec.indent_style === 'tab' ? 'tabs' : 'spaces';
    return { style, unit: ec.indent_size ?? ec.tab_width ?? fromFile.unit, source: 'editorconfig' };
  }
  if (ec.indent_size && fromFile.style === 'spaces') return { ...fromFile, unit: ec.indent_size, source: 'editorconfig' };
  return fromFile;
}

function inferEol(text: SplitText, ec: EditorConfigProps): Conventions['eol'] {
  if (ec.end_of_line === 'lf' || ec.end_of_line === 'crlf') return { style: ec.end_of_line, source: 'editorconfig' };
  const { lf, crlf } = countEols(text);
  if (lf + crlf === 0) return { style: 'unknown', source: 'default' };
  if (lf >= CLEAR_MAJORITY * (lf + crlf)) return { style: 'lf', source: 'file' };
  if (crlf >= CLEAR_MAJORITY * (lf + crlf)) return { style: 'crlf', source: 'file' };
  return { style: 'unknown', source: 'file' };
}

function inferTrailing(text: SplitText, info: Array<LineInfo | undefined> | null, ranges: ReadonlyArray<readonly [number, number]>, ec: EditorConfigProps): Conventions['trailingWhitespace'] {
  if (ec.trim_trailing_whitespace !== undefined) return ec.trim_trailing_whitespace ? 'trimmed' : 'allowed';
  let withTrailing = 0;
  let nonBlank = 0;
  for (const [from, to] of ranges) {
    for (let i = from; i < to; i++) {
      if (info && (!info[i] || info[i]!.startsInsideLiteral)) continue;
      const line = text.line(i);
      if (line.trim() === '') continue;
      nonBlank++;
      if (hasTrailingWhitespace(line)) withTrailing++;
    }
  }
  return withTrailing <= Math.max(1, nonBlank * 0.02) ? 'trimmed' : 'allowed';
}

function inferQuotes(info: LineInfo[], ec: EditorConfigProps): Conventions['quotes'] {
  let single = 0;
  let double = 0;
  for (const li of info) {
    for (const s of li.strings) {
      if (!freeChoiceQuote(s)) continue;
      if (s.quote === "'") single++;
      else double++;
    }
  }
  const own = majority({ single, double }, 4);
  if (ec.quote_type !== 'single' && ec.quote_type !== 'double') return own;
  // A file that clearly keeps the other quotes (a generated one, say) does not follow its
  // .editorconfig: with the two at odds, the rule stays silent rather than flag the file's own style.
  return own === 'unknown' || own === ec.quote_type ? ec.quote_type : 'unknown';
}

function majority(c: { single: number; double: number }, minEvidence: number): 'single' | 'double' | 'unknown' {
  const total = c.single + c.double;
  if (total < minEvidence) return 'unknown';
  if (c.single >= CLEAR_MAJORITY * total) return 'single';
  if (c.double >= CLEAR_MAJORITY * total) return 'double';
  return 'unknown';
}

function countCommentQuotes(info: LineInfo[]): { single: number; double: number } {
  const c = { single: 0, double: 0 };
  // Inside a doc block's @example or a fenced block every line is code, however it reads.
  let example = false;
  for (const li of info) {
    if (!li.comment) {
      example = false;
      continue;
    }
    const text = li.comment.replace(/^[*\s]+/, '');
    if (text.startsWith('```')) {
      example = !example;
      continue;
    }
    if (text.startsWith('@')) example = text.startsWith('@example');
    if (example) continue;
    for (const p of commentQuotedPhrases(li.comment)) {
      if (p.quote === "'") c.single++;
      else c.double++;
    }
  }
  return c;
}

function countTripleQuotes(info: LineInfo[]): { single: number; double: number } {
  const c = { single: 0, double: 0 };
  for (const li of info) {
    for (const s of li.strings) {
      if (s.quote === "'''") c.single++;
      else if (s.quote === '"""') c.double++;
    }
  }
  return c;
}

function inferSemicolons(info: LineInfo[]): Conventions['semicolons'] {
  let semi = 0;
  let bare = 0;
  let next = '';
  for (let i = info.length - 1; i >= 0; i--) {
    const kind = statementEnd(info[i], next);
    if (kind === 'semi') semi++;
    else if (kind === 'bare') bare++;
    if (info[i].code) next = info[i].code;
  }
  const total = semi + bare;
  if (total < 5) return 'unknown';
  if (semi >= 0.8 * total) return 'always';
  if (bare >= 0.9 * total) return 'never';
  return 'unknown';
}

function inferNaming(info: LineInfo[], language: LanguageId): Conventions['naming'] {
  let camel = 0;
  let snake = 0;
  for (const li of info) {
    for (const name of declaredNames(li.code, language)) {
      const c = classifyName(name);
      if (c === 'camel') camel++;
      else if (c === 'snake') snake++;
    }
  }
  const total = camel + snake;
  if (total < 3) return 'unknown';
  if (camel >= CLEAR_MAJORITY * total) return 'camel';
  if (snake >= CLEAR_MAJORITY * total) return 'snake';
  return 'unknown';
}
