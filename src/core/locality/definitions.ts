import type { LineRange } from '../analysis/analysisTypes';
import type { SourceLanguage } from './mask';
import { TextMemo } from './memo';


/**
 * The lines that define `name` at the top of a module (with the comments and decorators
 * right above it), or null when the module does not define it. `masked` is the text with
 * comments and strings blanked (maskSource), so a name inside either never counts.
 */
export function definitionSpan(masked: string, lang: SourceLanguage, name: string): LineRange | null {
  return definitionSpans(masked, lang, name)[0] ?? null;
}

/**
 * Every top-level declaration of `name`, in file order: TypeScript merges an interface and a
 * const of one name (zod's `$ZodObject`), overloads come before their implementation, and
 * a selection using the name uses them all.
 */
export function definitionSpans(masked: string, lang: SourceLanguage, name: string): LineRange[] {
  return lang === 'python' ? pythonSpans(masked, name) : jsSpans(masked, name);
}

/** Where a module declares each name: `m.index` and `m[0]` as the declaration's regex matched them. */
type DeclarationIndex = Map<string, Array<{ index: number; text: string }>>;

/** `type X` declares only when `=` or `<` follows: `  type X as Y,` is a name in an export list. */
const JS_DECLARATION = /^[ \t]*(?:export[ \t]+)?(?:default[ \t]+)?(?:declare[ \t]+)?(?:abstract[ \t]+)?(?:async[ \t]+)?(?:(?:function\s*\*?|class|const|let|var|interface|enum|namespace|module)\s+([\w$]+)(?![\w$])|type\s+([\w$]+)(?=\s*[<=]))/gm;
/** CommonJS: `exports.f = function ...`, `module.exports.f = ...`. */
const CJS_DECLARATION = /^[ \t]*(?:module\.)?exports\.([\w$]+)[ \t]*=(?!=)/gm;
const PY_DECLARATION = /^(?:(?:async[ \t]+)?def|class)[ \t]+(\w+)\b|^(\w+)[ \t]*(?::[^=\n]*)?=(?!=)/gm;

/** One pass over a module for all its declarations, kept for the texts seen last: a file is asked about name after name. */
function indexOf(re: RegExp): (masked: string) => DeclarationIndex {
  const memo = new TextMemo<DeclarationIndex>(32);
  return (masked) =>
    memo.get(masked, (text) => {
      const index: DeclarationIndex = new Map();
      for (const m of text.matchAll(re)) {
        const name = m[1] ?? m[2];
        const list = index.get(name) ?? [];
        list.push({ index: m.index!, text: m[0] });
        index.set(name, list);
      }
      return index;
    });
}
const jsDeclarations = indexOf(JS_DECLARATION);
const cjsDeclarations = indexOf(CJS_DECLARATION);
const pyDeclarations = indexOf(PY_DECLARATION);

function jsSpans(masked: string, name: string): LineRange[] {
  if (name === 'default') {
    const m = /^[ \t]*export[ \t]+default\b/m.exec(masked) ?? /^[ \t]*(?:exports[ \t]*=[ \t]*)?module\.exports[ \t]*=(?!=)/m.exec(masked);
    return m ? [jsSpanAt(masked, { index: m.index, text: m[0] })] : [];
  }
  for (const index of [jsDeclarations(masked), cjsDeclarations(masked)]) {
    const all = index.get(name) ?? [];
    // Top-level declarations; an indented one only when there is none (a namespace's, a block's).
    const top = all.filter((m) => !/^[ \t]/.test(m.text));
    const chosen = top.length ? top : all.slice(0, 1);
    if (chosen.length) return chosen.map((m) => jsSpanAt(masked, m));
  }
  return [];
}

function jsSpanAt(masked: string, m: { index: number; text: string }): LineRange {
  const startOffset = m.index;
  let depth = 0;
  let closedBlock = false;
  let end = masked.length;
  for (let i = startOffset + m.text.length; i < masked.length; i++) {
    const c = masked[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') {
      depth--;
      if (depth === 0 && c === '}') closedBlock = true;
    } else if (depth === 0 && c === ';') {
      end = i;
      break;
    } else if (depth === 0 && c === '\n') {
      const line = masked.slice(masked.lastIndexOf('\n', i - 1) + 1, i).trimEnd();
      const next = /\S/.exec(masked.slice(i))?.[0] ?? '';
      // A declaration that goes on (`type A =`, `| B`, `.then(`) continues onto the next line.
      if (!closedBlock && /[=,|&(+\-*:?<>]$/.test(line)) continue;
      if ('.|&?:'.includes(next) && next !== '') continue;
      if (closedBlock || line.trim()) {
        end = i - 1;
        break;
      }
    }
  }
  return { start: withLeadingComments(masked, lineOf(masked, startOffset), false), end: lineOf(masked, end) };
}

function pythonSpans(masked: string, name: string): LineRange[] {
  const found = pyDeclarations(masked).get(name);
  if (!found) return [];
  const lines = masked.split('\n');
  return found.map((m) => pythonSpanAt(masked, lines, m));
}

function pythonSpanAt(masked: string, lines: string[], m: { index: number }): LineRange {
  const first = lineOf(masked, m.index);
  let last = first;
  // The body: every following line more indented than the definition, or blank; and the
  // lines of a bracket left open on the first line.
  let depth = 0;
  for (let i = first - 1; i < lines.length; i++) {
    if (i > first - 1 && depth === 0 && lines[i].trim() && !/^[ \t]/.test(lines[i])) break;
    for (const c of lines[i]) {
      if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) depth--;
    }
    if (lines[i].trim()) last = i + 1;
  }
  return { start: withLeadingComments(masked, first, true), end: last };
}

/**
 * Comments and decorators right above a definition belong to it. The masked text has them
 * blanked, so this looks at which lines were blanked: a line that is blank in the mask but
 * not empty in the source. Only whitespace is known here, so a masked line counts when it
 * is all spaces and non-empty; decorators (`@x`) survive masking and are matched directly.
 */
function withLeadingComments(masked: string, line: number, python: boolean): number {
  const lines = masked.split('\n');
  let start = line;
  while (start > 1) {
    const prev = lines[start - 2];
    const commentOnly = prev.length > 0 && prev.trim() === '';
    const decorator = /^\s*@/.test(prev) && (python || !prev.includes(';'));
    if (!commentOnly && !decorator) break;
    start--;
  }
  return start;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** A class's (or an exported object's) parts: its declaration (with what is above it), each member, and its closing line. */
export interface ClassParts {
  header: LineRange;
  members: Array<{ name: string; span: LineRange }>;
  /** The closing brace's line (JS); none in Python. */
  close: LineRange | null;
}

/** A class, or an object literal a module exports (`module.exports = {`, `export const api = {`): both are sent by member. */
const JS_CLASS_OR_OBJECT = /^[ \t]*(?:(?:export[ \t]+)?(?:default[ \t]+)?(?:declare[ \t]+)?(?:abstract[ \t]+)?class\b|(?:module\.)?exports(?:\.[\w$]+)?[ \t]*=[ \t]*\{|(?:export[ \t]+)?(?:const|let|var)[ \t]+[\w$]+[^=\n]*=[ \t]*\{)/;
const JS_MEMBER = /^[ \t]*(?:(?:public|private|protected|static|readonly|async|abstract|override|declare|accessor|get|set)\s+)*\*?#?([\w$]+)/;
const PY_MEMBER = /^[ \t]*(?:(?:async[ \t]+)?def[ \t]+(\w+)|(\w+)[ \t]*(?::[^=\n]*)?=|(\w+)[ \t]*:)/;

/**
 * The parts of the class that `span` (a definitionSpan) holds, or null when the definition is
 * not a class. A member runs from its first line (its comments and decorators included) to
 * the line before the next member; members are told by depth (JS) or indentation (Python).
 */
export function classParts(masked: string, lang: SourceLanguage, span: LineRange): ClassParts | null {
  const lines = masked.split('\n');
  let decl = span.start;
  const opener = lang === 'python' ? /^[ \t]*class\b/ : JS_CLASS_OR_OBJECT;
  while (decl <= span.end && !opener.test(lines[decl - 1])) decl++;
  if (decl > span.end) return null;
  const starts: Array<{ line: number; name: string }> = [];
  let bodyStart = -1;
  if (lang === 'python') {
    const indent = /^[ \t]*/.exec(lines[decl - 1])![0].length;
    let depth = 0;
    let memberIndent = -1;
    for (let l = decl; l <= span.end; l++) {
      const text = lines[l - 1];
      const atDepth = depth;
      for (const c of text) depth = Math.max(0, depth + ('([{'.includes(c) ? 1 : ')]}'.includes(c) ? -1 : 0));
      if (l === decl || atDepth > 0 || !text.trim()) continue;
      const ind = /^[ \t]*/.exec(text)![0].length;
      if (ind <= indent) continue;
      if (memberIndent < 0) memberIndent = ind;
      if (ind !== memberIndent) continue;
      if (bodyStart < 0) bodyStart = l;
      const m = PY_MEMBER.exec(text);
      if (m) starts.push({ line: l, name: m[1] ?? m[2] ?? m[3] });
    }
  } else {
    let depth = 0;
    let classDepth = -1;
    for (let l = decl; l <= span.end; l++) {
      const text = lines[l - 1];
      const atDepth = depth;
      for (const c of text) {
        if (c === '{' || c === '(' || c === '[') {
          if (classDepth < 0 && c === '{' && depth === 0) {
            classDepth = 1;
            bodyStart = l + 1;
          }
          depth++;
        } else if (c === '}' || c === ')' || c === ']') depth--;
      }
      if (l === decl || classDepth < 0 || atDepth !== classDepth || !text.trim() || /^\s*[}\])]/.test(text)) continue;
      const m = JS_MEMBER.exec(text);
      if (m && !/^\s*@/.test(text)) starts.push({ line: l, name: m[1] });
    }
  }
  if (bodyStart < 0) return null;
  const close = lang === 'js' && /^\s*}/.test(lines[span.end - 1]) ? { start: span.end, end: span.end } : null;
  const last = close ? span.end - 1 : span.end;
  const members = starts.map((s, i) => {
    let start = s.line;
    // Its comments and decorators: blanked or `@` lines right above it.
    while (start - 1 > (i ? starts[i - 1].line : decl) && (/^\s*@/.test(lines[start - 2]) || (lines[start - 2].length > 0 && !lines[start - 2].trim()))) start--;
    let end = (i + 1 < starts.length ? starts[i + 1].line : last + 1) - 1;
    while (end > start && !lines[end - 1].trim()) end--;
    return { name: s.name, start, end };
  });
  // A member's leading comments belong to it, not to the member above.
  for (let i = 0; i + 1 < members.length; i++) members[i].end = Math.min(members[i].end, members[i + 1].start - 1);
  for (const m of members) while (m.end > m.start && !lines[m.end - 1].trim()) m.end--;
  let headerEnd = (members[0]?.start ?? bodyStart) - 1;
  while (headerEnd > decl && lines[headerEnd - 1].length === 0) headerEnd--;
  return { header: { start: span.start, end: Math.max(decl, headerEnd) }, members: members.map((m) => ({ name: m.name, span: { start: m.start, end: m.end } })), close };
}
