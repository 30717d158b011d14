import { diffArrays } from 'diff';
import { FAMILIES, NEVER_THE_FILE } from '../prompt/tags';

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

/**
 * Shared by the promptfoo assertions: the edited window an answer gives (LF), or null when
 * Edit Scope would refuse it. The rules of src/core/prompt/ (fences.ts, tags.ts, parse.ts,
 * searchReplace.ts, applyBlocks.ts) in plain JavaScript, the answer taken as ended normally
 * (promptfoo gives no finish reason); test/unit/answers.test.ts checks they agree.
 */
export const EDITED_JS = String.raw`const v = context.vars;
const toLines = (s) => String(s).replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
const blank = (l) => l.trim() === '';
const splitAll = (t) => t.split(/\r\n|\r|\n/);
const FAMILIES = ${JSON.stringify(FAMILIES)};
const NEVER = ${JSON.stringify(NEVER_THE_FILE)};
const byTag = new Map(), byExt = new Map();
for (const [f, x] of Object.entries(FAMILIES)) { for (const t of x.tags) byTag.set(t, f); for (const e of x.extensions) byExt.set(e, f); }
function rulesOut(tag, file) {
  const fam = byTag.get(tag);
  if (!fam) return false;
  const base = file.slice(file.lastIndexOf('/') + 1), dot = base.lastIndexOf('.');
  const own = dot < 0 ? undefined : byExt.get(base.slice(dot + 1).toLowerCase());
  return own === undefined ? NEVER.includes(fam) : fam !== own;
}
function opening(line) {
  const m = /^( *)(\`{3,}|~{3,})(.*)$/.exec(line);
  if (!m || (m[2][0] === '\`' && m[3].includes('\`'))) return null;
  return { char: m[2][0], length: m[2].length, indent: m[1].length, tag: /^\s*([^\s{:]*)/.exec(m[3])[1].toLowerCase() };
}
function closes(line, f) {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  if (i > f.indent + 3) return false;
  let n = 0;
  while (line[i + n] === f.char) n++;
  return n >= f.length && line.slice(i + n).trim() === '';
}
function fencedBlocks(ls, nested) {
  const out = [];
  for (let i = 0; i < ls.length; i++) {
    const f = opening(ls[i]);
    if (!f) continue;
    const deep = nested(f), body = [];
    let depth = 0, closed = false;
    for (i++; i < ls.length; i++) {
      const l = ls[i];
      if (closes(l, f)) {
        if (depth === 0) { closed = true; break; }
        depth--;
      } else if (deep) {
        const g = opening(l);
        if (g && g.tag && g.char === f.char && g.length >= f.length) depth++;
      }
      let k = 0;
      while (k < f.indent && l.charCodeAt(k) === 32) k++;
      body.push(l.slice(k));
    }
    out.push({ lines: body, closed, fence: f });
  }
  return out;
}
function fenceRun(text, c) {
  let best = 0;
  for (const l of splitAll(text)) {
    let i = 0, n = 0;
    while (l[i] === ' ' || l[i] === '\t') i++;
    while (l[i + n] === c) n++;
    if (n >= 3 && n > best) best = n;
  }
  return best;
}
function wholeBlock(ls, windowText, file) {
  const runs = { '\`': fenceRun(windowText, '\`'), '~': fenceRun(windowText, '~') };
  const nested = (f) => runs[f.char] >= f.length;
  const cands = fencedBlocks(ls, nested).filter((b) => !rulesOut(b.fence.tag, file));
  let chosen = cands.length === 1 ? cands[0] : null;
  if (cands.length > 1) {
    const want = new Set(splitAll(windowText).filter((l) => l.trim()).map((l) => l.trim()));
    const like = cands.filter((b) => want.size > 0 && new Set(b.lines.map((l) => l.trim()).filter((t) => want.has(t))).size * 2 >= want.size);
    if (like.length === 1) chosen = like[0];
  }
  if (!chosen) return null;
  const f = chosen.fence, run = f.char.repeat(f.length);
  const count = (xs) => xs.filter((l) => l.trimStart().startsWith(run)).length;
  if (nested(f) && count(chosen.lines) !== count(splitAll(windowText))) return null;
  const body = chosen.lines.slice();
  if (!chosen.closed) {
    while (body.length && blank(body[body.length - 1])) body.pop();
    const kept = splitAll(windowText).filter((l) => l.trim());
    const last = kept.length ? kept[kept.length - 1].trimEnd() : '';
    if (!body.length || body[body.length - 1].trimEnd() !== last) return null;
  }
  if (body.every(blank)) return null;
  if (v.selection_start !== undefined) {
    const wl = splitAll(windowText), first = v.selection_start, lastSel = v.selection_end;
    const inside = new Set(wl.filter((l, i) => i + 1 >= first && i + 1 <= lastSel).map((l) => l.trim()));
    const around = new Set(wl.filter((l, i) => (i + 1 < first || i + 1 > lastSel) && l.trim() && !inside.has(l.trim())).map((l) => l.trim()));
    if (around.size && new Set(body.map((l) => l.trim()).filter((t) => around.has(t))).size * 2 < around.size) return null;
  }
  // Blank edge lines the sent text lacks are the answer's layout (parse.ts, withoutExtraBlankEdges).
  const sent = splitAll(windowText);
  if (sent[sent.length - 1] === '') sent.pop();
  const lb = (ls) => { let i = 0; while (i < ls.length && blank(ls[i])) i++; return i; };
  const tb = (ls) => { let i = 0; while (i < ls.length && blank(ls[ls.length - 1 - i])) i++; return i; };
  body.splice(body.length - Math.max(0, tb(body) - tb(sent)));
  body.splice(0, Math.max(0, lb(body) - lb(sent)));
  // The byte-order mark follows the window's (the file's) whatever the block held.
  body[0] = (windowText.charCodeAt(0) === 0xfeff ? '\uFEFF' : '') + body[0].replace(/^\uFEFF/, '');
  return body.join('\n');
}
const SEARCH = /^(?:<{5,9}|-{3,9}) ?SEARCH>?$/, DIVIDER = /^={5,9}$/, REPLACE = /^(?:>{5,9}|\+{3,9}) ?REPLACE<?$/;
function searchReplaceBlocks(ls) {
  const edits = [];
  let fence = null;
  for (let i = 0; i < ls.length; i++) {
    if (REPLACE.test(ls[i].trim())) return null;
    if (!SEARCH.test(ls[i].trim())) {
      if (fence) { if (closes(ls[i], fence)) fence = null; } else fence = opening(ls[i]);
      continue;
    }
    const s = [], r = [];
    for (i++; i < ls.length; i++) {
      const m = ls[i].trim();
      if (DIVIDER.test(m)) break;
      if (SEARCH.test(m) || REPLACE.test(m)) return null;
      s.push(ls[i]);
    }
    if (i >= ls.length) return null;
    let closed = false;
    for (i++; i < ls.length; i++) {
      const m = ls[i].trim();
      if (REPLACE.test(m)) { closed = true; break; }
      if (DIVIDER.test(m) || SEARCH.test(m)) return null;
      r.push(ls[i]);
    }
    if (!closed) {
      const at = [];
      r.forEach((l, k) => { if (/^\s*(\`\`\`|~~~)/.test(l)) at.push(k); });
      if (at.length > 1) return null;
      if (at.length === 1) {
        if (!fence || !closes(r[at[0]], fence)) return null;
        r.length = at[0];
      } else {
        let end = r.length;
        while (end > 0 && blank(r[end - 1])) end--;
        if (!fence && r.slice(0, end).some(blank)) return null;
        r.length = end;
      }
    }
    edits.push([s, r]);
  }
  return edits.length ? edits : null;
}
function applyBlocks(text, edits) {
  // A byte-order mark stays the file's, never part of a line a block matches.
  const bom = text.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  const lines = splitAll(text.slice(bom.length));
  if (lines[lines.length - 1] === '') lines.pop();
  const find = (pat, key) => {
    const want = pat.map(key), out = [];
    for (let at = 0; at + pat.length <= lines.length; at++) {
      let k = 0;
      while (k < pat.length && key(lines[at + k]) === want[k]) k++;
      if (k === pat.length) out.push(at);
    }
    return out;
  };
  const indent = (l) => l.slice(0, l.length - l.trimStart().length);
  const shiftAt = (at, pat) => {
    let shift = null;
    for (let k = 0; k < pat.length; k++) {
      if (blank(pat[k])) continue;
      const fi = indent(lines[at + k]), si = indent(pat[k]);
      const here = fi.endsWith(si) ? [fi.slice(0, fi.length - si.length), ''] : si.endsWith(fi) ? ['', si.slice(0, si.length - fi.length)] : null;
      if (!here || (shift && (shift[0] !== here[0] || shift[1] !== here[1]))) return null;
      shift = shift || here;
    }
    return shift;
  };
  const reindent = (ls, [add, remove]) => {
    const out = [];
    for (const l of ls) {
      if (blank(l)) out.push(l);
      else if (add) out.push(add + l);
      else if (l.startsWith(remove)) out.push(l.slice(remove.length));
      else return null;
    }
    return out;
  };
  const lead = (ls) => { let i = 0; while (i < ls.length && blank(ls[i])) i++; return i; };
  const trail = (ls) => { let i = 0; while (i < ls.length && blank(ls[ls.length - 1 - i])) i++; return i; };
  const fit = (at, len, sl, st, r) => {
    let before = 0, after = 0;
    while (before < sl && at - before - 1 >= 0 && blank(lines[at - before - 1])) before++;
    while (after < st && at + len + after < lines.length && blank(lines[at + len + after])) after++;
    let rr = r.slice(Math.min(sl - before, lead(r)));
    rr = rr.slice(0, rr.length - Math.min(st - after, trail(rr)));
    return [at - before, len + before + after, rr];
  };
  for (const [s, r] of edits) {
    if (s.every(blank)) return null;
    const sl = lead(s), st = trail(s);
    const variants = sl || st ? [s, s.slice(sl, s.length - st)] : [s];
    const at1 = (at, vs, vr) => (vs === s ? [at, vs.length, vr] : fit(at, vs.length, sl, st, vr));
    let place = null;
    for (const vs of variants) {
      const at = find(vs, (l) => l);
      if (at.length > 1) return null;
      if (at.length === 1) { place = at1(at[0], vs, r); break; }
    }
    for (const vs of place ? [] : variants) {
      const shifted = [];
      for (const at of find(vs, (l) => l.trimStart())) {
        const sh = shiftAt(at, vs);
        if (sh) shifted.push([at, sh]);
      }
      if (shifted.length > 1) return null;
      if (shifted.length === 1) {
        const nr = reindent(r, shifted[0][1]);
        if (!nr) return null;
        place = at1(shifted[0][0], vs, nr);
        break;
      }
    }
    if (!place) return null;
    lines.splice(place[0], place[1], ...place[2]);
  }
  return bom + lines.join('\n');
}
// A multi-file task (v.files: its target, then the files it may change): the target's part of
// the answer, cut at a path alone on the line before a block as src/core/prompt/multiFile.ts
// does; a path naming no file of the task is kept in foreign.
let foreign = null;
function targetPart(ls) {
  if (!Array.isArray(v.files)) return ls;
  const PATH = /^\s*(?:#{1,6}\s+|[-*]\s+)?(?:\*\*|__)?(?:(?:file|path|filename)\s*:\s*)?(?:\*\*|__)?\`?([^\s\`*]+?)\`?(?:\*\*|__)?:?\s*$/i;
  const opensBlock = (l) => opening(l) !== null || SEARCH.test(l.trim());
  const starts = [];
  let fence = null, inSearch = false;
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i];
    if (inSearch) { if (REPLACE.test(l.trim())) inSearch = false; continue; }
    if (SEARCH.test(l.trim())) { inSearch = true; continue; }
    if (fence) { if (closes(l, fence)) fence = null; continue; }
    const f = opening(l);
    if (f) { fence = f; continue; }
    const m = PATH.exec(l);
    if (!m || !/^[\w@.+~\-/\\]+$/.test(m[1]) || !/[./\\]/.test(m[1]) || /^\.+$/.test(m[1])) continue;
    let n = i + 1;
    while (n < ls.length && !ls[n].trim()) n++;
    if (n < ls.length && opensBlock(ls[n])) starts.push([i, m[1]]);
  }
  const name = (p) => {
    const q = p.replace(/\\/g, '/').replace(/^\.\//, '');
    if (v.files.includes(q)) return q;
    const hit = v.files.filter((k) => k.endsWith('/' + q) || q.endsWith('/' + k));
    return hit.length === 1 ? hit[0] : null;
  };
  let part = null;
  for (let k = 0; k < starts.length; k++) {
    const file = name(starts[k][1]);
    if (file === null) { foreign = foreign || starts[k][1]; continue; }
    if (file === v.file) part = ls.slice(starts[k][0] + 1, k + 1 < starts.length ? starts[k + 1][0] : ls.length);
  }
  const first = starts.length ? starts[0][0] : ls.length;
  if (!part && ls.slice(0, first).some(opensBlock)) part = ls.slice(0, first);
  return part;
}
function edited() {
  const all = splitAll(String(output).replace(/^\uFEFF/, ''));
  const windowText = String(v.window_text);
  const ls = targetPart(all);
  // A multi-file answer may leave the target as it was.
  if (ls === null) return windowText.replace(/\r\n?/g, '\n');
  if (v.format === 'search-replace') {
    const edits = searchReplaceBlocks(ls);
    return edits ? applyBlocks(windowText, edits) : null;
  }
  return wholeBlock(ls, windowText, String(v.file || ''));
}
const e = edited();
if (e === null) return { pass: false, score: 0, reason: 'The answer holds no usable edit (' + (v.format === 'search-replace' ? 'SEARCH/REPLACE blocks that each apply to one place' : "a fenced code block holding the file") + ')' };
`;

/** promptfoo `javascript` assertion: every line of the window outside the selection is unchanged. */
export const SCOPE_JS = `${EDITED_JS}if (foreign) return { pass: false, score: 0, reason: 'Changes ' + foreign + ', a file the task did not let it change' };
const a = toLines(v.window_text), b = toLines(e);
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
