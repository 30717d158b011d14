import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The layers of src/core, lowest first (docs/development.md, "Code layout"). A module may
 * import from its own layer's folder and from lower layers only; layers listed together are
 * peers and may not import each other. A folder or file of src/core missing here fails the
 * test, so a new one has to be given its place.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['errors', 'redact', 'defaults', 'pool', 'timers', 'text', 'stats'],
  ['analysis'],
  ['io', 'task'],
  ['locality', 'providers'],
  ['prompt', 'relevance'],
  ['edit', 'log'],
  ['report'],
  ['evalset'],
];

const ROOT = resolve(__dirname, '../../..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every module a file names: static and type imports, re-exports, import() and require(). */
function specifiers(text: string): string[] {
  const re = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g;
  return [...text.matchAll(re)].map((m) => m[2]);
}

/** `src/core/<unit>/...` or `src/core/<unit>.ts` -> unit; null outside src/core. */
function coreUnit(absPath: string): string | null {
  const rel = relative(join(SRC, 'core'), absPath);
  if (rel.startsWith('..')) return null;
  return rel.split(sep)[0].replace(/\.(ts|js)$/, '');
}

function layerOf(unit: string): number {
  return LAYERS.findIndex((l) => l.includes(unit));
}

/** The problems with one file's imports: the whole list, so a failure names every one. */
function layeringProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  const from = coreUnit(file);
  const where = relative(ROOT, file);
  for (const spec of specifiers(text)) {
    if (from !== null && (spec === 'vscode' || spec.startsWith('vscode/'))) problems.push(`${where} imports vscode`);
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec);
    const area = relative(SRC, target).split(sep)[0];
    if (from !== null && (area === 'cli' || area === 'extension')) problems.push(`${where} imports src/${area} (${spec})`);
    const to = coreUnit(target);
    if (from === null || to === null || to === from) continue;
    const a = layerOf(from);
    const b = layerOf(to);
    if (b < 0) problems.push(`${where} imports ${spec}: core/${to} has no layer`);
    else if (b >= a) problems.push(`${where} imports ${spec}: core/${from} may not import core/${to} (${b === a ? 'a peer' : 'a higher layer'})`);
  }
  return problems;
}

/** The source file a relative specifier names: `x.ts`, or `x/index.ts`; null for anything else (a .py, a .json). */
function resolveModule(from: string, spec: string, known: ReadonlySet<string>): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base + '.ts', join(base, 'index.ts'), base]) if (known.has(candidate)) return candidate;
  return null;
}

/**
 * Every import cycle among the given files, each as the files around it (type imports
 * count: a cycle through a type still means neither file reads without the other).
 */
function importCycles(texts: ReadonlyMap<string, string>): string[][] {
  const known = new Set(texts.keys());
  const edges = new Map<string, string[]>();
  for (const [file, text] of texts) edges.set(file, specifiers(text).filter((s) => s.startsWith('.')).map((s) => resolveModule(file, s, known)).filter((t): t is string => t !== null));
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of edges.get(f) ?? []) {
      if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].map((x) => relative(ROOT, x)));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of [...known].sort()) if (!state.has(f)) visit(f);
  return cycles;
}

describe('layering of src/core', () => {
  const files = sourceFiles(SRC);

  it('gives every folder and file of src/core a layer', () => {
    const units = new Set(files.map(coreUnit).filter((u): u is string => u !== null));
    assert.deepEqual([...units].filter((u) => layerOf(u) < 0), []);
    assert.ok(units.has('analysis') && units.has('evalset'), 'the source tree was found');
  });

  it('has no import pointing up, no vscode in core, and no core import of the CLI or the extension', () => {
    assert.ok(files.length > 50, `found the source tree (${files.length} files)`);
    assert.deepEqual(
      files.flatMap((f) => layeringProblems(f, readFileSync(f, 'utf8'))),
      [],
    );
  });

  it('has no import cycle anywhere in src', () => {
    assert.deepEqual(importCycles(new Map(files.map((f) => [f, readFileSync(f, 'utf8')]))).map((c) => c.join(' -> ')), []);
  });

  it('reports a planted cycle, through a type import too', () => {
    const a = join(SRC, 'core/analysis/a.ts');
    const b = join(SRC, 'core/analysis/b.ts');
    const c = join(SRC, 'core/analysis/c.ts');
    const cycles = importCycles(new Map([[a, "import { b } from './b';"], [b, "import type { C } from './c';"], [c, "export type C = 1;\nimport { a } from './a';"]]));
    assert.deepEqual(cycles.map((x) => x.join(' -> ')), ['src/core/analysis/a.ts -> src/core/analysis/b.ts -> src/core/analysis/c.ts -> src/core/analysis/a.ts']);
    assert.deepEqual(importCycles(new Map([[a, "import { b } from './b';"], [b, "import { x } from '../text/lines';"]])), []);
  });

  it('reports a planted upward import, vscode in core and a core import of the extension', () => {
    const providers = join(SRC, 'core/providers/openai.ts');
    assert.deepEqual(layeringProblems(providers, "import type { LogRecord } from '../log/records';"), [
      'src/core/providers/openai.ts imports ../log/records: core/providers may not import core/log (a higher layer)',
    ]);
    assert.deepEqual(layeringProblems(join(SRC, 'core/io/readText.ts'), "const t = require('../task/editTask');"), [
      'src/core/io/readText.ts imports ../task/editTask: core/io may not import core/task (a peer)',
    ]);
    assert.deepEqual(layeringProblems(join(SRC, 'core/errors.ts'), "import * as vscode from 'vscode';\nexport { x } from '../extension/settings';"), [
      'src/core/errors.ts imports vscode',
      'src/core/errors.ts imports src/extension (../extension/settings)',
    ]);
    assert.deepEqual(layeringProblems(join(SRC, 'core/evalset/grade.ts'), "import { x } from '../../cli/args';"), [
      'src/core/evalset/grade.ts imports src/cli (../../cli/args)',
    ]);
    // Downward, within a folder, and outside core are all fine.
    assert.deepEqual(layeringProblems(join(SRC, 'core/evalset/grade.ts'), "import { a } from '../text/lines';\nimport { b } from './grade';"), []);
    assert.deepEqual(layeringProblems(join(SRC, 'extension/extension.ts'), "import * as vscode from 'vscode';\nimport { c } from '../cli/args';"), []);
  });
});
