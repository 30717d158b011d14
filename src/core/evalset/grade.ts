import { diffArrays } from 'diff';

/**
 * Reference grading, shared by `editscope replay` and the assertions written into promptfoo
 * exports (REFERENCE_JS below does the same in plain JavaScript): both texts to LF, trailing
 * whitespace dropped from each line and trailing blank lines dropped, then compared line by
 * line. Similarity is 2 x (lines in common, in order) / (lines in both).
 */
export function normalizedLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function gradeReference(output: string, reference: string): { exact: boolean; similarity: number } {
  const a = normalizedLines(output);
  const b = normalizedLines(reference);
  const exact = a.length === b.length && a.every((l, i) => l === b[i]);
  if (exact) return { exact, similarity: 1 };
  if (!a.length && !b.length) return { exact: true, similarity: 1 };
  let common = 0;
  for (const part of diffArrays(a, b)) if (!part.added && !part.removed) common += part.value.length;
  return { exact, similarity: (2 * common) / (a.length + b.length) };
}

/** Shared by the promptfoo assertions: the edited window an answer gives, or null when it is malformed. */
const EDITED_JS = `const v = context.vars;
const toLines = (s) => String(s).replace(/\\r\\n?/g, '\\n').replace(/\\n$/, '').split('\\n');
function edited() {
  const ls = String(output).split(/\\r\\n|\\r|\\n/);
  if (v.format === 'search-replace') {
    let text = String(v.window_text).replace(/\\r\\n?/g, '\\n');
    let n = 0;
    for (let i = 0; i < ls.length; i++) {
      if (!/^<{5,9} ?SEARCH\\s*$/.test(ls[i])) continue;
      const s = [], r = [];
      let part = s, closed = false;
      for (i++; i < ls.length; i++) {
        if (part === s && /^={5,9}\\s*$/.test(ls[i])) part = r;
        else if (part === r && /^>{5,9} ?REPLACE\\s*$/.test(ls[i])) { closed = true; break; }
        else part.push(ls[i]);
      }
      const search = s.join('\\n');
      const at = text.indexOf(search);
      if (!closed || !search.trim() || at < 0 || text.indexOf(search, at + 1) >= 0) return null;
      text = text.slice(0, at) + r.join('\\n') + text.slice(at + search.length);
      n++;
    }
    return n ? text : null;
  }
  const blocks = [];
  for (let i = 0; i < ls.length; i++) {
    const open = /^ {0,3}(\`{3,}|~{3,})(.*)$/.exec(ls[i]);
    if (!open || (open[1][0] === '\`' && open[2].includes('\`'))) continue;
    const body = [];
    let closed = false;
    for (i++; i < ls.length; i++) {
      const close = /^ {0,3}(\`{3,}|~{3,})\\s*$/.exec(ls[i]);
      if (close && close[1][0] === open[1][0] && close[1].length >= open[1].length) { closed = true; break; }
      body.push(ls[i]);
    }
    blocks.push(closed ? body.join('\\n') : null);
  }
  return blocks.length === 1 && blocks[0] !== null && blocks[0].trim() !== '' ? blocks[0] : null;
}
const e = edited();
if (e === null) return { pass: false, score: 0, reason: 'The answer holds no usable edit (' + (v.format === 'search-replace' ? 'SEARCH/REPLACE blocks that apply once each' : 'exactly one fenced code block') + ')' };
`;

/** promptfoo `javascript` assertion: every line of the window outside the selection is unchanged. */
export const SCOPE_JS = `${EDITED_JS}const a = toLines(v.window_text), b = toLines(e);
const first = v.selection_start, last = v.selection_end, tail = a.length - last;
const same = (x, y) => x.length === y.length && x.every((l, i) => l === y[i]);
const before = same(b.slice(0, first - 1), a.slice(0, first - 1));
const after = b.length >= first - 1 + tail && same(b.slice(b.length - tail), a.slice(last));
if (before && after) return { pass: true, score: 1, reason: 'Only the selected lines changed' };
return { pass: false, score: 0, reason: 'Lines outside the selection changed' + (before ? ' (after it)' : after ? ' (before it)' : ' (before and after it)') };
`;

/** promptfoo `javascript` assertion: normalised exact match with the accepted edit, scored by similarity. */
export const REFERENCE_JS = `${EDITED_JS}const norm = (s) => { const l = toLines(s).map((x) => x.replace(/\\s+$/, '')); while (l.length && l[l.length - 1] === '') l.pop(); return l; };
const a = norm(e), b = norm(v.reference);
if (a.length === b.length && a.every((l, i) => l === b[i])) return { pass: true, score: 1, reason: 'Matches the accepted edit' };
let prev = new Array(b.length + 1).fill(0);
for (let i = 1; i <= a.length; i++) {
  const row = [0];
  for (let j = 1; j <= b.length; j++) row[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
  prev = row;
}
const score = (2 * prev[b.length]) / (a.length + b.length);
return { pass: false, score, reason: 'Differs from the accepted edit (line similarity ' + score.toFixed(2) + ')' };
`;
