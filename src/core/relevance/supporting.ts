import type { Analysis, Hunk, SupportLink } from '../analysis/analysisTypes';
import { splitLines, type SplitText } from '../text/lines';
import { Code, definitionAt, isCallable, lineOfOffset, type Use } from './code';
import { sourceLanguageOf, type SourceLanguage } from '../locality/mask';

/** One file of an answer with its analysis, as runModels and check produce them. */
export interface TaskFile {
  file: string;
  role: 'target' | 'edit' | 'other';
  original: string;
  edited: string;
  analysis: Analysis;
}

/**
 * Turns out-of-scope hunks that the in-scope change needs into `supporting` ones, each with
 * the link that ties it to the change, found from the code (never from what the model said):
 *
 * - an import whose newly bound names the in-scope (or other supporting) hunks use;
 * - a new definition outside the selection that those hunks use;
 * - a use of a symbol whose name or signature the in-scope change changed, in the same file
 *   or another file the model may change;
 * - in a multi-file task, a test in an editable file that uses a symbol the change touched.
 *
 * Everything else stays out. A file the model may not change (`other`) is never supporting.
 * Mutates the analyses (scope, reason, link, outOfScopeHunks).
 */
export function markSupporting(files: readonly TaskFile[]): void {
  const sides = files.filter((f) => f.role !== 'other' && sourceLanguageOf(f.file)).map(sideOf);
  // Every link starts from an in-scope change: without one (or with nothing out) no file is read as code.
  if (!sides.some((s) => s.candidates.length) || !sides.some((s) => s.f.analysis.hunks.some((h) => h.scope === 'in' && !h.whitespaceOnly))) return;
  // Which names the change's headers touch is read from the raw lines; the masked comparison
  // of their signatures is made only once a hunk outside mentions one of them.
  const touched = touchedNames(sides);
  let changed: Map<string, Changed> | undefined;
  const changedNow = () => (changed ??= touched.size ? changedSymbols(sides, touched) : new Map());
  let exercised: Set<string> | undefined;
  const multiFile = files.some((f) => f.role === 'edit');
  for (let progress = true; progress; ) {
    progress = false;
    for (const s of sides) {
      for (const h of s.candidates) {
        if (h.scope !== 'out' || h.originalLines + h.editedLines > MAX_SUPPORTING_LINES) continue;
        const tests = multiFile && s.f.role === 'edit' && isTestFile(s.f.file);
        const link = importLink(s, h) ?? definitionLink(s, h) ?? referenceLink(s, h, touched, changedNow) ?? (tests ? testLink(s, h, (exercised ??= exercisedSymbols(sides, changedNow()))) : null);
        if (!link) continue;
        h.scope = 'supporting';
        h.link = { kind: link.kind, names: link.names };
        h.reason = link.kind === 'test' ? 'test' : `${where(h)}; supports the change: ${link.why}`;
        s.used = undefined;
        progress = true;
      }
    }
  }
  for (const s of sides) {
    blankLinesOfNewDefinitions(s);
    s.f.analysis.outOfScopeHunks = s.f.analysis.hunks.filter((h) => h.scope === 'out').length;
  }
}

/**
 * Blank lines added or removed right beside a supporting new definition are its spacing (two
 * blank lines around a Python function): the diff may place one of them apart, among the
 * blank lines that were there, as a hunk of its own.
 */
function blankLinesOfNewDefinitions(s: Side): void {
  const hunks = s.f.analysis.hunks;
  const defs = hunks.filter((h) => h.link?.kind === 'definition');
  if (!defs.length) return;
  const blank = (t: SplitText, from: number, to: number) => !anyLine(t, [from, to], (l) => l.trim() !== '');
  for (const h of hunks) {
    if (h.scope !== 'out' || !h.whitespaceOnly || !blank(s.rawEdit, ...editedSpan(h)) || !blank(s.rawOrig, ...originalSpan(h))) continue;
    const [b0, b1] = editedSpan(h);
    const beside = defs.find((d) => {
      const [d0, d1] = editedSpan(d);
      return (d1 <= b0 && b0 - d1 <= 2 && blank(s.rawEdit, d1, b0)) || (b1 <= d0 && d0 - b1 <= 2 && blank(s.rawEdit, b1, d0));
    });
    if (!beside) continue;
    h.scope = 'supporting';
    h.link = { kind: 'definition', names: beside.link!.names };
    h.reason = `${where(h)}; supports the change: the blank lines around ${beside.link!.names.join(', ')}, which it defines`;
  }
}

/** A hunk this large is a rewrite of its own, not an import, a helper or a call site another change needs. */
const MAX_SUPPORTING_LINES = 400;

interface Side {
  f: TaskFile;
  /** Each side read as code (masked, with its imports), made on first need: most hunks are turned down on their raw text first. */
  orig: Code;
  edit: Code;
  /** The raw lines, for the cheap checks that come first. */
  rawOrig: SplitText;
  rawEdit: SplitText;
  /** Out-of-scope hunks that change code (not whitespace, not a move). */
  candidates: Hunk[];
  /** Bare names (not shadowed) and member names the in-scope and supporting hunks use, with the first edited line of each; recomputed as hunks turn supporting. */
  used: { bare: Map<string, number>; member: Map<string, number> } | undefined;
}

function sideOf(f: TaskFile): Side {
  const lang = sourceLanguageOf(f.file)!;
  const candidates = f.analysis.hunks.filter((h) => h.scope === 'out' && !h.whitespaceOnly && !h.moved);
  let orig: Code | undefined;
  let edit: Code | undefined;
  let rawOrig: SplitText | undefined;
  let rawEdit: SplitText | undefined;
  return {
    f,
    // Masking reads forward only, so the text up to the last line a link may look at reads the
    // same as the whole file there: a 50,000-line file rewritten after a small change near its
    // top is not masked to its end.
    get orig() {
      return (orig ??= new Code(prefix(f.original, this.rawOrig, reach(f.analysis.hunks, originalSpan)), lang));
    },
    get edit() {
      return (edit ??= new Code(prefix(f.edited, this.rawEdit, reach(f.analysis.hunks, editedSpan)), lang));
    },
    get rawOrig() {
      return (rawOrig ??= splitLines(f.original));
    },
    get rawEdit() {
      return (rawEdit ??= splitLines(f.edited));
    },
    candidates,
    used: undefined,
  };
}

/** Lines past the hunks a link may start from that a definition or a scope read from them may reach. */
const READ_PAST = 400;

/** The line after which nothing a link reads can lie: past the last hunk that may be in scope or supporting. */
function reach(hunks: readonly Hunk[], span: (h: Hunk) => [number, number]): number {
  let last = 0;
  for (const h of hunks) if (h.scope !== 'out' || h.originalLines + h.editedLines <= MAX_SUPPORTING_LINES) last = Math.max(last, span(h)[1]);
  return last + READ_PAST;
}

function prefix(text: string, raw: SplitText, lines: number): string {
  return lines >= raw.count ? text : text.slice(0, raw.starts[lines]);
}

/** The file defines `name` somewhere, read from its raw lines (the masked prefix may stop short of it). */
function rawDefines(raw: SplitText, lang: SourceLanguage, name: string): boolean {
  const text = raw.text;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    const l = lineOfOffset(raw.starts, raw.count, at);
    if (definitionAt(raw.line(l), lang)?.name === name || new RegExp(`^\\s+${name}\\s*(?::[^=]*)?=(?!=)`).test(raw.line(l))) return true;
  }
  return false;
}

/** Whether any raw line of [from, to) passes the test. */
function anyLine(t: SplitText, [from, to]: [number, number], test: (line: string) => boolean): boolean {
  for (let l = from; l < Math.min(to, t.count); l++) if (test(t.line(l))) return true;
  return false;
}

const COMMENT_OR_BLANK = /^\s*(?:$|#|\/\/|\/\*|\*)/;

const editedSpan = (h: Hunk): [number, number] => [h.editedStart - 1, h.editedStart - 1 + h.editedLines];
const originalSpan = (h: Hunk): [number, number] => [h.originalStart - 1, h.originalStart - 1 + h.originalLines];

/** What the change needs in this file: the names used by its in-scope and supporting hunks. */
function usedBy(s: Side): NonNullable<Side['used']> {
  if (s.used) return s.used;
  const bare = new Map<string, number>();
  const member = new Map<string, number>();
  for (const h of s.f.analysis.hunks) {
    if (h.scope === 'out' || h.editedLines === 0) continue;
    for (const u of s.edit.uses(...editedSpan(h))) {
      const into = u.member === null ? bare : member;
      if (into.has(u.name)) continue;
      if (u.member === null && s.edit.shadowed(u.at, u.name)) continue;
      into.set(u.name, u.line + 1);
    }
  }
  return (s.used = { bare, member });
}

interface Link {
  kind: SupportLink;
  names: string[];
  why: string;
}

/** Code lines (not blank, comment or string only) of lines [from, to). */
function codeLines(c: Code, [from, to]: [number, number]): number[] {
  const out: number[] = [];
  for (let l = from; l < to; l++) if (!c.isBlankCode(l)) out.push(l);
  return out;
}

/** An added or changed import whose newly bound names the change uses; an import nothing uses stays out. */
function importLink(s: Side, h: Hunk): Link | null {
  // The keyword may stand a few lines up, on the first line of a list the hunk continues.
  const [from, to] = editedSpan(h);
  if (h.editedLines === 0 || !anyLine(s.rawEdit, [Math.max(0, from - IMPORT_LIST_REACH), to], (l) => /\b(?:import|require|from)\b/.test(l))) return null;
  const added = s.edit.importsIn(...editedSpan(h));
  if (!added.names.length || codeLines(s.edit, editedSpan(h)).some((l) => !added.lines.has(l))) return null;
  if (h.originalLines) {
    const removed = s.orig.importsIn(...originalSpan(h));
    if (codeLines(s.orig, originalSpan(h)).some((l) => !removed.lines.has(l))) return null;
  }
  const had = s.orig.importedNames();
  const { bare } = usedBy(s);
  // An import inside a function binds its names there only (Python): a use elsewhere is another name.
  const within = localScope(s.edit, from);
  const usedAt = (n: string) => {
    const line = bare.get(n.split('.')[0]);
    return line !== undefined && (!within || (line - 1 >= within[0] && line - 1 <= within[1])) ? line : undefined;
  };
  // `import a.b` binds `a`, the name code then uses.
  const needed = added.names.filter((n) => !had.has(n) && usedAt(n) !== undefined);
  if (!needed.length) return null;
  const line = Math.min(...needed.map((n) => usedAt(n)!));
  return { kind: 'import', names: needed, why: `imports ${needed.join(', ')}, which the change uses (line ${line})` };
}

/** How far above a hunk the first line of an import list it continues may stand. */
const IMPORT_LIST_REACH = 20;

/**
 * The lines (0-based, inclusive) of the Python function an indented line lies in, or null at
 * module level (or in a class body, which does not make a scope its methods see).
 */
function localScope(c: Code, line: number): [number, number] | null {
  if (c.lang !== 'python') return null;
  let indent = /^[ \t]*/.exec(c.lines[line] ?? '')![0].length;
  for (let l = line - 1; l >= 0 && indent > 0; l--) {
    const t = c.lines[l];
    const lead = /^[ \t]*/.exec(t)![0].length;
    if (!t.trim() || lead >= indent) continue;
    indent = lead;
    if (/^\s*(?:async\s+)?def\b/.test(t)) {
      const d = c.definitionsIn(l, l + 1)[0];
      return d ? [d.line, d.end] : null;
    }
  }
  return null;
}

/** A new definition outside the selection that the change uses: the hunk adds nothing but definitions (and their comments and decorators). */
function definitionLink(s: Side, h: Hunk): Link | null {
  if (h.editedLines === 0 || anyLine(s.rawOrig, originalSpan(h), (l) => !COMMENT_OR_BLANK.test(l))) return null;
  const lang = sourceLanguageOf(s.f.file)!;
  const opensDefinition = (l: string) => definitionAt(l, lang) !== null || (lang === 'python' && /^\s+[A-Za-z_]\w*\s*(?::[^=]*)?=(?!=)/.test(l));
  if (!anyLine(s.rawEdit, editedSpan(h), opensDefinition)) return null;
  if (codeLines(s.orig, originalSpan(h)).length) return null;
  const [from, to] = editedSpan(h);
  const defs = s.edit.definitionsIn(from, to).filter((d) => d.end < to);
  if (!defs.length) return null;
  const covered = (l: number) => defs.some((d) => l >= d.line && l <= d.end) || /^\s*@/.test(s.edit.lines[l]);
  if (codeLines(s.edit, [from, to]).some((l) => !covered(l))) return null;
  const { bare, member } = usedBy(s);
  const needed = defs.filter((d) => (bare.has(d.name) || (d.nested && member.has(d.name))) && !rawDefines(s.rawOrig, lang, d.name)).map((d) => d.name);
  if (!needed.length) return null;
  const line = Math.min(...needed.map((n) => bare.get(n) ?? member.get(n)!));
  return { kind: 'definition', names: needed, why: `defines ${needed.join(', ')}, which the change uses (line ${line})` };
}

/** A symbol whose name or signature the in-scope change changed, and the file that defines it. */
interface Changed {
  name: string;
  file: string;
  nested: boolean;
  /** The in-scope edited line of the change, for the reason. */
  line: number;
}

/**
 * Callables whose header the in-scope change touched and that read differently afterwards:
 * a new signature, or a name one side has and the other not (a rename gives both names).
 */
function changedSymbols(sides: readonly Side[], touched: Set<string>): Map<string, Changed> {
  const out = new Map<string, Changed>();
  forEachTouchedHeader(sides, (s, h, raw, l, name, lang) => {
    if (out.has(name) || !touched.has(name)) return;
    const before = signatures(s.rawOrig, lang, name);
    const after = signatures(s.rawEdit, lang, name);
    if (before !== null && after !== null && before !== after) out.set(name, { name, file: s.f.file, nested: /^\s/.test(raw.line(l)), line: h.editedStart });
  });
  return out;
}

/**
 * The headers of every callable `name` defines in the file, whitespace removed, sorted and
 * joined: two sides that differ changed a signature, or one side lacks the name (a rename).
 * Null when a definition of that name is not callable (a class or a constant).
 */
function signatures(raw: SplitText, lang: SourceLanguage, name: string): string | null {
  const texts: string[] = [];
  const text = raw.text;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    const l = lineOfOffset(raw.starts, raw.count, at);
    const d = definitionAt(raw.line(l), lang);
    if (!d || d.name !== name) continue;
    if (!isCallable(d.kind, raw.line(l))) return null;
    const end = rawHeaderEnd(raw, l);
    texts.push(raw.slice(l, end + 1).join('').replace(/\s+/g, ''));
    at = raw.ends[l];
  }
  return texts.sort().join('\n');
}

/**
 * The names of definitions whose header (from its first line to where the brackets opened
 * there close) overlaps an in-scope change, read from the raw lines: a superset of what
 * changedSymbols finds, for the cheap checks.
 */
function touchedNames(sides: readonly Side[]): Set<string> {
  const out = new Set<string>();
  forEachTouchedHeader(sides, (_s, _h, _raw, _l, name) => out.add(name));
  return out;
}

/** Each definition (raw line l of one side) whose header overlaps an in-scope change. */
function forEachTouchedHeader(sides: readonly Side[], visit: (s: Side, h: Hunk, raw: SplitText, l: number, name: string, lang: SourceLanguage) => void): void {
  for (const s of sides) {
    const lang = sourceLanguageOf(s.f.file)!;
    for (const h of s.f.analysis.hunks) {
      if (h.scope !== 'in' || h.whitespaceOnly) continue;
      for (const [raw, span] of [[s.rawOrig, originalSpan(h)], [s.rawEdit, editedSpan(h)]] as const) {
        if (span[0] === span[1]) continue;
        for (let l = Math.max(0, span[0] - HEADER_REACH); l < Math.min(span[1], raw.count); l++) {
          const d = definitionAt(raw.line(l), lang);
          if (d && rawHeaderEnd(raw, l) >= span[0]) visit(s, h, raw, l, d.name, lang);
        }
      }
    }
  }
}

/** How many lines above a change a definition's header may start and still reach it (a long signature, one parameter a line). */
const HEADER_REACH = 40;

function rawHeaderEnd(raw: SplitText, l: number): number {
  let depth = 0;
  for (let k = l; k < raw.count && k < l + HEADER_REACH; k++) {
    for (const c of raw.line(k)) depth += c === '(' || c === '[' ? 1 : c === ')' || c === ']' ? -1 : 0;
    if (depth <= 0) return k;
  }
  return l + HEADER_REACH;
}

/** What a test may exercise: the changed symbols and the definitions the in-scope hunks lie in. */
function exercisedSymbols(sides: readonly Side[], changed: Map<string, Changed>): Set<string> {
  const out = new Set(changed.keys());
  for (const s of sides) {
    for (const h of s.f.analysis.hunks) {
      if (h.scope !== 'in' || h.whitespaceOnly || h.editedLines === 0) continue;
      // The definitions around the change, innermost first: each line above it that is less
      // indented than everything between encloses it.
      const first = h.editedStart - 1;
      const own = definitionAt(s.edit.lines[first] ?? '', s.edit.lang);
      if (own) out.add(own.name);
      let indent = /^[ \t]*/.exec(s.edit.lines[first] ?? '')![0].length;
      for (let l = first - 1; l >= 0 && indent > 0; l--) {
        const line = s.edit.lines[l];
        const lead = /^[ \t]*/.exec(line)![0].length;
        if (!line.trim() || lead >= indent) continue;
        indent = lead;
        const d = definitionAt(line, s.edit.lang);
        if (d) out.add(d.name);
      }
    }
  }
  return out;
}

/**
 * A hunk that updates uses of a changed symbol: each of its code lines, on both sides, is a
 * use or lies in the brackets a use opened (a call's arguments over several lines). In
 * another file a bare name must come from an import, and a member must be a method's.
 */
function referenceLink(s: Side, h: Hunk, touched: Set<string>, changedNow: () => Map<string, Changed>): Link | null {
  if (!touched.size) return null;
  const mentions = (l: string) => [...touched].some((n) => l.includes(n));
  if (!anyLine(s.rawEdit, editedSpan(h), mentions) && !anyLine(s.rawOrig, originalSpan(h), mentions)) return null;
  const changed = changedNow();
  if (!changed.size) return null;
  const names = new Set<string>();
  const sideCovered = (code: Code, span: [number, number]) => {
    const lines = codeLines(code, span);
    if (!lines.length) return true;
    const imported = code.importedNames();
    const isRef = (u: Use) => {
      const c = changed.get(u.name);
      if (!c) return false;
      if (definitionAt(code.lines[u.line], code.lang)?.name === u.name) return false;
      if (c.file === s.f.file) return u.member === null ? !code.shadowed(u.at, u.name) : c.nested || isModuleMember(code, u);
      return u.member === null ? imported.has(u.name) : c.nested || isModuleMember(code, u);
    };
    let depth = 0;
    for (const l of lines) {
      const refs = code.uses(l, l + 1).filter(isRef);
      for (const r of refs) names.add(r.name);
      if (!refs.length && depth <= 0) return false;
      for (const ch of code.lines[l]) depth += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
      if (depth < 0) depth = 0;
    }
    return true;
  };
  if (!sideCovered(s.edit, editedSpan(h)) || !sideCovered(s.orig, originalSpan(h)) || !names.size) return null;
  const list = [...names];
  const c = changed.get(list[0])!;
  const there = c.file === s.f.file ? `line ${c.line}` : `${c.file}:${c.line}`;
  return { kind: 'reference', names: list, why: `updates ${list.length === 1 ? 'a use' : 'uses'} of ${list.join(', ')}, whose name or signature the change changed (${there})` };
}

/** `mod.name` where `mod` is a module the file imports. */
function isModuleMember(code: Code, u: Use): boolean {
  return !!u.member && code.importedNames().has(u.member);
}

const TEST_FILE = /(?:^|\/)(?:tests?|__tests__|spec)\/|(?:^|\/)test_[^/]*\.py$|_test\.py$|\.(?:test|spec)\.[cm]?[jt]sx?$/;

function isTestFile(file: string): boolean {
  return TEST_FILE.test(file.replace(/\\/g, '/'));
}

/** A test hunk that uses a symbol the in-scope change touched. */
function testLink(s: Side, h: Hunk, exercised: Set<string>): Link | null {
  if (h.editedLines === 0 || !anyLine(s.rawEdit, editedSpan(h), (l) => [...exercised].some((n) => l.includes(n)))) return null;
  const names = [...new Set(s.edit.uses(...editedSpan(h)).filter((u) => exercised.has(u.name)).map((u) => u.name))];
  return names.length ? { kind: 'test', names, why: 'test' } : null;
}

/** The hunk's place from its reason ("changes lines 3-4"), without the words that called it out of scope. */
function where(h: Hunk): string {
  return h.reason.replace(/, outside the selection \([^)]*\)$/, '');
}
