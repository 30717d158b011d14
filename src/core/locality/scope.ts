import { TextMemo } from './memo';
import type { SourceLanguage } from './mask';

/** Offsets [at, end) of text whose names are bindings of another kind (import statements). */
export type Ranges = ReadonlyArray<{ at: number; end: number }>;

const inRanges = (offset: number, ranges: Ranges) => ranges.some((r) => offset >= r.at && offset < r.end);
const escape = (s: string) => s.replace(/[$]/g, '\\$');

/**
 * Tells whether the name used at an offset means a local binding rather than the
 * module-level one an import made: a parameter, a `const`/`let`/`var`/`function`/`class` or a
 * destructured name in a block around the use (JS/TS), or a parameter or assignment of an
 * enclosing function (Python). `masked` has comments and strings blanked, so brackets can be
 * counted. A scope is read from brackets and indentation, not parsed: it errs towards keeping
 * a use. Each name's declarations are found once, however often the selection uses it.
 */
export function shadowing(masked: string, lang: SourceLanguage, imports: Ranges): (use: number, name: string) => boolean {
  if (lang === 'python') {
    const py = pythonLines(masked);
    return (use, name) => pythonShadowed(masked, py, use, name, imports);
  }
  // Types and values are apart in TypeScript: a local `const checks` does not hide the
  // namespace in `checks.$ZodCheck[]`, only a local type, interface, class or enum would.
  // Kept with the text: a module's declarations of a name are the same at every selection in it.
  const byImports = jsScopes.get(masked, () => new Map());
  const key = imports.map((r) => `${r.at}-${r.end}`).join(',');
  let scopes = byImports.get(key);
  if (!scopes) byImports.set(key, (scopes = new Map()));
  return (use, name) => {
    let c = scopes!.get(name);
    if (!c) {
      const all = jsDeclarationScopes(masked, name, imports);
      scopes!.set(name, (c = { value: covering(all.filter((d) => d.value)), type: covering(all.filter((d) => d.type)) }));
    }
    return typePosition(masked, use) ? c.type(use) : c.value(use);
  };
}

const TYPE_KEYWORDS = new Set(['as', 'satisfies', 'extends', 'implements', 'keyof', 'is', 'infer', 'readonly', 'unique']);
const TYPE_CHARS = /[\w$.\s[\]|&]/;

/**
 * Whether the name at `at` is read as a type: after a declaration's or parameter's `:`, a
 * return type's `):`, `as`, `satisfies`, `extends`, `implements`, `keyof`, inside a type's
 * `<...>`, or on the right of `type X =`. Read backwards over what a type may hold, up to
 * the token that decides; in doubt, a value (the stricter reading: a value hides more).
 */
export function typePosition(masked: string, at: number): boolean {
  let angle = 0;
  for (let i = at - 1; i >= 0 && at - i < 400; i--) {
    const c = masked[i];
    if (/[\w$]/.test(c)) {
      let k = i;
      while (k > 0 && /[\w$]/.test(masked[k - 1])) k--;
      const word = masked.slice(k, i + 1);
      if (TYPE_KEYWORDS.has(word)) return true;
      if (word === 'typeof' || /^(?:return|new|await|yield|case|in|of|delete|void|throw|const|let|var)$/.test(word)) return false;
      // Two names with only spaces between them: a boundary the type does not cross.
      if (k > 0 && /[\w$]/.test(masked.slice(0, k).trimEnd().slice(-1)) && !/\.\s*$/.test(masked.slice(0, k)) && !/\.\s*$/.test(masked.slice(k, at))) return false;
      i = k;
      continue;
    }
    if (c === '>') angle++;
    else if (c === '<') {
      if (angle === 0) return /[\w$]\s*$/.test(masked.slice(Math.max(0, i - 40), i));
      angle--;
    } else if (c === ',' && angle > 0) continue;
    else if (c === ':') return annotationColon(masked, i);
    else if (c === '=') return angle === 0 && /\btype\s+[\w$]+\s*(?:<[^=]*>)?\s*$/.test(masked.slice(Math.max(0, i - 200), i)) && masked[i + 1] !== '=' && masked[i + 1] !== '>';
    else if (!TYPE_CHARS.test(c)) return false;
  }
  return false;
}

/** A `:` that starts a type annotation: of a declared name, a parameter, a property of a type, or a return type. */
function annotationColon(masked: string, colon: number): boolean {
  const before = masked.slice(Math.max(0, colon - 200), colon).trimEnd();
  if (/\)$/.test(before)) return true;
  const name = /([\w$]+)\s*[?!]?$/.exec(before);
  if (!name) return false;
  const lead = before.slice(0, before.length - name[0].length).trimEnd();
  if (/\b(?:const|let|var|readonly|public|private|protected|static|declare|accessor|override)$/.test(lead)) return true;
  // `a ? b : c`: a conditional's colon.
  if (/\?$/.test(lead)) return false;
  const open = unmatchedOpener(masked, colon);
  if (open < 0) return false;
  if (masked[open] === '(') return /[(,]$|\.\.\.$/.test(lead);
  // A property: of an interface, a type literal, a class body; an object literal's is a value.
  const head = masked.slice(Math.max(0, open - 200), open);
  return masked[open] === '{' && /(?:\binterface\s+[\w$<>,\s]+|\btype\s+[\w$]+\s*(?:<[^=]*>)?\s*=\s*|\bclass\b[^{};]*|:\s*|<\s*|\|\s*|&\s*)$/.test(head) && /[{;,]$|^$/.test(lead.slice(-1) || '');
}

type Covering = (offset: number) => boolean;

/** By the text, then by where its imports are (declarations there are not local ones), then by name. */
const jsScopes = new TextMemo<Map<string, Map<string, { value: Covering; type: Covering }>>>(16);

/** Whether any of the ranges holds an offset, in log time: a name may be declared thousands of times in a file. */
function covering(ranges: Array<{ start: number; end: number }>): Covering {
  const sorted = ranges.sort((a, b) => a.start - b.start);
  const maxEnd: number[] = [];
  for (const [i, r] of sorted.entries()) maxEnd.push(Math.max(r.end, i ? maxEnd[i - 1] : -1));
  return (offset) => {
    let k = -1;
    for (let lo = 0, hi = sorted.length - 1; lo <= hi; ) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid].start <= offset) (k = mid), (lo = mid + 1);
      else hi = mid - 1;
    }
    return k >= 0 && maxEnd[k] >= offset;
  };
}

const CONTROL = /\b(?:if|for|while|switch|with|return|typeof|await|new|in|of|void|delete|throw|yield)\s*$/;

interface Declared {
  start: number;
  end: number;
  /** Hides a value of the name; `type`: hides a type of the name. */
  value: boolean;
  type: boolean;
}

function jsDeclarationScopes(masked: string, name: string, imports: Ranges): Declared[] {
  const out: Declared[] = [];
  const re = new RegExp(`(?<![\\w$.])${escape(name)}(?![\\w$])`, 'g');
  for (const m of masked.matchAll(re)) {
    if (inRanges(m.index!, imports)) continue;
    const before = masked.slice(Math.max(0, m.index! - 20), m.index!);
    const kind = /\b(?:class|enum)\s+$/.test(before) ? { value: true, type: true } : /\b(?:type|interface)\s+$/.test(before) ? { value: false, type: true } : { value: true, type: false };
    const scope = kind.type && !kind.value ? enclosingBlock(masked, m.index!) : jsDeclarationScope(masked, m.index!, name.length);
    if (scope) out.push({ ...scope, ...kind });
  }
  return out;
}

/** The offsets a declaration at `d` is visible in, or null when `d` is not a local declaration. */
function jsDeclarationScope(masked: string, d: number, len: number): { start: number; end: number } | null {
  const before = masked.slice(Math.max(0, d - 40), d);
  const after = masked.slice(d + len, d + len + 3);
  if (/\b(?:const|let|var|function\s*\*?|class)\s+$/.test(before)) return enclosingBlock(masked, d);
  // A single arrow parameter: `name => ...`.
  if (/^\s*=>/.test(masked.slice(d + len, d + len + 4))) return arrowBody(masked, d + len + masked.slice(d + len).indexOf('=>') + 2, d);
  const prev = before.trimEnd().slice(-3);
  const bindingPosition = /(?:[(,{[]|\.\.\.)$/.test(prev) && /^\s*(?:[,)}\]:?]|=(?![=>]))/.test(after);
  if (!bindingPosition) return null;
  let open = unmatchedOpener(masked, d);
  if (open < 0) return null;
  if (masked[open] === '{' || masked[open] === '[') {
    // A destructured declaration: `const { a, b: name } = ...`.
    if (/\b(?:const|let|var)\s*$/.test(masked.slice(Math.max(0, open - 20), open))) return enclosingBlock(masked, open);
    // A destructured parameter: `({ a, name }) => ...`.
    if (!/[(,]$/.test(masked.slice(Math.max(0, open - 20), open).trimEnd())) return null;
    open = unmatchedOpener(masked, open);
    if (open < 0 || masked[open] !== '(') return null;
  }
  // A parameter list: `(…) =>`, `function f(…) {`, a method `f(…): T {`, `catch (e) {`.
  const close = matching(masked, open);
  if (close < 0) return null;
  const lead = masked.slice(Math.max(0, open - 30), open);
  if (CONTROL.test(lead) && !/\bcatch\s*$/.test(lead)) return null;
  const tail = /^\s*(?::[^{};=]*?)?\s*(=>|\{)/.exec(masked.slice(close + 1, close + 200));
  if (!tail) return null;
  if (tail[1] === '=>') return arrowBody(masked, close + 1 + tail[0].length, open);
  const body = close + tail[0].length;
  const end = matching(masked, body);
  return { start: open, end: end < 0 ? masked.length : end };
}

/** An arrow function's body from just after its `=>`: a block or an expression. */
function arrowBody(masked: string, afterArrow: number, from: number): { start: number; end: number } {
  const next = /\S/.exec(masked.slice(afterArrow));
  if (next && next[0] === '{') {
    const end = matching(masked, afterArrow + next.index);
    return { start: from, end: end < 0 ? masked.length : end };
  }
  // An expression body: to the end of the expression, where a bracket around it closes or
  // a `;`, a `,` or the line ends outside brackets.
  let depth = 0;
  for (let i = afterArrow; i < masked.length; i++) {
    const c = masked[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return { start: from, end: i };
      depth--;
    } else if (depth === 0 && (c === ';' || c === ',' || (c === '\n' && masked.slice(afterArrow, i).trim()))) return { start: from, end: i };
  }
  return { start: from, end: masked.length };
}

/** The `{ }` block holding `offset`, or null at the top level of the module. */
export function enclosingBlock(masked: string, offset: number): { start: number; end: number } | null {
  let depth = 0;
  for (let i = offset - 1; i >= 0; i--) {
    const c = masked[i];
    if (c === '}') depth++;
    else if (c === '{') {
      if (depth === 0) {
        const end = matching(masked, i);
        return { start: i, end: end < 0 ? masked.length : end };
      }
      depth--;
    }
  }
  return null;
}

/** The nearest `(`, `[` or `{` before `offset` that is still open there, or -1. */
function unmatchedOpener(masked: string, offset: number): number {
  let depth = 0;
  for (let i = offset - 1; i >= 0; i--) {
    const c = masked[i];
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '(' || c === '[' || c === '{') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** The offset of the bracket closing the one at `open`, or -1. */
function matching(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    const c = masked[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** How many brackets opened between two offsets are still open: 0 directly in the parameter list, not in `Dict[str, X]`; -1 past its end, as in the return type's `Generator[A, B]`. */
function bracketDepth(masked: string, from: number, to: number): number {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = masked[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      // The parameter list closed: the use is in the return type or the body.
      if (--depth < 0) return -1;
    }
  }
  return depth;
}

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0].length;

/**
 * For each line, the line its statement starts on: a line inside brackets left open (a
 * Black-style signature, a call over several lines) or after a backslash continues the one
 * before. Indentation means blocks only at a statement's first line.
 */
function statementStarts(lines: string[]): number[] {
  const out: number[] = [];
  let depth = 0;
  let continued = false;
  for (let i = 0; i < lines.length; i++) {
    out.push(depth > 0 || continued ? out[i - 1] : i);
    for (const c of lines[i]) depth = Math.max(0, depth + ('([{'.includes(c) ? 1 : ')]}'.includes(c) ? -1 : 0));
    continued = /\\\s*$/.test(lines[i]);
  }
  return out;
}

/** The lines holding the Python text, with where each line starts and its statement's first line. */
export interface PythonLines {
  lines: string[];
  starts: number[];
  statement: number[];
}

function pythonLines(masked: string): PythonLines {
  const lines = masked.split('\n');
  const starts: number[] = [];
  for (let i = 0, o = 0; i < lines.length; o += lines[i].length + 1, i++) starts.push(o);
  return { lines, starts, statement: statementStarts(lines) };
}

/** Python: a function around the use that takes the name as a parameter or binds it in its body, or a lambda or comprehension around it. */
function pythonShadowed(masked: string, py: PythonLines, use: number, name: string, imports: Ranges): boolean {
  const { lines, starts, statement } = py;
  let line = 0;
  for (let lo = 0, hi = starts.length - 1; lo <= hi; ) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= use) (line = mid), (lo = mid + 1);
    else hi = mid - 1;
  }
  const n = escape(name);
  const binds = [
    new RegExp(`^[ \\t]*(?:[\\w.\\[\\]]+[ \\t]*,[ \\t]*)*${n}[ \\t]*(?:,[^=\\n]*)?(?::[^=\\n]*)?(?:[-+*/%&|^@]|\\*\\*|//|>>|<<)?=(?!=)`),
    new RegExp(`\\bfor\\b[^\\n]*?\\b${n}\\b[^\\n]*?\\bin\\b`),
    new RegExp(`\\bas[ \\t]+${n}\\b`),
    new RegExp(`^[ \\t]*(?:async[ \\t]+)?(?:def|class)[ \\t]+${n}\\b`),
    new RegExp(`\\(?[ \\t]*${n}[ \\t]*:=`),
  ];
  const first = statement[line];
  const own = masked.slice(starts[first], use);
  // A parameter where the function is declared (a default value is a use of the outer name).
  const sig = /^[ \t]*(?:async[ \t]+)?def[ \t]+\w+[ \t]*\(/.exec(lines[first]);
  if (sig && use >= starts[first] + sig[0].length && /[(,*]$/.test(own.trimEnd()) && bracketDepth(masked, starts[first] + sig[0].length, use) === 0) return true;
  // A lambda's parameter, or a comprehension's variable, in the same statement.
  if (new RegExp(`\\blambda\\b[^:]*\\b${n}\\b[^:]*:`).test(own) || /\blambda\b[^:]*$/.test(own)) return true;
  const stmtEnd = statement.findIndex((s, k) => k > line && s === k);
  const whole = masked.slice(starts[first], stmtEnd < 0 ? masked.length : starts[stmtEnd]);
  if (new RegExp(`\\bfor[ \\t]+(?:(?!\\bin\\b)[\\w, ()])*?\\b${n}\\b(?:(?!\\bin\\b)[\\w, ()])*\\bin\\b`).test(whole) && !/^[ \t]*(?:async[ \t]+)?for\b/.test(lines[first])) return true;
  let indent = indentOf(lines[first]);
  for (let i = first - 1; i >= 0 && indent > 0; i--) {
    const l = lines[i];
    if (statement[i] !== i || !l.trim() || indentOf(l) >= indent) continue;
    indent = indentOf(l);
    if (!/^[ \t]*(?:async[ \t]+)?def\b/.test(l)) continue;
    // The signature: the def's whole statement, however many lines it takes.
    let sigEnd = i;
    while (sigEnd + 1 < lines.length && statement[sigEnd + 1] === i) sigEnd++;
    const signature = lines.slice(i, sigEnd + 1).join('\n');
    const params = signature.slice(signature.indexOf('(') + 1);
    if (new RegExp(`(?:^|[(,*])\\s*${n}\\s*(?=[:=,)])`).test(params)) return true;
    let end = sigEnd;
    while (end + 1 < lines.length && (!lines[end + 1].trim() || indentOf(lines[end + 1]) > indent || statement[end + 1] !== end + 1)) end++;
    if (new RegExp(`^[ \\t]*(?:global|nonlocal)\\b[^\\n]*\\b${n}\\b`, 'm').test(lines.slice(sigEnd + 1, end + 1).join('\n'))) return false;
    for (let k = sigEnd + 1; k <= end; k++) {
      if (statement[k] !== k || inRanges(starts[k] + indentOf(lines[k]), imports)) continue;
      if (binds.some((re) => re.test(lines[k]))) return true;
    }
  }
  return false;
}
