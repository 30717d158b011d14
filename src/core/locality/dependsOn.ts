import * as path from 'node:path';
import { languageOf } from '../analysis/language';
import type { LineRange } from '../analysis/analysisTypes';
import type { Dependency } from '../task/editTask';
import { definitionSpan } from './definitions';
import { importsOf, type ImportStatement } from './imports';
import { maskSource, type SourceLanguage } from './mask';
import { JsResolver } from './resolveJs';
import { PythonResolver } from './resolvePython';
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

export function sourceLanguageOf(file: string): SourceLanguage | null {
  const l = languageOf(file);
  return l === 'python' ? 'python' : l === 'typescript' || l === 'javascript' ? 'js' : null;
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
  const used = usedNames(masked.all, input.range, imports, lang);
  const self = path.resolve(input.file);
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

/** Imported names the selection mentions, in order of first use. */
function usedNames(masked: string, range: LineRange, imports: ImportStatement[], lang: SourceLanguage): UsedName[] {
  const bindings = new Map<string, { specifier: string; imported: string }>();
  for (const s of imports) for (const n of s.names) bindings.set(n.local, { specifier: s.specifier, imported: n.imported });
  const sel = linesOf(masked, range);
  const out: UsedName[] = [];
  const seen = new Set<string>();
  const add = (specifier: string, imported: string, member?: string) => {
    const k = `${specifier}\0${imported}\0${member ?? ''}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push({ specifier, imported, member });
    }
  };
  const ident = lang === 'python' ? /[A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_]\w*)*/g : /[A-Za-z_$][\w$]*(?:\s*\??\.\s*[A-Za-z_$][\w$]*)?/g;
  for (const m of sel.matchAll(ident)) {
    const before = sel.slice(Math.max(0, m.index! - 2), m.index!).trimEnd();
    if (before.endsWith('.')) continue; // a property of something else
    const parts = m[0].split(/\s*\??\.\s*/);
    // A dotted module binding (`import a.b` binds `a.b`): the longest prefix that is bound.
    for (let k = parts.length; k >= 1; k--) {
      const b = bindings.get(parts.slice(0, k).join('.'));
      if (!b) continue;
      if (b.imported === '*') add(b.specifier, parts[k] ? `*.${parts[k]}` : '*');
      else add(b.specifier, b.imported, parts[k]);
      break;
    }
  }
  return out;
}

function linesOf(text: string, r: LineRange): string {
  let start = 0;
  for (let l = 1; l < r.start && start >= 0; l++) start = text.indexOf('\n', start) + 1 || -1;
  if (start < 0) return '';
  let end = start;
  for (let l = r.start; l <= r.end && end >= 0; l++) end = text.indexOf('\n', end) + 1 || -1;
  return text.slice(start, end < 0 ? text.length : end);
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
    if (imported === '*') return { file, symbol: null };
    const name = imported.startsWith('*.') ? imported.slice(2) : imported;
    return this.definedIn(file, name, depth) ?? { file, symbol: name };
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
    if (sub) return { file: sub, symbol: member ?? null };
    return module ? { file: module, symbol: imported } : null;
  }

  /** The file defining `name`: this one, or one it re-exports the name from. */
  private definedIn(file: string, name: string, depth: number): { file: string; symbol: string } | null {
    const m = this.maskedOf(file);
    if (!m) return null;
    if (definitionSpan(m.all, this.lang, name)) return { file, symbol: name };
    if (depth >= 4) return null;
    for (const s of importsOf(m.code, this.lang)) {
      for (const n of s.names) {
        if (n.local === name && n.imported !== '*') return this.find(s.specifier, n.imported, file, depth + 1) as { file: string; symbol: string } | null;
      }
      if (s.reexport && s.names.some((n) => n.local === '*' && n.imported === '*')) {
        const hit = this.find(s.specifier, name, file, depth + 1);
        if (hit && hit.symbol && this.maskedOf(hit.file) && definitionSpan(this.maskedOf(hit.file)!.all, this.lang, hit.symbol)) return hit as { file: string; symbol: string };
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
