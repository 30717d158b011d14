/**
 * Locality for a selection in a generated workspace of 5,000 source files (TS packages with
 * tsconfig `paths` through `extends`, a workspace package with `exports`, barrel re-exports,
 * and a Python package). Each run starts from nothing cached in Edit Scope (a fresh
 * WorkspaceFs: every stat, read and tsconfig parse is paid again); the files themselves are
 * in the OS page cache, as they are in an editor that has the workspace open. Goal: under
 * 200 ms for the slowest of the runs.
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
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
