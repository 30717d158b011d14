import { TextMemo } from './memo';
import type { SourceLanguage } from './mask';

/** One name an import brings into a file. */
export interface ImportedName {
  /** The name the importing file uses. */
  local: string;
  /** The name the other module exports: `default`, `*` for a namespace or module object, or the name. */
  imported: string;
}

export interface ImportStatement {
  /** As written: `./util`, `@app/core`, `..models`, `pkg.sub`. */
  specifier: string;
  names: ImportedName[];
  /** `export ... from`: the names are re-exported, not used. */
  reexport: boolean;
  /** Offsets of the statement in the text: its names there are bindings, not uses. */
  at: number;
  end: number;
}

const IDENT = '[A-Za-z_$][\\w$]*';
const TS_IMPORT = new RegExp(`\\bimport\\s+(?:type\\s+)?([^;'"\`]*?)\\s*\\bfrom\\s*(['"])([^'"\\n]+)\\2`, 'g');
const TS_REEXPORT = new RegExp(`\\bexport\\s+(?:type\\s+)?(\\*(?:\\s+as\\s+${IDENT})?|\\{[^}]*\\})\\s*from\\s*(['"])([^'"\\n]+)\\2`, 'g');
/** `const x = require('m')`, `const { a } = await import('m')`, `const f = require('m').f`. */
const TS_REQUIRE = new RegExp(`\\b(?:const|let|var)\\s+(\\{[^}]*\\}|${IDENT})\\s*=\\s*(?:await\\s+)?(?:require|import)\\(\\s*(['"])([^'"\\n]+)\\2\\s*\\)(?:\\s*\\.\\s*(${IDENT}))?(?!\\s*[.(\\[])`, 'g');
/** `import('m').then((mod) => ...)`, `.then(({ a }) => ...)`: the callback's parameter is the module. */
const TS_IMPORT_THEN = new RegExp(`\\bimport\\(\\s*(['"])([^'"\\n]+)\\1\\s*\\)\\s*\\.then\\(\\s*(?:async\\s+)?(?:\\(\\s*(\\{[^}]*\\}|${IDENT})\\s*[,)]|(${IDENT})\\s*=>)`, 'g');
/** `require('m').f` and `(await import('m')).f`: a member of a module used where it is loaded. */
const TS_LOADED_MEMBER = new RegExp(`\\b(?:require|import)\\(\\s*(['"])([^'"\\n]+)\\1\\s*\\)\\s*\\)?\\s*\\.\\s*(${IDENT})`, 'g');
/** `const x = (await import('m')).default`, `const { a } = (await import('m'))`. */
const TS_AWAIT_IMPORT = new RegExp(`\\b(?:const|let|var)\\s+(\\{[^}]*\\}|${IDENT})\\s*=\\s*\\(\\s*await\\s+import\\(\\s*(['"])([^'"\\n]+)\\2\\s*\\)\\s*\\)(?:\\s*\\.\\s*(${IDENT}))?(?!\\s*[.(\\[])`, 'g');
/** `const now = utils.now`, `const { a, b: c } = utils`, `const f = g`: another name for what an import brought. */
const TS_ALIAS = new RegExp(`\\b(?:const|let|var)\\s+(\\{[^}]*\\}|${IDENT})\\s*=\\s*(${IDENT})(?:\\s*\\.\\s*(${IDENT}))?\\s*(?:;|\\n|$)`, 'g');
const TS_IMPORT_EQUALS = new RegExp(`\\bimport\\s+(${IDENT})\\s*=\\s*require\\(\\s*(['"])([^'"\\n]+)\\2\\s*\\)`, 'g');

/** The import statements of a file whose comments are masked out (see maskSource). */
export function importsOf(masked: string, lang: SourceLanguage): ImportStatement[] {
  // Asked again for each name a re-exporting module is searched for: read once per text.
  return lang === 'python' ? pyImportMemo.get(masked, pythonImports) : jsImportMemo.get(masked, jsImports);
}

const jsImportMemo = new TextMemo<ImportStatement[]>(32);
const pyImportMemo = new TextMemo<ImportStatement[]>(32);

function jsImports(text: string): ImportStatement[] {
  const out: ImportStatement[] = [];
  const push = (m: RegExpMatchArray, specifier: string, names: ImportedName[], reexport = false) => out.push({ specifier, names, reexport, at: m.index!, end: m.index! + m[0].length });
  for (const m of text.matchAll(TS_IMPORT)) push(m, m[3], importClause(m[1]));
  for (const m of text.matchAll(TS_IMPORT_EQUALS)) push(m, m[3], [{ local: m[1], imported: '*' }]);
  for (const m of text.matchAll(TS_REQUIRE)) {
    const member = m[4];
    const names = m[1].startsWith('{') ? (member ? [] : braceList(m[1], ':')) : [{ local: m[1], imported: member ?? '*' }];
    push(m, m[3], names);
  }
  for (const m of text.matchAll(TS_AWAIT_IMPORT)) {
    const member = m[4];
    push(m, m[3], m[1].startsWith('{') ? (member ? [] : braceList(m[1], ':')) : [{ local: m[1], imported: member ?? '*' }]);
  }
  for (const m of text.matchAll(TS_IMPORT_THEN)) {
    const param = m[3] ?? m[4];
    push(m, m[2], param.startsWith('{') ? braceList(param, ':') : [{ local: param, imported: '*' }]);
  }
  for (const m of text.matchAll(TS_REEXPORT)) {
    const clause = m[1];
    const names = clause.startsWith('{') ? braceList(clause, 'as').map((x) => ({ local: x.local, imported: x.imported })) : [{ local: /as\s+(\S+)/.exec(clause)?.[1] ?? '*', imported: '*' }];
    push(m, m[3], names, true);
  }
  return [...out, ...aliasesOf(text, out)];
}

/**
 * Declarations that only rename what an import brought (`const now = utils.now`): each is one
 * more binding of the same definition. The statement's range covers the new name alone, so
 * what it reads (`utils.now`) still counts as a use when it is selected.
 */
function aliasesOf(text: string, imports: ImportStatement[]): ImportStatement[] {
  const byLocal = new Map<string, ImportStatement & { name: ImportedName }>();
  for (const s of imports) if (!s.reexport) for (const n of s.names) byLocal.set(n.local, { ...s, name: n });
  const out: ImportStatement[] = [];
  if (!byLocal.size) return out;
  for (const m of text.matchAll(TS_ALIAS)) {
    const source = byLocal.get(m[2]);
    if (!source) continue;
    const member = m[3];
    let names: ImportedName[];
    if (m[1].startsWith('{')) names = member || source.name.imported !== '*' ? [] : braceList(m[1], ':');
    else if (source.name.imported === '*') names = [{ local: m[1], imported: member ?? '*' }];
    else names = member ? [] : [{ local: m[1], imported: source.name.imported }];
    if (!names.length) continue;
    const at = m.index!;
    out.push({ specifier: source.specifier, names, reexport: false, at, end: at + m[0].indexOf('=') });
  }
  return out;
}

/** Members of a module used right where it is loaded (`require('./a').f()`), with their offsets. */
export function loadedMembers(masked: string, lang: SourceLanguage): Array<{ specifier: string; member: string; at: number }> {
  if (lang === 'python') return [];
  return [...masked.matchAll(TS_LOADED_MEMBER)].map((m) => ({ specifier: m[2], member: m[3], at: m.index! }));
}

/** `Def, { a, b as c, type D }` / `* as ns` / `Def, * as ns`. */
function importClause(clause: string): ImportedName[] {
  const names: ImportedName[] = [];
  const brace = clause.indexOf('{');
  const head = (brace >= 0 ? clause.slice(0, brace) : clause).replace(/,\s*$/, '');
  for (const part of head.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const ns = new RegExp(`^\\*\\s+as\\s+(${IDENT})$`).exec(p);
    if (ns) names.push({ local: ns[1], imported: '*' });
    else if (new RegExp(`^${IDENT}$`).test(p)) names.push({ local: p, imported: 'default' });
  }
  if (brace >= 0) names.push(...braceList(clause.slice(brace), 'as'));
  return names;
}

/** `{ a, b as c }` (imports, re-exports) or `{ a, b: c }` (a destructured require). */
function braceList(list: string, rename: 'as' | ':'): ImportedName[] {
  const body = list.replace(/^\{|\}[\s\S]*$/g, '');
  const names: ImportedName[] = [];
  for (const part of body.split(',')) {
    const p = part.trim().replace(/^type\s+/, '');
    if (!p) continue;
    const [imported, local] = rename === 'as' ? p.split(/\s+as\s+/) : p.split(/\s*:\s*/);
    const i = imported.trim().replace(/^['"]|['"]$/g, '');
    const l = (local ?? imported).trim();
    if (new RegExp(`^${IDENT}$`).test(l)) names.push({ local: l, imported: i });
  }
  return names;
}

const PY_FROM = /^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)/gm;
const PY_IMPORT = /^[ \t]*import[ \t]+([^\n]+)/gm;

function pythonImports(masked: string): ImportStatement[] {
  const text = masked.replace(/\\\r?\n/g, '  ');
  const out: ImportStatement[] = [];
  for (const m of text.matchAll(PY_FROM)) {
    const names: ImportedName[] = [];
    for (const part of m[2].replace(/[()]/g, '').split(',')) {
      const [imported, local] = part.trim().split(/\s+as\s+/);
      if (!imported) continue;
      names.push({ local: (local ?? imported).trim(), imported: imported.trim() });
    }
    out.push({ specifier: m[1], names, reexport: false, at: m.index!, end: m.index! + m[0].length });
  }
  for (const m of text.matchAll(PY_IMPORT)) {
    for (const part of m[1].split(',')) {
      const [mod, local] = part.trim().split(/\s+as\s+/);
      if (!mod || !/^[\w.]+$/.test(mod)) continue;
      // `import a.b` binds `a`; `import a.b as c` binds `c` to the module a.b.
      out.push({ specifier: mod, names: [{ local: local ? local.trim() : mod, imported: '*' }], reexport: false, at: m.index!, end: m.index! + m[0].length });
    }
  }
  return out;
}
