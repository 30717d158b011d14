import type { LineInfo } from './lexer';
import { isJsLike } from './language';
import type { Conventions, EditorConfigProps, LanguageId } from './analysisTypes';
import { hasTrailingWhitespace, leadingWhitespace, type SplitText } from '../text/lines';
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

/** LF and CRLF terminators in the text; without a CR anywhere every terminator is an LF. */
export function countEols(text: SplitText): { lf: number; crlf: number; cr: number } {
  const terminated = text.count > 0 && text.eol(text.count - 1) === '' ? text.count - 1 : text.count;
  if (!text.hasCR) return { lf: terminated, crlf: 0, cr: 0 };
  let lf = 0;
  let crlf = 0;
  for (let k = 0; k < terminated; k++) {
    const len = text.starts[k + 1] - text.ends[k];
    if (len === 2) crlf++;
    else if (text.text.charCodeAt(text.ends[k]) === 10) lf++;
  }
  return { lf, crlf, cr: terminated - lf - crlf };
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

/** Only literals that could have used either quote are evidence of a preference. */
export function freeChoiceQuote(s: { quote: string; text: string }): boolean {
  return (s.quote === "'" || s.quote === '"') && !s.text.includes("'") && !s.text.includes('"');
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

/**
 * Words quoted in comments, like 'unknown' or "never". The opening quote must not follow a
 * letter, so apostrophes (don't, users') are not mistaken for quotes.
 */
const COMMENT_QUOTED = /(?<![\w'"`])(['"])([^'"\n]{1,80}?)\1(?![\w])/g;

/**
 * Words quoted in a comment's prose. A comment that reads as code (an example in a doc
 * block: `res.send('hey');`, `mime.type('png') // => 'image/png'`) or as a directive
 * (`/// <reference types="node" />`) quotes as the code does, which says nothing about how
 * the file's prose quotes.
 */
export function commentQuotedPhrases(comment: string): Array<{ quote: string; text: string }> {
  const out: Array<{ quote: string; text: string }> = [];
  if (!comment.includes("'") && !comment.includes('"')) return out;
  if (readsAsCode(comment)) return out;
  // exec on the shared global regex: matchAll would copy the regex on every call.
  COMMENT_QUOTED.lastIndex = 0;
  for (let m = COMMENT_QUOTED.exec(comment); m; m = COMMENT_QUOTED.exec(comment)) out.push({ quote: m[1], text: m[2] });
  return out;
}

const CODE_IN_COMMENT = [
  /^[/!<$>]/, // a triple-slash directive, `//!`, markup, a shell or REPL prompt
  /[;{}]\s*$/, // a statement or block
  /[\w$\])]\s*\(.*['"]/, // a call with a string argument
  /\s=\s|=>|^(?:const|let|var|import|export|return|require|from|def|print)\b/,
];

function readsAsCode(comment: string): boolean {
  const c = comment.replace(/^[*\s]+/, '');
  return CODE_IN_COMMENT.some((re) => re.test(c));
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

/** Does this JS/TS line end a statement, so that a semicolon style would put one there? */
export function statementEnd(li: LineInfo, nextCode: string): 'semi' | 'bare' | null {
  if (li.startsInsideLiteral || li.endsInsideLiteral) return null;
  const code = li.code;
  if (!code || li.parenDepth > 0) return null;
  if (li.braceKind === 'object') return null;
  if (code.endsWith(';')) return code.startsWith('for') ? null : 'semi';
  const last = code[code.length - 1];
  // `x = y || {}`, `const f = () => {}`, `export { a }`: a statement whose braces close on the
  // line it opened them, so it ends there.
  const closedOnLine = last === '}' && !code.startsWith('}') && count(code, '{') === count(code, '}') && (/=/.test(code.slice(0, code.indexOf('{'))) || /^(?:export|import)\b/.test(code));
  if (!closedOnLine && ('{}([,=+-*/%&|^!?:<>.~'.includes(last) || code.endsWith('=>'))) return null;
  if (code.startsWith('@') || code.startsWith('#!')) return null;
  // The last item of a list over several lines (`export {`, `import {` ... `b` then `}`).
  if (nextCode.startsWith('}') && /^(?!(?:return|break|continue|debugger|throw|yield)\b)[A-Za-z_$][\w$]*(?:\s+as\s+[A-Za-z_$][\w$]*)?$/.test(code)) return null;
  // The closing line of a multi-line call (`})`, `}, 100);`) is where styles mix most (test
  // files end `it(...)` blocks bare in code that otherwise ends statements with `;`): no evidence.
  if (/^[}\])]/.test(code)) return null;
  if (/^(?:if|else|for|while|do|switch|try|catch|finally|function|class|interface|enum|namespace|module|case|default)\b/.test(code)) return null;
  if (/^\}\s*(?:else|catch|finally|while)\b/.test(code)) return null;
  if (/^(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function|class|interface|enum|abstract|declare)\b/.test(code)) return null;
  if (/^(?:public|private|protected|static|readonly|get|set)\b.*\)$/.test(code)) return null;
  // The statement goes on when the next code line continues the expression.
  if (nextCode && /^(?:[.?:)\]}=,+\-*/%&|^<>]|\?\.|as\b|in\b|instanceof\b)/.test(nextCode) && !nextCode.startsWith('}')) return null;
  if (nextCode.startsWith('{')) return null;
  return 'bare';
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
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
