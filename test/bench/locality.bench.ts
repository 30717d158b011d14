/**
 * Two goals. Locality for a selection in a generated workspace of 5,000 source files (TS packages with
 * tsconfig `paths` through `extends`, a workspace package with `exports`, barrel re-exports,
 * and a Python package). Each run starts from nothing cached in Edit Scope (a fresh
 * WorkspaceFs: every stat, read and tsconfig parse is paid again); the files themselves are
 * in the OS page cache, as they are in an editor that has the workspace open (the texts
 * masked and indexed last are kept in process, as in the editor). Goal: under 200 ms for the
 * slowest of the runs. And 60 selections across a 5,000-line module of a zod-like package
 * (namespace imports, a barrel, merged interface and const declarations), in a process that
 * has started: median at most 5 ms, slowest at most 100 ms.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { dependsOn } from '../../src/core/locality/dependsOn';

const FILES = 5000;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function write(root: string, p: string, text: string): void {
  mkdirSync(dirname(join(root, p)), { recursive: true });
  writeFileSync(join(root, p), text);
}

function generate(root: string): { ts: string; py: string; tsText: string; pyText: string } {
  write(root, 'package.json', JSON.stringify({ private: true, workspaces: ['packages/*'] }));
  write(root, 'tsconfig.base.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['packages/lib/src/*'] } } }));
  write(root, 'packages/core/package.json', JSON.stringify({ name: '@acme/core', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }));
  write(root, 'packages/core/src/index.ts', Array.from({ length: 40 }, (_, i) => `export * from './part${i}';`).join('\n') + '\n');
  let n = 2;
  for (let i = 0; i < 40; i++, n++) write(root, `packages/core/src/part${i}.ts`, `export function core${i}(x: number): number {\n  return x + ${i};\n}\n`);
  const modules = 50;
  const perModule = Math.floor((FILES * 0.8 - n) / modules);
  for (let m = 0; m < modules; m++) {
    write(root, `packages/m${m}/tsconfig.json`, JSON.stringify({ extends: '../../tsconfig.base.json' }));
    for (let f = 0; f < perModule; f++, n++) {
      const imports = [`import { helper${(f + 1) % perModule} } from './file${(f + 1) % perModule}';`, `import { util${f % 20} } from '@lib/util${f % 20}';`];
      write(root, `packages/m${m}/src/file${f}.ts`, `${imports.join('\n')}\n\n/** Helper ${f}. */\nexport function helper${f}(x: number): number {\n  return util${f % 20}(x) + ${f};\n}\n`);
    }
  }
  for (let u = 0; u < 20; u++, n++) write(root, `packages/lib/src/util${u}.ts`, `export function util${u}(x: number): number {\n  return x * ${u};\n}\n`);
  const pyFiles = FILES - n - 1;
  write(root, 'app/__init__.py', '');
  for (let p = 0; p < pyFiles; p++, n++) write(root, `app/mod${p}.py`, `from .mod${(p + 1) % pyFiles} import f${(p + 1) % pyFiles}\n\n\ndef f${p}(x):\n    return x + ${p}\n`);
  const tsLines = [
    "import { helper1, helper2 } from './file1';",
    "import { util3 } from '@lib/util3';",
    "import { core7, core31 } from '@acme/core';",
    "import * as other from '../../m1/src/file5';",
    '',
    'export function selected(x: number): number {',
    '  const a = helper1(x) + helper2(x);',
    '  const b = util3(a) + core7(a) + core31(b);',
    '  return other.helper5(b);',
    '}',
    '',
  ];
  const tsText = tsLines.join('\n');
  write(root, 'packages/m0/src/selected.ts', tsText);
  const pyText = 'from .mod1 import f1\nfrom app.mod2 import f2\nimport app.mod3 as m3\n\n\ndef selected(x):\n    return f1(x) + f2(x) + m3.f3(x)\n';
  write(root, 'app/selected.py', pyText);
  return { ts: join(root, 'packages/m0/src/selected.ts'), py: join(root, 'app/selected.py'), tsText, pyText };
}

/** Times 60 selections spread over a generated 5,000-line module, after one warm-up call. */
function largeModule(root: string): number[] {
  const kinds = 60;
  write(root, 'zodlike/src/core/index.ts', "export * from './schemas';\nexport * as util from './util';\n");
  write(root, 'zodlike/src/core/util.ts', Array.from({ length: 40 }, (_, i) => `export function helper${i}(x: unknown) {\n  return x;\n}\n`).join(''));
  const schemas: string[] = [];
  for (let k = 0; k < kinds; k++) schemas.push(`export interface $Kind${k} {\n  kind: ${k};\n}\n`, `export const $Kind${k} = (def: object): $Kind${k} => ({ kind: ${k}, ...def }) as $Kind${k};\n`);
  write(root, 'zodlike/src/core/schemas.ts', schemas.join(''));
  const lines = ["import * as core from './core/index';", "import { util } from './core/index';", ''];
  while (lines.length < 5000) {
    const k = lines.length % kinds;
    lines.push(`export function kind${lines.length}(params?: object): core.$Kind${k} {`, `  const core = { kind: ${k} };`, `  return { ...util.helper${k % 40}(params), ...core } as core.$Kind${k};`, '}', '');
  }
  const text = lines.join('\n');
  const file = join(root, 'zodlike/src/big.ts');
  write(root, 'zodlike/src/big.ts', text);
  const starts = lines.map((l, i) => (l.startsWith('export function') ? i + 1 : 0)).filter(Boolean);
  dependsOn({ root, file, text, range: { start: starts[0], end: starts[0] + 3 } });
  const times: number[] = [];
  let cpu = 0;
  for (let i = 0; i < 60; i++) {
    const start = starts[Math.floor((i * starts.length) / 60)];
    const t = performance.now();
    const c = process.cpuUsage();
    const found = dependsOn({ root, file, text, range: { start, end: start + 3 } });
    times.push(performance.now() - t);
    const u = process.cpuUsage(c);
    cpu += (u.user + u.system) / 1000;
    if (found.length !== 2) throw new Error(`a selection at line ${start} depends on ${found.length} files, expected 2`);
  }
  // On a machine shared with other work the wall time above is the CPU's and the wait for it.
  console.log(`  (CPU time in the 60 calls: ${(cpu / 60).toFixed(1)} ms each on average)`);
  return times;
}

function measure(label: string, root: string, file: string, text: string, range: { start: number; end: number }, expected: number): number {
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    found = dependsOn({ root, file, text, range }).length;
    times.push(performance.now() - t);
  }
  if (process.env.BENCH_SHOW) console.log(dependsOn({ root, file, text, range }));
  if (found !== expected) throw new Error(`${label}: found ${found} files, expected ${expected}`);
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${label}: first ${times[0].toFixed(1)} ms, median ${sorted[Math.floor(RUNS / 2)].toFixed(1)} ms, slowest ${sorted[RUNS - 1].toFixed(1)} ms (${found} files depended on, ${RUNS} runs)`);
  return sorted[RUNS - 1];
}

const root = mkdtempSync(join(tmpdir(), 'editscope-bench-locality-'));
try {
  const w = generate(root);
  const slowest = Math.max(
    measure('TS selection', root, w.ts, w.tsText, { start: 6, end: 10 }, 6),
    measure('Python selection', root, w.py, w.pyText, { start: 6, end: 7 }, 3),
  );
  const ok = slowest < 200;
  console.log(`locality in a ${FILES}-file workspace: slowest ${slowest.toFixed(1)} ms (goal < 200 ms: ${ok ? 'met' : 'MISSED'})`);
  const selections = largeModule(root);
  const sorted = [...selections].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  const max = sorted[sorted.length - 1];
  const okLarge = median <= 5 && max <= 100;
  console.log(`${selections.length} selections in a 5,000-line module: median ${median.toFixed(1)} ms, slowest ${max.toFixed(1)} ms (goal median <= 5 ms, slowest <= 100 ms: ${okLarge ? 'met' : 'MISSED'})`);
  process.exitCode = ok && okLarge ? 0 : 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
