import { malformed, type Refused, type TextOutcome } from './outcome';
import { normalizeLine, splitLines } from '../text/lines';
import { partLines, type SearchReplace } from './searchReplace';

/*
 * Applying blocks, in order, each to the text the blocks before it left:
 * - Parts are whole lines, matched against whole lines of the text. The matched lines are
 *   replaced by the REPLACE lines and nothing else: a deletion removes its lines and their line
 *   endings, and no two lines are ever joined.
 * - A block must match exactly one place. It is tried, in order, as written; without the blank
 *   lines at its SEARCH part's start and end, taking as many of them as the text has next to
 *   the match (and dropping as many as it lacks from the REPLACE part's start and end, when it
 *   has them too: they were context); then each of those two with its indentation
 *   uniformly shifted: every non-blank SEARCH line differs from its text line by the same
 *   leading whitespace, added or removed, and blank lines meet blank lines. A shifted match
 *   shifts the REPLACE part's non-blank lines by the same whitespace. The first way that
 *   matches anywhere decides: one place is applied, several are refused.
 * - Anything else (whitespace inside lines, tabs against spaces, letter case, an empty
 *   SEARCH part) is refused, naming the block and why.
 * - New lines take the text's usual line ending; the last of them takes the ending of the
 *   last line it replaces, so a text without a final line ending keeps it that way.
 */
export function applySearchReplace(windowText: string, edits: readonly SearchReplace[], firstLine = 1): TextOutcome {
  const doc = new LineDoc(windowText);
  for (let k = 0; k < edits.length; k++) {
    const n = k + 1;
    const search = partLines(edits[k].search);
    const replace = partLines(edits[k].replace);
    if (search.every(isBlank)) return malformed(`SEARCH/REPLACE block ${n} has an empty SEARCH part`);
    const found = locate(doc, search, replace, n, firstLine);
    if ('error' in found) return found;
    doc.splice(found.at, found.length, found.replace);
  }
  return { ok: true, text: doc.text() };
}

interface Place {
  at: number;
  length: number;
  replace: string[];
}

function locate(doc: LineDoc, search: string[], replace: string[], n: number, firstLine: number): Place | Refused {
  const edges = blankEdges(search);
  const core = edges ? search.slice(edges.lead, search.length - edges.trail) : search;
  // As written, then its core with the blank edge lines the text has there (see fitEdges).
  const variants = edges ? [search, core] : [search];
  const place = (at: number, v: string[], lines: string[]): Place =>
    v === search ? { at, length: v.length, replace: lines } : fitEdges(doc, at, v.length, edges!, lines);
  const where = (at: number[], len: number) => at.slice(0, 5).map((a) => `${a + firstLine}-${a + firstLine + len - 1}`).join(', ') + (at.length > 5 ? ', ...' : '');
  for (const v of variants) {
    const at = doc.find(v);
    if (at.length === 1) return place(at[0], v, replace);
    if (at.length > 1) return malformed(`SEARCH/REPLACE block ${n} matches more than one place (lines ${where(at, v.length)}); add lines to make it unique`);
  }
  let uneven: { at: number[]; length: number } | null = null;
  for (const v of variants) {
    const trimmedAt = doc.findTrimmed(v);
    const shifted = doc.findShifted(v, trimmedAt);
    if (shifted.length > 1) {
      return malformed(`SEARCH/REPLACE block ${n} matches more than one place once its indentation is shifted (lines ${where(shifted.map((s) => s.at), v.length)})`);
    }
    if (shifted.length === 1) {
      const { at, shift } = shifted[0];
      const replaceLines = reindent(replace, shift);
      if (!replaceLines) return malformed(`SEARCH/REPLACE block ${n} matches lines ${where([at], v.length)} indented differently, and its REPLACE part cannot be re-indented the same way`);
      return place(at, v, replaceLines);
    }
    if (!uneven && trimmedAt.length) uneven = { at: trimmedAt, length: v.length };
  }
  const head = JSON.stringify(core.find((l) => !isBlank(l))!.trim().slice(0, 80));
  if (uneven) {
    return malformed(`SEARCH/REPLACE block ${n} (${head}) matches lines ${where(uneven.at, uneven.length)} only if indentation is ignored: its lines are not all shifted by the same whitespace (tabs against spaces, or uneven), so it is not applied`);
  }
  const near = doc.findBy(core, normalizeLine);
  if (near.length) return malformed(`SEARCH/REPLACE block ${n} (${head}) matches lines ${where(near, core.length)} only if whitespace inside lines is ignored; not applied, as that would be a guess`);
  const caseless = doc.findBy(core, (l) => normalizeLine(l).toLowerCase());
  if (caseless.length) return malformed(`SEARCH/REPLACE block ${n} (${head}) matches lines ${where(caseless, core.length)} only if letter case is ignored; not applied`);
  const partial = doc.findPartial(core);
  if (partial !== null) {
    const line = JSON.stringify(doc.lineAt(partial).trim().slice(0, 80));
    return malformed(`SEARCH/REPLACE block ${n} (${head}) matches only part of line ${partial + firstLine} (${line}): a SEARCH part is whole lines, so it is not applied`);
  }
  return malformed(`SEARCH/REPLACE block ${n} does not match the text: ${head}`);
}

/** How many blank lines a SEARCH part starts and ends with, or null when none. */
function blankEdges(search: string[]): { lead: number; trail: number } | null {
  const lead = leadingBlanks(search);
  const trail = trailingBlanks(search);
  return lead || trail ? { lead, trail } : null;
}

function leadingBlanks(lines: string[]): number {
  let i = 0;
  while (i < lines.length && isBlank(lines[i])) i++;
  return i;
}

function trailingBlanks(lines: string[]): number {
  let i = 0;
  while (i < lines.length && isBlank(lines[lines.length - 1 - i])) i++;
  return i;
}

/**
 * A SEARCH part's core (blank edges left off) matched at `at`: the place takes as many of its
 * blank edge lines as the text has there, and the REPLACE part drops as many blank edge
 * lines as the text lacked (they were context). So a deletion whose SEARCH part ends with a
 * blank line the text does not have still deletes the blank line before it.
 */
function fitEdges(doc: LineDoc, at: number, length: number, edges: { lead: number; trail: number }, replace: string[]): Place {
  let before = 0;
  while (before < edges.lead && at - before - 1 >= 0 && doc.blankAt(at - before - 1)) before++;
  let after = 0;
  while (after < edges.trail && at + length + after < doc.length && doc.blankAt(at + length + after)) after++;
  let r = replace.slice(Math.min(edges.lead - before, leadingBlanks(replace)));
  r = r.slice(0, r.length - Math.min(edges.trail - after, trailingBlanks(r)));
  return { at: at - before, length: length + before + after, replace: r };
}

/** Whitespace added to (`add`) or removed from (`remove`) the front of each non-blank line. */
interface Shift {
  add: string;
  remove: string;
}

function reindent(lines: string[], shift: Shift): string[] | null {
  const out: string[] = [];
  for (const l of lines) {
    if (isBlank(l)) out.push(l);
    else if (shift.add) out.push(shift.add + l);
    else if (l.startsWith(shift.remove)) out.push(l.slice(shift.remove.length));
    else return null;
  }
  return out;
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/**
 * The text being edited as lines, each also known by a number standing for its text (and,
 * once asked, one for its text without leading whitespace). Finding a block scans for its
 * first line natively and checks each place found; should that checking add up to more than
 * a few passes over the text (a first line that repeats everywhere), the rest of the search
 * is Knuth-Morris-Pratt, so finding is linear in the text however its lines repeat.
 */
class LineDoc {
  private lines: string[];
  private eols: string[];
  private ids: Int32Array;
  private trimmedIds: Int32Array | null = null;
  private readonly intern = new Map<string, number>();
  private readonly eol: string;

  constructor(text: string) {
    const s = splitLines(text);
    this.lines = s.lines.slice();
    this.eols = s.eols.slice();
    let crlf = 0;
    for (const e of this.eols) if (e === '\r\n') crlf++;
    this.eol = crlf * 2 > this.eols.length ? '\r\n' : '\n';
    this.ids = Int32Array.from(this.lines, (l) => this.id(l));
  }

  private id(s: string): number {
    let v = this.intern.get(s);
    if (v === undefined) this.intern.set(s, (v = this.intern.size));
    return v;
  }

  private trimmed(): Int32Array {
    return (this.trimmedIds ??= Int32Array.from(this.lines, (l) => this.id(l.trimStart())));
  }

  get length(): number {
    return this.lines.length;
  }

  lineAt(i: number): string {
    return this.lines[i];
  }

  /**
   * The first line where the SEARCH lines are found inside longer lines (each non-blank one,
   * trimmed, within its text line, at least one of them short of the whole line; blank lines
   * meeting blank lines), or null: for saying why a block did not match.
   */
  findPartial(search: string[]): number | null {
    const first = search.findIndex((l) => !isBlank(l));
    const want = search.map((l) => l.trim());
    // Only a message hangs on it: a few passes over the text at most, never a quadratic scan.
    let budget = 4 * this.lines.length + search.length;
    for (let at = 0; at + search.length <= this.lines.length; at++) {
      if (!this.lines[at + first].includes(want[first])) continue;
      let k = 0;
      let shorter = false;
      for (; k < search.length; k++) {
        if (--budget < 0) return null;
        const line = this.lines[at + k];
        if (!want[k]) {
          if (!isBlank(line)) break;
        } else if (!line.includes(want[k])) break;
        else if (line.trim() !== want[k]) shorter = true;
      }
      if (k === search.length && shorter) return at + first;
    }
    return null;
  }

  blankAt(i: number): boolean {
    return isBlank(this.lines[i]);
  }

  /** Starts of every exact match. */
  find(search: string[]): number[] {
    const pattern = this.patternOf(search, (l) => l);
    return pattern ? findAll(this.ids, pattern) : [];
  }

  /** Starts of matches of every line without its leading whitespace, blank lines meeting blank lines. */
  findTrimmed(search: string[]): number[] {
    const text = this.trimmed();
    const pattern = this.patternOf(search, (l) => l.trimStart());
    return pattern ? findAll(text, pattern) : [];
  }

  private patternOf(search: string[], key: (l: string) => string): Int32Array | null {
    const pattern = new Int32Array(search.length);
    for (let k = 0; k < search.length; k++) {
      const v = this.intern.get(key(search[k]));
      if (v === undefined) return null;
      pattern[k] = v;
    }
    return pattern;
  }

  /** Of those, the matches with a uniform indentation shift (none or some). */
  findShifted(search: string[], trimmedAt: number[]): Array<{ at: number; shift: Shift }> {
    const out: Array<{ at: number; shift: Shift }> = [];
    for (const at of trimmedAt) {
      const shift = this.shiftAt(at, search);
      if (shift) out.push({ at, shift });
    }
    return out;
  }

  private shiftAt(at: number, search: string[]): Shift | null {
    let shift: Shift | null = null;
    for (let k = 0; k < search.length; k++) {
      const s = search[k];
      if (isBlank(s)) continue;
      const f = this.lines[at + k];
      const fi = f.slice(0, f.length - f.trimStart().length);
      const si = s.slice(0, s.length - s.trimStart().length);
      let here: Shift;
      if (fi.endsWith(si)) here = { add: fi.slice(0, fi.length - si.length), remove: '' };
      else if (si.endsWith(fi)) here = { add: '', remove: si.slice(0, si.length - fi.length) };
      else return null;
      if (!shift) shift = here;
      else if (shift.add !== here.add || shift.remove !== here.remove) return null;
    }
    return shift;
  }

  /** Starts of matches under a looser key: for saying why a block did not match. */
  findBy(search: string[], key: (line: string) => string): number[] {
    const ids = new Map<string, number>();
    const idOf = (k: string) => {
      let v = ids.get(k);
      if (v === undefined) ids.set(k, (v = ids.size));
      return v;
    };
    const text = Int32Array.from(this.lines, (l) => idOf(key(l)));
    const pattern = new Int32Array(search.length);
    for (let k = 0; k < search.length; k++) {
      const v = ids.get(key(search[k]));
      if (v === undefined) return [];
      pattern[k] = v;
    }
    return findAll(text, pattern);
  }

  splice(at: number, length: number, replace: string[]): void {
    const eols = replace.map(() => this.eol);
    const lastEol = this.eols[at + length - 1];
    if (replace.length) eols[eols.length - 1] = lastEol;
    else if (at + length === this.lines.length && lastEol === '' && at > 0) this.eols[at - 1] = '';
    this.lines = spliced(this.lines, at, length, replace);
    this.eols = spliced(this.eols, at, length, eols);
    this.ids = splicedIds(this.ids, at, length, Int32Array.from(replace, (l) => this.id(l)));
    if (this.trimmedIds) this.trimmedIds = splicedIds(this.trimmedIds, at, length, Int32Array.from(replace, (l) => this.id(l.trimStart())));
  }

  text(): string {
    let out = '';
    for (let i = 0; i < this.lines.length; i++) out += this.lines[i] + this.eols[i];
    return out;
  }
}

/** `items` in place of `length` elements at `at`; in place unless too many to spread. */
function spliced<T>(arr: T[], at: number, length: number, items: T[]): T[] {
  if (items.length < 10_000) {
    arr.splice(at, length, ...items);
    return arr;
  }
  return arr.slice(0, at).concat(items, arr.slice(at + length));
}

function splicedIds(arr: Int32Array, at: number, length: number, items: Int32Array): Int32Array {
  const out = new Int32Array(arr.length - length + items.length);
  out.set(arr.subarray(0, at));
  out.set(items, at);
  out.set(arr.subarray(at + length), at + items.length);
  return out;
}

/** Every start of `pattern` in `text` (overlapping ones too); see LineDoc for the cost. */
function findAll(text: Int32Array, pattern: Int32Array): number[] {
  const m = pattern.length;
  const out: number[] = [];
  let budget = 4 * text.length + m;
  for (let at = text.indexOf(pattern[0]); at >= 0 && at + m <= text.length; at = text.indexOf(pattern[0], at + 1)) {
    let k = 1;
    while (k < m && text[at + k] === pattern[k]) k++;
    if (k === m) out.push(at);
    budget -= k;
    if (budget < 0) return out.concat(kmp(text, pattern, at + 1));
  }
  return out;
}

/** Every start of `pattern` in `text`, overlapping ones included. */
function kmp(text: Int32Array, pattern: Int32Array, from = 0): number[] {
  const m = pattern.length;
  const fail = new Int32Array(m);
  for (let i = 1, k = 0; i < m; i++) {
    while (k > 0 && pattern[i] !== pattern[k]) k = fail[k - 1];
    if (pattern[i] === pattern[k]) k++;
    fail[i] = k;
  }
  const out: number[] = [];
  for (let i = from, k = 0; i < text.length; i++) {
    while (k > 0 && text[i] !== pattern[k]) k = fail[k - 1];
    if (text[i] === pattern[k]) k++;
    if (k === m) {
      out.push(i - m + 1);
      k = fail[k - 1];
    }
  }
  return out;
}
