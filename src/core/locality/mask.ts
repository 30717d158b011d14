export type SourceLanguage = 'js' | 'python';

/**
 * The text with comments blanked out (and, with `strings`, the contents of string literals
 * too), same length and same line breaks, so offsets and line numbers still hold. Import
 * statements are read from the first kind, the names a selection uses from the second.
 * A template literal's `${...}` stays code.
 */
export function maskSource(text: string, lang: SourceLanguage, strings: boolean): string {
  return lang === 'python' ? maskPython(text, strings) : maskJs(text, strings);
}

const blank = (s: string) => s.replace(/[^\r\n]/g, ' ');

function maskJs(text: string, strings: boolean): string {
  let out = '';
  let i = 0;
  const n = text.length;
  // Brace depth at which each open template literal's `${` began.
  const templates: number[] = [];
  let depth = 0;
  let prev = ''; // last significant code character, to tell a regex literal from a division
  const keep = (from: number, to: number) => (out += text.slice(from, to));
  const hide = (from: number, to: number) => (out += blank(text.slice(from, to)));
  const templateBody = () => {
    // From just inside a backquote (or after a `}` closing a `${`) to the closing backquote or the next `${`.
    const start = i;
    while (i < n && text[i] !== '`' && !(text[i] === '$' && text[i + 1] === '{')) i += text[i] === '\\' ? 2 : 1;
    (strings ? hide : keep)(start, Math.min(i, n));
    if (i >= n) return;
    if (text[i] === '`') {
      keep(i, ++i);
      prev = '`';
    } else {
      keep(i, (i += 2));
      templates.push(depth++);
      prev = '{';
    }
  };
  while (i < n) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const to = end < 0 ? n : end;
      hide(i, to);
      i = to;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const to = end < 0 ? n : end + 2;
      hide(i, to);
      i = to;
    } else if (c === '"' || c === "'") {
      const start = i++;
      while (i < n && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i = Math.min(i + 1, n);
      if (strings) out += c + blank(text.slice(start + 1, i - 1)) + (i - 1 > start ? text[i - 1] : '');
      else keep(start, i);
      prev = c;
    } else if (c === '`') {
      keep(i, ++i);
      templateBody();
    } else if (c === '/' && regexCanStart(prev, out)) {
      const start = i++;
      let cls = false;
      while (i < n && text[i] !== '\n' && (cls || text[i] !== '/')) {
        if (text[i] === '\\') i++;
        else if (text[i] === '[') cls = true;
        else if (text[i] === ']') cls = false;
        i++;
      }
      i = Math.min(i + 1, n);
      while (i < n && /[a-z]/i.test(text[i])) i++;
      hide(start, i);
      prev = 'r';
    } else {
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (templates.length && templates[templates.length - 1] === depth) {
          templates.pop();
          keep(i, ++i);
          templateBody();
          continue;
        }
      }
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') prev = c;
      keep(i, ++i);
    }
  }
  return out;
}

function regexCanStart(prev: string, out: string): boolean {
  if (prev === '' || '(,=:[!&|?{};+-*%<>~^'.includes(prev)) return true;
  return /\b(return|typeof|case|do|else|in|of|void|yield|await|throw|new|delete|instanceof)\s*$/.test(out.slice(-16));
}

function maskPython(text: string, strings: boolean): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '#') {
      const end = text.indexOf('\n', i);
      const to = end < 0 ? n : end;
      out += blank(text.slice(i, to));
      i = to;
    } else if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      const start = i;
      i += q.length;
      while (i < n && !text.startsWith(q, i) && (triple || text[i] !== '\n')) i += text[i] === '\\' ? 2 : 1;
      i = Math.min(n, i + (text.startsWith(q, i) ? q.length : 0));
      if (strings) out += q + blank(text.slice(start + q.length, Math.max(start + q.length, i - q.length))) + (i - start >= 2 * q.length ? q : '');
      else out += text.slice(start, i);
      // Keep the length exact even for a string cut short by the end of the text.
      if (out.length !== i) out = out.slice(0, i).padEnd(i, ' ');
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
