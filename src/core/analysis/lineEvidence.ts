import type { LineInfo } from './lexer';
import type { SplitText } from '../text/lines';

// What one line (or the text's line endings) says about a convention: read both when the
// original's conventions are inferred (conventions.ts) and when an edited line is held
// against them (style.ts).

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

/** Only literals that could have used either quote are evidence of a preference. */
export function freeChoiceQuote(s: { quote: string; text: string }): boolean {
  return (s.quote === "'" || s.quote === '"') && !s.text.includes("'") && !s.text.includes('"');
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
