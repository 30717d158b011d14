import type { Analysis, Hunk, SupportLink } from '../analysis/analysisTypes';
import { sourceLanguageOf } from '../locality/dependsOn';
import { Code, type Header, type Use } from './code';

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
  if (!sides.some((s) => s.candidates.length)) return;
  const changed = changedSymbols(sides);
  const exercised = exercisedSymbols(sides, changed);
  const multiFile = files.some((f) => f.role === 'edit');
  for (let progress = true; progress; ) {
    progress = false;
    for (const s of sides) {
      for (const h of s.candidates) {
        if (h.scope !== 'out') continue;
        const link = importLink(s, h) ?? definitionLink(s, h) ?? referenceLink(s, h, changed) ?? (multiFile && s.f.role === 'edit' && isTestFile(s.f.file) ? testLink(s, h, exercised) : null);
        if (!link) continue;
        h.scope = 'supporting';
        h.link = { kind: link.kind, names: link.names };
        h.reason = link.kind === 'test' ? 'test' : `${where(h)}; supports the change: ${link.why}`;
        s.used = undefined;
        progress = true;
      }
    }
  }
  for (const s of sides) s.f.analysis.outOfScopeHunks = s.f.analysis.hunks.filter((h) => h.scope === 'out').length;
}

interface Side {
  f: TaskFile;
  orig: Code;
  edit: Code;
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
  return {
    f,
    get orig() {
      return (orig ??= new Code(f.original, lang));
    },
    get edit() {
      return (edit ??= new Code(f.edited, lang));
    },
    candidates,
    used: undefined,
  };
}

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
  if (h.editedLines === 0) return null;
  const added = s.edit.importsIn(...editedSpan(h));
  if (!added.names.length || codeLines(s.edit, editedSpan(h)).some((l) => !added.lines.has(l))) return null;
  if (h.originalLines) {
    const removed = s.orig.importsIn(...originalSpan(h));
    if (codeLines(s.orig, originalSpan(h)).some((l) => !removed.lines.has(l))) return null;
  }
  const had = s.orig.importedNames();
  const { bare } = usedBy(s);
  // `import a.b` binds `a`, the name code then uses.
  const needed = added.names.filter((n) => !had.has(n) && bare.has(n.split('.')[0]));
  if (!needed.length) return null;
  const line = Math.min(...needed.map((n) => bare.get(n.split('.')[0])!));
  return { kind: 'import', names: needed, why: `imports ${needed.join(', ')}, which the change uses (line ${line})` };
}

/** A new definition outside the selection that the change uses: the hunk adds nothing but definitions (and their comments and decorators). */
function definitionLink(s: Side, h: Hunk): Link | null {
  if (h.editedLines === 0 || codeLines(s.orig, originalSpan(h)).length) return null;
  const [from, to] = editedSpan(h);
  const defs = s.edit.headers().filter((d) => d.line >= from && d.line < to && d.end < to);
  if (!defs.length) return null;
  const covered = (l: number) => defs.some((d) => l >= d.line && l <= d.end) || /^\s*@/.test(s.edit.lines[l]);
  if (codeLines(s.edit, [from, to]).some((l) => !covered(l))) return null;
  const existing = new Set(s.orig.headers().map((d) => d.name));
  const { bare, member } = usedBy(s);
  const needed = defs.filter((d) => !existing.has(d.name) && (bare.has(d.name) || (d.nested && member.has(d.name)))).map((d) => d.name);
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
function changedSymbols(sides: readonly Side[]): Map<string, Changed> {
  const out = new Map<string, Changed>();
  for (const s of sides) {
    const inScope = s.f.analysis.hunks.filter((h) => h.scope === 'in' && !h.whitespaceOnly);
    if (!inScope.length || !s.candidates.length && !sides.some((o) => o !== s && o.candidates.length)) continue;
    const touches = (d: Header, span: (h: Hunk) => [number, number]) => inScope.find((h) => overlaps(span(h), [d.line, d.headerEnd + 1]));
    const before = new Map<string, Set<string>>();
    const after = new Map<string, Set<string>>();
    const touched = new Map<string, { d: Header; h: Hunk }>();
    for (const [code, span, into] of [[s.orig, originalSpan, before], [s.edit, editedSpan, after]] as const) {
      for (const d of code.headers()) {
        if (!d.callable) continue;
        into.set(d.name, (into.get(d.name) ?? new Set()).add(d.text));
        const h = touches(d, span);
        if (h && !touched.has(d.name)) touched.set(d.name, { d, h });
      }
    }
    for (const [name, { d, h }] of touched) {
      const a = [...(before.get(name) ?? [])].sort().join('\n');
      const b = [...(after.get(name) ?? [])].sort().join('\n');
      if (a !== b) out.set(name, { name, file: s.f.file, nested: d.nested, line: h.editedStart });
    }
  }
  return out;
}

/** What a test may exercise: the changed symbols and the definitions the in-scope hunks lie in. */
function exercisedSymbols(sides: readonly Side[], changed: Map<string, Changed>): Set<string> {
  const out = new Set(changed.keys());
  for (const s of sides) {
    const inScope = s.f.analysis.hunks.filter((h) => h.scope === 'in' && !h.whitespaceOnly);
    if (!inScope.length) continue;
    for (const d of s.edit.headers()) if (inScope.some((h) => h.editedLines > 0 && overlaps(editedSpan(h), [d.line, d.end + 1]))) out.add(d.name);
  }
  return out;
}

/**
 * A hunk that updates uses of a changed symbol: each of its code lines, on both sides, is a
 * use or lies in the brackets a use opened (a call's arguments over several lines). In
 * another file a bare name must come from an import, and a member must be a method's.
 */
function referenceLink(s: Side, h: Hunk, changed: Map<string, Changed>): Link | null {
  if (!changed.size) return null;
  const names = new Set<string>();
  const sideCovered = (code: Code, span: [number, number]) => {
    const lines = codeLines(code, span);
    if (!lines.length) return true;
    const imported = code.importedNames();
    const isRef = (u: Use) => {
      const c = changed.get(u.name);
      if (!c) return false;
      if (code.headers().some((d) => d.line === u.line && d.name === u.name)) return false;
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
  if (h.editedLines === 0) return null;
  const names = [...new Set(s.edit.uses(...editedSpan(h)).filter((u) => exercised.has(u.name)).map((u) => u.name))];
  return names.length ? { kind: 'test', names, why: 'test' } : null;
}

const overlaps = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];

/** The hunk's place from its reason ("changes lines 3-4"), without the words that called it out of scope. */
function where(h: Hunk): string {
  return h.reason.replace(/, outside the selection \([^)]*\)$/, '');
}
