import { languageOf } from '../analysis/language';
import { TextMemo } from './memo';

export type SourceLanguage = 'js' | 'python';

/** The scanners' language of a file, or null for a file they do not read as code. */
export function sourceLanguageOf(file: string): SourceLanguage | null {
  const l = languageOf(file);
  return l === 'python' ? 'python' : l === 'typescript' || l === 'javascript' ? 'js' : null;
}

/**
 * The text with comments blanked out (`code`), and with the contents of string literals
 * blanked too (`all`), each the same length with the same line breaks, so offsets and line
 * numbers still hold. Import statements are read from the first, the names a selection uses
 * from the second. A template literal's `${...}` stays code.
 *
 * Both come from one pass that copies code in runs between the characters that can start
 * something else, never a character at a time, so a file of tens of thousands of lines stays quick.
 */
export function maskSource(text: string, lang: SourceLanguage): { code: string; all: string } {
  return lang === 'python' ? pyMasks.get(text, maskPython) : jsMasks.get(text, maskJs);
}

const jsMasks = new TextMemo<{ code: string; all: string }>(32);
const pyMasks = new TextMemo<{ code: string; all: string }>(32);

const blank = (s: string) => (s.includes('\n') || s.includes('\r') ? s.replace(/[^\r\n]/g, ' ') : ' '.repeat(s.length));
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Collects both masked texts as slices of the source and blanked slices. */
class Out {
  private readonly code: string[] = [];
  private readonly all: string[] = [];
  /** Where the source not yet copied or blanked starts. */
  from = 0;
  /** The last significant character of code copied, to tell a regex literal from a division. */
  prev = '';

  constructor(private readonly text: string) {}

  keepTo(to: number): void {
    if (to <= this.from) return;
    const run = this.text.slice(this.from, to);
    this.code.push(run);
    this.all.push(run);
    let k = to - 1;
    while (k >= this.from && isSpace(this.text[k])) k--;
    if (k >= this.from) this.prev = this.text[k];
    this.from = to;
  }

  hideTo(to: number): void {
    if (to <= this.from) return;
    const b = blank(this.text.slice(this.from, to));
    this.code.push(b);
    this.all.push(b);
    this.from = to;
  }

  /** Kept in `code`, blanked in `all`: a string's contents. */
  textTo(to: number): void {
    if (to <= this.from) return;
    const run = this.text.slice(this.from, to);
    this.code.push(run);
    this.all.push(blank(run));
    this.from = to;
  }

  /** A string literal: its quotes stay, its contents are text. */
  stringTo(to: number, quote: number): void {
    const open = Math.min(this.from + quote, to);
    const close = to - this.from >= 2 * quote && this.text.startsWith(this.text.slice(this.from, this.from + quote), to - quote) ? to - quote : to;
    this.keepTo(open);
    this.textTo(close);
    this.keepTo(to);
    this.prev = '"';
  }

  result(): { code: string; all: string } {
    this.keepTo(this.text.length);
    return { code: this.code.join(''), all: this.all.join('') };
  }
}

const JS_SPECIAL = /[/"'`{}]/g;

/**
 * Kept as one function on purpose: its steps (template bodies, strings, comments, regexes)
 * share the position and the output as they walk the text in one pass, the locality hot path
 * (`npm run bench -- locality`).
 */
function maskJs(text: string): { code: string; all: string } {
  const out = new Out(text);
  const n = text.length;
  // Brace depth at which each open template literal's `${` began.
  const templates: number[] = [];
  let depth = 0;
  let i = 0;
  /** From just inside a backquote (or after the `}` closing a `${`) to the closing backquote or the next `${`. */
  const templateBody = () => {
    out.keepTo(i);
    while (i < n && text[i] !== '`' && !(text[i] === '$' && text[i + 1] === '{')) i += text[i] === '\\' ? 2 : 1;
    i = Math.min(i, n);
    out.textTo(i);
    if (i >= n) return;
    if (text[i] === '`') i++;
    else {
      i += 2;
      templates.push(depth++);
    }
    out.keepTo(i);
  };
  for (;;) {
    JS_SPECIAL.lastIndex = i;
    const m = JS_SPECIAL.exec(text);
    if (!m) break;
    i = m.index;
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      out.keepTo(i);
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
      out.hideTo(i);
    } else if (c === '/' && text[i + 1] === '*') {
      out.keepTo(i);
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      out.hideTo(i);
    } else if (c === '"' || c === "'") {
      out.keepTo(i);
      i++;
      while (i < n && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      if (i < n && text[i] === c) i++;
      out.stringTo(Math.min(i, n), 1);
    } else if (c === '`') {
      i++;
      templateBody();
    } else if (c === '/') {
      out.keepTo(i);
      if (!regexCanStart(out.prev, text, i)) {
        i++;
        continue;
      }
      i++;
      let cls = false;
      while (i < n && text[i] !== '\n' && (cls || text[i] !== '/')) {
        if (text[i] === '\\') i++;
        else if (text[i] === '[') cls = true;
        else if (text[i] === ']') cls = false;
        i++;
      }
      // Flags follow a closing slash; a line that ended first was no regular expression to close.
      if (text[i] === '/') {
        i++;
        while (i < n && /[a-z]/i.test(text[i])) i++;
      }
      out.hideTo(i);
      out.prev = 'r';
    } else if (c === '{') {
      depth++;
      i++;
    } else {
      depth--;
      i++;
      if (templates.length && templates[templates.length - 1] === depth) {
        templates.pop();
        templateBody();
      }
    }
  }
  return out.result();
}

function regexCanStart(prev: string, text: string, at: number): boolean {
  // JSX: a closing tag (`</b>`, `</>`) and a self-closing one after an attribute (`{x} />`).
  if ((prev === '<' && /[A-Za-z>]/.test(text[at + 1] ?? '')) || (prev === '}' && text[at + 1] === '>')) return false;
  if (prev === '' || '(,=:[!&|?{};+-*%<>~^'.includes(prev)) return true;
  return /\b(return|typeof|case|do|else|in|of|void|yield|await|throw|new|delete|instanceof)\s*$/.test(text.slice(Math.max(0, at - 16), at));
}

const PY_SPECIAL = /[#"']/g;

function maskPython(text: string): { code: string; all: string } {
  const out = new Out(text);
  const n = text.length;
  let i = 0;
  for (;;) {
    PY_SPECIAL.lastIndex = i;
    const m = PY_SPECIAL.exec(text);
    if (!m) break;
    i = m.index;
    const c = text[i];
    out.keepTo(i);
    if (c === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
      out.hideTo(i);
      continue;
    }
    const triple = text.startsWith(c.repeat(3), i);
    const q = triple ? c.repeat(3) : c;
    const start = i;
    i += q.length;
    while (i < n && !text.startsWith(q, i) && (triple || text[i] !== '\n')) i += text[i] === '\\' ? 2 : 1;
    if (i < n && text.startsWith(q, i)) i += q.length;
    const end = Math.min(i, n);
    // An f-string's replacement fields are code: `f"{format_filename(v)}"` uses format_filename.
    const prefix = /(?<![\w])[rRbBuUfF]{1,2}$/.exec(text.slice(Math.max(0, start - 3), start))?.[0] ?? '';
    if (/[fF]/.test(prefix)) fString(out, text, start + q.length, end - (text.startsWith(q, end - q.length) && end - q.length >= start + q.length ? q.length : 0), end);
    else out.stringTo(end, q.length);
  }
  return out.result();
}

/** The contents of an f-string between `from` and `to` (its closing quote at `to`, the string ending at `end`): text, but `{...}` fields kept as code. */
function fString(out: Out, text: string, from: number, to: number, end: number): void {
  out.keepTo(from);
  let i = from;
  while (i < to) {
    if (text[i] === '{' && text[i + 1] === '{') {
      i += 2;
      continue;
    }
    if (text[i] !== '{') {
      i += text[i] === '\\' ? 2 : 1;
      continue;
    }
    out.textTo(i);
    let depth = 0;
    for (; i < to; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}' && --depth === 0) break;
    }
    i = Math.min(i + 1, to);
    out.keepTo(i);
  }
  out.textTo(to);
  out.keepTo(end);
  out.prev = '"';
}
