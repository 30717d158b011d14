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
}

const IDENT = '[A-Za-z_$][\\w$]*';
const TS_IMPORT = new RegExp(`\\bimport\\s+(?:type\\s+)?([^;'"\`]*?)\\s*\\bfrom\\s*(['"])([^'"\\n]+)\\2`, 'g');
const TS_REEXPORT = new RegExp(`\\bexport\\s+(?:type\\s+)?(\\*(?:\\s+as\\s+${IDENT})?|\\{[^}]*\\})\\s*from\\s*(['"])([^'"\\n]+)\\2`, 'g');
const TS_REQUIRE = new RegExp(`\\b(?:const|let|var)\\s+(\\{[^}]*\\}|${IDENT})\\s*=\\s*require\\(\\s*(['"])([^'"\\n]+)\\2\\s*\\)`, 'g');
const TS_IMPORT_EQUALS = new RegExp(`\\bimport\\s+(${IDENT})\\s*=\\s*require\\(\\s*(['"])([^'"\\n]+)\\2\\s*\\)`, 'g');

/** The import statements of a file whose comments are masked out (see maskSource). */
export function importsOf(masked: string, lang: SourceLanguage): ImportStatement[] {
  return lang === 'python' ? pythonImports(masked) : jsImports(masked);
}

function jsImports(text: string): ImportStatement[] {
  const out: ImportStatement[] = [];
  for (const m of text.matchAll(TS_IMPORT)) out.push({ specifier: m[3], names: importClause(m[1]), reexport: false });
  for (const m of text.matchAll(TS_IMPORT_EQUALS)) out.push({ specifier: m[3], names: [{ local: m[1], imported: '*' }], reexport: false });
  for (const m of text.matchAll(TS_REQUIRE)) {
    const names = m[1].startsWith('{') ? braceList(m[1], ':') : [{ local: m[1], imported: '*' }];
    out.push({ specifier: m[3], names, reexport: false });
  }
  for (const m of text.matchAll(TS_REEXPORT)) {
    const clause = m[1];
    const names = clause.startsWith('{') ? braceList(clause, 'as').map((x) => ({ local: x.local, imported: x.imported })) : [{ local: /as\s+(\S+)/.exec(clause)?.[1] ?? '*', imported: '*' }];
    out.push({ specifier: m[3], names, reexport: true });
  }
  return out;
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
    out.push({ specifier: m[1], names, reexport: false });
  }
  for (const m of text.matchAll(PY_IMPORT)) {
    for (const part of m[1].split(',')) {
      const [mod, local] = part.trim().split(/\s+as\s+/);
      if (!mod || !/^[\w.]+$/.test(mod)) continue;
      // `import a.b` binds `a`; `import a.b as c` binds `c` to the module a.b.
      out.push({ specifier: mod, names: [{ local: local ? local.trim() : mod, imported: '*' }], reexport: false });
    }
  }
  return out;
}
