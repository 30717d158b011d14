import type { LineRange } from '../analysis/analysisTypes';
import type { SourceLanguage } from './mask';

const escape = (s: string) => s.replace(/[$]/g, '\\$');

/**
 * The lines that define `name` at the top of a module (with the comments and decorators
 * right above it), or null when the module does not define it. `masked` is the text with
 * comments and strings blanked (maskSource), so a name inside either never counts.
 */
export function definitionSpan(masked: string, lang: SourceLanguage, name: string): LineRange | null {
  return lang === 'python' ? pythonSpan(masked, name) : jsSpan(masked, name);
}

function jsSpan(masked: string, name: string): LineRange | null {
  const decl =
    name === 'default'
      ? /^[ \t]*export[ \t]+default\b/m
      : new RegExp(
          `^[ \\t]*(?:export[ \\t]+)?(?:default[ \\t]+)?(?:declare[ \\t]+)?(?:abstract[ \\t]+)?(?:async[ \\t]+)?(?:function\\s*\\*?|class|const|let|var|interface|type|enum|namespace|module)\\s+${escape(name)}(?![\\w$])`,
          'm',
        );
  // CommonJS: `exports.f = function ...`, `module.exports.f = ...`, `module.exports = ...` (the default).
  const commonJs =
    name === 'default'
      ? /^[ \t]*(?:exports[ \t]*=[ \t]*)?module\.exports[ \t]*=(?!=)/m
      : new RegExp(`^[ \\t]*(?:module\\.)?exports\\.${escape(name)}[ \\t]*=(?!=)`, 'm');
  const m = decl.exec(masked) ?? commonJs.exec(masked);
  if (!m) return null;
  const startOffset = m.index;
  let depth = 0;
  let closedBlock = false;
  let end = masked.length;
  for (let i = startOffset + m[0].length; i < masked.length; i++) {
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

function pythonSpan(masked: string, name: string): LineRange | null {
  const m = new RegExp(`^(?:(?:async[ \\t]+)?def|class)[ \\t]+${name}\\b|^${name}[ \\t]*(?::[^=\\n]*)?=(?!=)`, 'm').exec(masked);
  if (!m) return null;
  const lines = masked.split('\n');
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
