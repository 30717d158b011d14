import type { LanguageId } from './analysisTypes';
import type { SplitText } from '../text/lines';

/**
 * What the style rules need to know about one line, without a full parser: the code with
 * strings and comments blanked out, the string literals that start on it, its comment text,
 * and the bracket nesting at its end. A line-oriented scan is enough for these rules and
 * keeps a 50,000-line file well under the time of the diff itself.
 */
export interface LineInfo {
  /** Code only: each string literal becomes `""`, comments are dropped. Trimmed. */
  code: string;
  strings: StringLit[];
  /** Comment text on this line (without markers), trimmed; '' when none. */
  comment: string;
  /** The line ends inside a block comment, template literal or triple-quoted string. */
  endsInsideLiteral: boolean;
  /** The line starts inside one of those (so its start is not code). */
  startsInsideLiteral: boolean;
  /** Open ( and [ at the end of the line, inside the innermost open `{`. */
  parenDepth: number;
  /** Kind of the innermost open `{` at the end of the line. */
  braceKind: BraceKind;
}

export type BraceKind = 'none' | 'block' | 'object' | 'class';

export interface StringLit {
  /** The quote: ', ", ` or a Python triple quote (""" or ''') */
  quote: string;
  /** The literal's content, between the quotes. */
  text: string;
  /** The string's prefix in Python (f, r, b...), '' otherwise. */
  prefix: string;
  /** Character before the literal, ignoring nothing (used for JSX attributes). */
  before: string;
}

/** Lexer state carried from one line to the next. */
export interface LexState {
  mode: 'code' | 'block-comment' | 'template' | 'triple' | 'string';
  /** The triple quote in Python, '"""' or "'''". */
  triple: string;
  parenDepth: number;
  braces: BraceKind[];
  /** The paren depth outside each open brace, restored when it closes. */
  outerParens: number[];
  /** `${` nesting inside template literals: the brace depth each one started at. */
  templateStack: number[];
  /** Last significant code character, for telling a regex from a division. */
  lastSig: string;
  /** The last word if it was a keyword the scanner reacts to (`return /re/`, `class X {`), else ''. */
  lastWord: string;
  /** A `class`, `interface` or `enum` keyword was seen and its `{` has not come yet ('' when none). */
  pendingClass: string;
}

export function initialState(): LexState {
  return {
    mode: 'code', triple: '', parenDepth: 0, braces: [], outerParens: [], templateStack: [],
    lastSig: '', lastWord: '', pendingClass: '',
  };
}

export function cloneState(s: LexState): LexState {
  return { ...s, braces: s.braces.slice(), outerParens: s.outerParens.slice(), templateStack: s.templateStack.slice() };
}

const REGEX_PRECEDERS = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const REGEX_KEYWORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await']);
const OBJECT_BRACE_PRECEDERS = new Set(['=', '(', '[', ',', ':', '?', '|', '&', '<']);

/** 1 for the ASCII characters an identifier may hold. */
const IDENT_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) IDENT_CHAR[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 ? 1 : 0;

function isIdent(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
}

export function lexLines(lines: readonly string[], language: LanguageId, state: LexState = initialState()): LineInfo[] {
  const out: LineInfo[] = new Array(lines.length);
  const py = language === 'python';
  for (let i = 0; i < lines.length; i++) {
    out[i] = py ? lexPythonLine(lines[i], state) : lexJsLine(lines[i], state);
  }
  return out;
}

/**
 * One line of JavaScript or TypeScript. The loop is kept whole on purpose: every branch
 * advances the same locals (the index, the start of the code not yet copied, the code and
 * comment so far), and it runs cold, once per line of a file, where passing them through an
 * object or closures makes every read slower. Each token's extent is found by a named scan.
 */
function lexJsLine(line: string, s: LexState): LineInfo {
  const startsInsideLiteral = s.mode !== 'code';
  // Code is built from slices of the line between literals and comments, not char by char.
  let code = '';
  let seg = 0;
  let comment = '';
  const strings: StringLit[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    // Inside a literal or comment, one branch takes the whole of it; most iterations are code.
    if (s.mode === 'string') {
      // A quoted string continued from the line before with a trailing backslash.
      const j = endOfQuoted(line, i, s.triple.charCodeAt(0));
      if (j >= n) {
        if (!line.endsWith('\\')) s.mode = 'code';
        seg = i = n;
        break;
      }
      seg = i = j + 1;
      s.mode = 'code';
      s.lastSig = '"';
      continue;
    }
    if (s.mode === 'block-comment') {
      const end = line.indexOf('*/', i);
      comment += end < 0 ? line.slice(i) : line.slice(i, end);
      if (end < 0) {
        seg = i = n;
        break;
      }
      seg = i = end + 2;
      s.mode = 'code';
      continue;
    }
    if (s.mode === 'template') {
      const j = endOfTemplateText(line, i);
      if (j >= n) {
        seg = i = n;
        break;
      }
      s.mode = 'code';
      if (line.charCodeAt(j) === 96) {
        code += '``';
        s.lastSig = '`';
        i = j + 1;
      } else {
        s.templateStack.push(s.braces.length);
        openBrace(s, 'block');
        i = j + 2;
      }
      seg = i;
      continue;
    }
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) { i++; continue; }
    // The character tests are inlined: a call per character would be a large part of the loop's time.
    if (c > 127 || IDENT_CHAR[c] === 1) {
      // Words are the commonest token: scanned here rather than by a call.
      let j = i + 1;
      while (j < n) {
        const d = line.charCodeAt(j);
        if (d < 128 && IDENT_CHAR[d] === 0) break;
        j++;
      }
      s.lastSig = 'w';
      // Only the few words the scanner reacts to are kept; nothing is sliced for the rest.
      s.lastWord = keywordAt(line, i, j - i);
      if (s.lastWord === 'class' || s.lastWord === 'interface' || s.lastWord === 'enum') s.pendingClass = s.lastWord;
      i = j;
      continue;
    }
    if (c === 47 /* / */) {
      const next = line.charCodeAt(i + 1);
      if (next === 47) {
        code = codeUpTo(code, line, seg, i, '');
        comment += line.slice(i + 2);
        seg = i = n;
        break;
      }
      if (next === 42) {
        code = codeUpTo(code, line, seg, i, '');
        s.mode = 'block-comment';
        i += 2;
        continue;
      }
      if (REGEX_PRECEDERS.has(s.lastSig) || (s.lastSig === 'w' && REGEX_KEYWORDS.has(s.lastWord))) {
        code = codeUpTo(code, line, seg, i, '/r/');
        seg = i = scanRegex(line, i);
        s.lastSig = 'r';
        continue;
      }
      s.lastSig = '/';
      i++;
      continue;
    }
    if (c === 39 || c === 34) {
      const j = endOfQuoted(line, i + 1, c);
      const ch = line[i];
      code = codeUpTo(code, line, seg, i, ch + ch);
      strings.push({ quote: ch, text: line.slice(i + 1, Math.min(j, n)), prefix: '', before: i > 0 ? line[i - 1] : '' });
      s.lastSig = '"';
      if (j > n) {
        // A backslash ended the line inside the string: it goes on on the next line.
        s.mode = 'string';
        s.triple = ch;
      }
      seg = i = j + 1;
      continue;
    }
    if (c === 96) {
      code = codeUpTo(code, line, seg, i, '');
      s.mode = 'template';
      strings.push({ quote: '`', text: '', prefix: '', before: i > 0 ? line[i - 1] : '' });
      i++;
      continue;
    }
    if (c === 125 && closesTemplateExpression(s)) {
      code = codeUpTo(code, line, seg, i, '');
      s.templateStack.pop();
      closeBrace(s);
      s.mode = 'template';
      i++;
      continue;
    }
    punctuation(s, c);
    s.lastSig = line[i];
    i++;
  }
  if (s.mode === 'code' && seg < n) code += seg === 0 ? line : line.slice(seg);
  return {
    code: code.trim(),
    strings,
    comment: comment.trim(),
    endsInsideLiteral: s.mode !== 'code',
    startsInsideLiteral,
    parenDepth: s.parenDepth,
    braceKind: s.braces.length ? s.braces[s.braces.length - 1] : 'none',
  };
}

/** Where the quoted text from `i` ends: at the closing `quote`, or past the line's end (> its length after a final backslash). */
function endOfQuoted(line: string, i: number, quote: number): number {
  const n = line.length;
  let j = i;
  while (j < n) {
    const d = line.charCodeAt(j);
    if (d === 92) { j += 2; continue; }
    if (d === quote) break;
    j++;
  }
  return j;
}

/** Where a template literal's text from `i` stops: at its closing backtick, a `${`, or the line's end. */
function endOfTemplateText(line: string, i: number): number {
  const n = line.length;
  let j = i;
  while (j < n) {
    const c = line.charCodeAt(j);
    if (c === 92) { j += 2; continue; }
    if (c === 96) break;
    if (c === 36 && line.charCodeAt(j + 1) === 123) break;
    j++;
  }
  return j;
}

/** A `}` that ends a template literal's `${...}` (rather than a block of code inside it). */
function closesTemplateExpression(s: LexState): boolean {
  const t = s.templateStack.length;
  return t > 0 && s.templateStack[t - 1] === s.braces.length - 1;
}

/** Brackets and braces open and close; a `;` ends any pending class heading. */
function punctuation(s: LexState, c: number): void {
  if (c === 40 || c === 91) s.parenDepth++;
  else if (c === 41 || c === 93) s.parenDepth = Math.max(0, s.parenDepth - 1);
  else if (c === 123) {
    openBrace(s, braceKindAfter(s));
    s.pendingClass = '';
  } else if (c === 125) closeBrace(s);
  else if (c === 59) s.pendingClass = '';
}

/** What a `{` opens, from what came before it. */
function braceKindAfter(s: LexState): BraceKind {
  // Interface and enum bodies hold members, not statements: like an object literal.
  if (s.pendingClass) return s.pendingClass === 'class' ? 'class' : 'object';
  if (OBJECT_BRACE_PRECEDERS.has(s.lastSig) || (s.lastSig === 'w' && (s.lastWord === 'return' || s.lastWord === 'default'))) return 'object';
  return 'block';
}

/**
 * The code so far plus the line's code from `seg` up to `i`, then `replacement` (what stands
 * for the literal or comment that starts at `i`). A function rather than a closure in the
 * line loop: a closure over its variables makes every read of them slower.
 */
function codeUpTo(code: string, line: string, seg: number, i: number, replacement: string): string {
  return (i > seg ? code + line.slice(seg, i) : code) + replacement;
}

/**
 * The keywords the scanner reacts to, by first character and length (`(c << 4) | len`): most
 * identifiers have no candidate at all, and the rest one, so few are compared.
 */
const KEYWORD_TABLE: Array<string[] | undefined> = [];
for (const w of [...REGEX_KEYWORDS, 'class', 'interface', 'enum', 'default']) (KEYWORD_TABLE[(w.charCodeAt(0) << 4) | w.length] ??= []).push(w);

/** The keyword at line[i, i+len), if it is one the scanner reacts to, else ''. */
function keywordAt(line: string, i: number, len: number): string {
  if (len > 15) return '';
  const candidates = KEYWORD_TABLE[(line.charCodeAt(i) << 4) | len];
  if (!candidates) return '';
  for (const w of candidates) if (line.startsWith(w, i)) return w;
  return '';
}

function openBrace(s: LexState, kind: BraceKind): void {
  s.braces.push(kind);
  s.outerParens.push(s.parenDepth);
  s.parenDepth = 0;
}

function closeBrace(s: LexState): void {
  if (s.braces.length === 0) return;
  s.braces.pop();
  s.parenDepth = s.outerParens.pop() ?? 0;
}

function scanRegex(line: string, start: number): number {
  let inClass = false;
  let j = start + 1;
  while (j < line.length) {
    const d = line[j];
    if (d === '\\') { j += 2; continue; }
    if (d === '[') inClass = true;
    else if (d === ']') inClass = false;
    else if (d === '/' && !inClass) {
      j++;
      while (j < line.length && isIdent(line.charCodeAt(j))) j++;
      return j;
    }
    j++;
  }
  return line.length;
}

function lexPythonLine(line: string, s: LexState): LineInfo {
  const startsInsideLiteral = s.mode !== 'code';
  let code = '';
  let comment = '';
  const strings: StringLit[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    if (s.mode === 'triple') {
      const end = line.indexOf(s.triple, i);
      if (end < 0) { i = n; break; }
      i = end + 3;
      s.mode = 'code';
      code += '""';
      continue;
    }
    const c = line.charCodeAt(i);
    const ch = line[i];
    if (c === 35 /* # */) {
      comment += line.slice(i + 1);
      break;
    }
    if (c === 39 || c === 34) {
      const prefix = stringPrefix(code);
      if (prefix) code = code.slice(0, code.length - prefix.length);
      if (line.startsWith(ch + ch + ch, i)) {
        strings.push({ quote: ch + ch + ch, text: '', prefix: prefix.toLowerCase(), before: i > 0 ? line[i - 1] : '' });
        const end = line.indexOf(ch + ch + ch, i + 3);
        if (end < 0) {
          s.mode = 'triple';
          s.triple = ch + ch + ch;
          i = n;
          break;
        }
        code += '""';
        i = end + 3;
        continue;
      }
      const j = endOfQuoted(line, i + 1, c);
      strings.push({ quote: ch, text: line.slice(i + 1, Math.min(j, n)), prefix: prefix.toLowerCase(), before: i > 0 ? line[i - 1] : '' });
      code += ch + ch;
      i = j + 1;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') s.parenDepth++;
    else if (ch === ')' || ch === ']' || ch === '}') s.parenDepth = Math.max(0, s.parenDepth - 1);
    code += ch;
    i++;
  }
  return {
    code: code.trim(),
    strings,
    comment: comment.trim(),
    endsInsideLiteral: s.mode !== 'code',
    startsInsideLiteral,
    parenDepth: s.parenDepth,
    braceKind: 'none',
  };
}

/** A Python string prefix (r, b, f, u and pairs): the identifier just before the quote, when it is one. */
function stringPrefix(code: string): string {
  let p = code.length;
  while (p > 0 && /[rbfuRBFU]/.test(code[p - 1])) p--;
  return p < code.length && (p === 0 || !isIdent(code.charCodeAt(p - 1))) ? code.slice(p) : '';
}

/**
 * Lexes the given regions of lines (sorted, disjoint, half-open), each from a fresh state,
 * keeping a copy of the state before each line index in `at`. Lines outside every region
 * are left unlexed (holes in the returned array).
 */
export function lexRegions(
  text: SplitText,
  language: LanguageId,
  regions: ReadonlyArray<readonly [number, number]>,
  at: ReadonlySet<number>,
): { info: Array<LineInfo | undefined>; lexed: LineInfo[]; snapshots: Map<number, LexState> } {
  const snapshots = new Map<number, LexState>();
  const info: Array<LineInfo | undefined> = new Array(text.count);
  const lexed: LineInfo[] = [];
  const py = language === 'python';
  for (const [from, to] of regions) {
    const state = initialState();
    for (let i = from; i < to; i++) {
      if (at.has(i)) snapshots.set(i, cloneState(state));
      const line = text.line(i);
      const li = py ? lexPythonLine(line, state) : lexJsLine(line, state);
      info[i] = li;
      lexed.push(li);
    }
    if (at.has(to) && !snapshots.has(to)) snapshots.set(to, cloneState(state));
  }
  return { info, lexed, snapshots };
}
