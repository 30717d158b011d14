import * as path from 'node:path';
import type { LineRange } from '../analysis/analysisTypes';
import type { Dependency } from '../task/editTask';
import { definitionSpan } from './definitions';
import { importsOf, loadedMembers, type ImportStatement } from './imports';
import { maskSource, sourceLanguageOf, type SourceLanguage } from './mask';
import { JsResolver } from './resolveJs';
import { PythonResolver } from './resolvePython';
import { enclosingBlock, shadowing } from './scope';
import { WorkspaceFs } from './workspaceFs';

export interface DependsOnInput {
  /** The workspace folder: only files inside it (and outside node_modules) count. */
  root: string;
  /** Absolute path of the file the selection is in. */
  file: string;
  text: string;
  range: LineRange;
  /** Shared between calls on the same workspace, so files read once are not read again. */
  fs?: WorkspaceFs;
}

/**
 * The names the selected lines use that are defined in other files of the workspace, by
 * file. Resolution starts from the selection's own imports and reads only the files they
 * lead to (following re-exports to the file that defines a name), never the workspace.
 */
export function dependsOn(input: DependsOnInput): Dependency[] {
  const lang = sourceLanguageOf(input.file);
  if (!lang) return [];
  const wfs = input.fs ?? new WorkspaceFs(path.resolve(input.root));
  const finder = new DefinitionFinder(wfs, lang);
  const masked = maskSource(input.text, lang);
  const imports = importsOf(masked.code, lang).filter((s) => !s.reexport);
  const used = usedNames(masked, input.range, imports, lang);
  const self = wfs.local(input.file);
  const byFile = new Map<string, string[]>();
  for (const u of used) {
    const hit = finder.find(u.specifier, u.imported, self, 0, u.member);
    if (!hit || hit.file === self) continue;
    const list = byFile.get(hit.file) ?? [];
    if (hit.symbol && !list.includes(hit.symbol)) list.push(hit.symbol);
    byFile.set(hit.file, list);
  }
  return [...byFile].map(([file, symbols]) => ({ file: path.relative(wfs.root, file).split(path.sep).join('/'), symbols }));
}

interface UsedName {
  specifier: string;
  /** The name in the other module (a member of a namespace import is looked up as itself). */
  imported: string;
  /** `name` of `binding.name`, for a name that turns out to be a module. */
  member?: string;
}

/**
 * Imported names the selection mentions, in order of first use: not where a local binding of
 * the same name hides the import, not as an object key or keyword argument, and not in the
 * import statements themselves (importing a name is not using it).
 */
function usedNames(source: { code: string; all: string }, range: LineRange, imports: ImportStatement[], lang: SourceLanguage): UsedName[] {
  const masked = source.all;
  // An import inside a function (`await import()`, a local `require`) binds only there.
  const bindings = new Map<string, Array<{ specifier: string; imported: string; scope: { start: number; end: number } }>>();
  for (const s of imports) {
    const scope = lang === 'js' ? enclosingBlock(masked, s.at) ?? { start: 0, end: masked.length } : { start: 0, end: masked.length };
    for (const n of s.names) bindings.set(n.local, [...(bindings.get(n.local) ?? []), { specifier: s.specifier, imported: n.imported, scope }]);
  }
  const bindingAt = (name: string, at: number) => bindings.get(name)?.filter((b) => at >= b.scope.start && at <= b.scope.end).sort((a, b) => b.scope.start - a.scope.start)[0];
  const { start, end } = selectionOffsets(masked, range);
  const sel = masked.slice(start, end);
  const uses: Array<{ at: number; use: UsedName }> = [];
  const seen = new Set<string>();
  const key = (specifier: string, imported: string, member?: string) => `${specifier}\0${imported}\0${member ?? ''}`;
  const add = (at: number, specifier: string, imported: string, member?: string) => {
    const k = key(specifier, imported, member);
    if (!seen.has(k)) {
      seen.add(k);
      uses.push({ at, use: { specifier, imported, member } });
    }
  };
  const shadowed = shadowing(masked, lang, imports);
  const inImport = (at: number) => imports.some((s) => at >= s.at && at < s.end);
  const ident = lang === 'python' ? /[A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_]\w*)*/g : /[A-Za-z_$][\w$]*(?:\s*\??\.\s*[A-Za-z_$][\w$]*)?/g;
  for (const m of sel.matchAll(ident)) {
    const at = start + m.index!;
    const before = masked.slice(Math.max(0, at - 3), at).trimEnd();
    if (before.endsWith('.') && !before.endsWith('...')) continue; // a property of something else, not a spread
    if (inImport(at) || isKey(masked, at, m[0], lang)) continue;
    const parts = m[0].split(/\s*\??\.\s*/);
    // A dotted module binding (`import a.b` binds `a.b`): the longest prefix that is bound.
    for (let k = parts.length; k >= 1; k--) {
      const b = bindingAt(parts.slice(0, k).join('.'), at);
      if (!b) continue;
      const [imported, member] = b.imported === '*' ? [parts[k] ? `*.${parts[k]}` : '*', undefined] : [b.imported, parts[k]];
      if (!seen.has(key(b.specifier, imported, member)) && !shadowed(at, parts[0])) add(at, b.specifier, imported, member);
      break;
    }
  }
  for (const l of loadedMembers(source.code.slice(start, end), lang)) if (!inImport(start + l.at)) add(start + l.at, l.specifier, `*.${l.member}`);
  return uses.sort((a, b) => a.at - b.at).map((u) => u.use);
}

/** `{ name: ... }` (an object key) or `f(name=...)` (a keyword argument): a name, not a use of a binding. */
function isKey(masked: string, at: number, word: string, lang: SourceLanguage): boolean {
  if (word.includes('.')) return false;
  const prev = masked.slice(Math.max(0, at - 20), at).trimEnd().slice(-1);
  const next = masked.slice(at + word.length, at + word.length + 3).trimStart();
  return lang === 'python' ? (prev === '(' || prev === ',') && /^=(?!=)/.test(next) : ((prev === '{' || prev === ',') && /^:(?!:)/.test(next)) || isMethodName(masked, at, word);
}

/** `describe(description) {` in a class or an object literal: the name of a method it defines, not a call. */
function isMethodName(masked: string, at: number, word: string): boolean {
  const lineStart = masked.lastIndexOf('\n', at - 1) + 1;
  if (!/^[ \t]*(?:(?:static|async|get|set|public|private|protected|override)\s+)*\*?\s*$/.test(masked.slice(lineStart, at))) return false;
  let i = at + word.length;
  while (masked[i] === ' ' || masked[i] === '\t') i++;
  if (masked[i] === '<') i = masked.indexOf('(', i);
  if (i < 0 || masked[i] !== '(') return false;
  for (let depth = 0; i < masked.length; i++) {
    if (masked[i] === '(') depth++;
    else if (masked[i] === ')' && --depth === 0) break;
  }
  return /^\s*(?::[^{};=]*)?\{/.test(masked.slice(i + 1, i + 300));
}

/** Offsets of the selected lines in the text. */
function selectionOffsets(text: string, r: LineRange): { start: number; end: number } {
  let start = 0;
  for (let l = 1; l < r.start && start >= 0; l++) start = text.indexOf('\n', start) + 1 || -1;
  if (start < 0) return { start: text.length, end: text.length };
  let end = start;
  for (let l = r.start; l <= r.end && end >= 0; l++) end = text.indexOf('\n', end) + 1 || -1;
  return { start, end: end < 0 ? text.length : end };
}

/** Finds the file that defines an imported name, following re-exports a few files deep. */
class DefinitionFinder {
  private readonly js: JsResolver;
  private readonly py: PythonResolver;
  private readonly masked = new Map<string, { code: string; all: string } | null>();

  constructor(private readonly fs: WorkspaceFs, private readonly lang: SourceLanguage) {
    this.js = new JsResolver(fs);
    this.py = new PythonResolver(fs);
  }

  /**
   * `imported` is a name, `default`, `*` (the module itself) or `*.name` (a member of a
   * namespace or module import). The symbol returned is the name as the defining file has it.
   */
  find(specifier: string, imported: string, fromFile: string, depth: number, member?: string): { file: string; symbol: string | null } | null {
    if (this.lang === 'python') return this.findPython(specifier, imported, fromFile, depth, member);
    const file = this.js.resolve(specifier, fromFile);
    if (!file) return null;
    if (imported === '*') {
      // A CommonJS module's whole export is its `module.exports = f`: using the module is using f.
      const cjs = this.maskedOf(file) && /^[ \t]*(?:exports[ \t]*=[ \t]*)?module\.exports[ \t]*=/m.test(this.maskedOf(file)!.all);
      return (cjs && this.definedIn(file, 'default', depth)) || { file, symbol: null };
    }
    const name = imported.startsWith('*.') ? imported.slice(2) : imported;
    return this.definedIn(file, name, depth, member) ?? { file, symbol: name };
  }

  private findPython(specifier: string, imported: string, fromFile: string, depth: number, member?: string): { file: string; symbol: string | null } | null {
    if (imported === '*' || imported.startsWith('*.')) {
      const file = this.py.resolveModule(specifier, fromFile);
      if (!file) return null;
      const name = imported.slice(2) || null;
      return name ? this.definedIn(file, name, depth) ?? { file, symbol: name } : { file, symbol: null };
    }
    const module = this.py.resolveModule(specifier, fromFile);
    if (module) {
      const hit = this.definedIn(module, imported, depth);
      if (hit) return hit;
    }
    // `from pkg import mod`: a submodule rather than a name the package defines.
    const sub = this.py.submodule(specifier, imported, fromFile);
    if (sub) return member ? this.definedIn(sub, member, depth + 1) ?? { file: sub, symbol: member } : { file: sub, symbol: null };
    return module ? { file: module, symbol: imported } : null;
  }

  /** The file defining `name`: this one, or one it re-exports the name from. */
  private definedIn(file: string, name: string, depth: number, member?: string): { file: string; symbol: string | null } | null {
    const m = this.maskedOf(file);
    if (!m) return null;
    if (name === 'default' && this.lang === 'js') {
      // `export default function f`, `export default f;`, `export { f as default }`: the file calls it f.
      const named = /^[ \t]*export[ \t]+default[ \t]+(?:(?:async[ \t]+)?function\s*\*?|(?:abstract[ \t]+)?class)[ \t]+([A-Za-z_$][\w$]*)/m.exec(m.all) ?? /^[ \t]*export[ \t]+default[ \t]+([A-Za-z_$][\w$]*)[ \t]*;?[ \t]*$/m.exec(m.all) ?? /\bexport\s*\{[^}]*?\b([A-Za-z_$][\w$]*)\s+as\s+default\b[^}]*\}(?!\s*from)/.exec(m.all) ?? /^[ \t]*(?:exports[ \t]*=[ \t]*)?module\.exports[ \t]*=[ \t]*([A-Za-z_$][\w$]*)[ \t]*;?[ \t]*$/m.exec(m.all);
      if (named && definitionSpan(m.all, this.lang, named[1])) return { file, symbol: named[1] };
      if (named && depth < 4) {
        const hit = this.definedIn(file, named[1], depth + 1);
        if (hit) return hit;
      }
    }
    if (definitionSpan(m.all, this.lang, name)) return { file, symbol: name };
    if (depth >= 4) return null;
    for (const s of importsOf(m.code, this.lang)) {
      for (const n of s.names) {
        if (n.local !== name) continue;
        // `export * as util from './util'` (or an imported namespace exported again): the
        // module itself, and of it the member the selection used.
        if (n.imported === '*') return this.find(s.specifier, member ? `*.${member}` : '*', file, depth + 1);
        return this.find(s.specifier, n.imported, file, depth + 1, member);
      }
      if (s.reexport && s.names.some((n) => n.local === '*' && n.imported === '*')) {
        const hit = this.find(s.specifier, name, file, depth + 1);
        if (hit && hit.symbol && this.maskedOf(hit.file) && definitionSpan(this.maskedOf(hit.file)!.all, this.lang, hit.symbol)) return hit;
      }
    }
    return null;
  }

  maskedOf(file: string): { code: string; all: string } | null {
    let m = this.masked.get(file);
    if (m === undefined) {
      const text = this.fs.read(file);
      m = text === null ? null : maskSource(text, this.lang);
      this.masked.set(file, m);
    }
    return m;
  }
}
