// One build file for everything: the extension and the CLI are bundled (vscode stays
// external, the extension host provides it); tests, scripts and benches are transpiled
// file by file into out/ so mocha and node run them as plain CommonJS.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, chmodSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');

function walk(dir, re, acc = []) {
  let names;
  try { names = readdirSync(dir); } catch { return acc; }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, re, acc);
    else if (re.test(name)) acc.push(p);
  }
  return acc;
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  // The RFT grader is a real Python file (linted and run as Python by the tests), shipped as text.
  loader: { '.py': 'text' },
  logLevel: 'warning',
  legalComments: production ? 'none' : 'inline',
};

if (args.has('--tests')) {
  // Transpile only: each test imports the real src modules, also transpiled here.
  const entryPoints = [
    ...walk('src', /\.ts$/),
    ...walk('test', /\.ts$/),
    ...walk('scripts', /\.ts$/),
  ];
  await esbuild.build({
    entryPoints,
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  // Python sources imported as text: each becomes a module exporting its text, under its own
  // name, so the transpiled require('./x.py') finds it.
  await esbuild.build({
    entryPoints: walk('src', /\.py$/),
    outdir: 'out',
    outbase: '.',
    bundle: false,
    format: 'cjs',
    loader: { '.py': 'text' },
    outExtension: { '.js': '.py' },
    logLevel: 'warning',
  });
} else {
  await Promise.all([
    esbuild.build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' }),
    esbuild.build({
      ...common,
      entryPoints: ['src/cli/main.ts'],
      outfile: 'dist/cli.js',
      // The openai SDK and the YAML writer are dependencies of the package, loaded from
      // node_modules on first use (a model's first call, an export to promptfoo): bundled,
      // they would be parsed at every start.
      external: [...common.external, 'openai', 'yaml'],
      banner: { js: '#!/usr/bin/env node' },
    }),
  ]);
  chmodSync('dist/cli.js', 0o755);
  // editorconfig's INI parser is WebAssembly that loads its .wasm from beside the code that
  // requires it, which once bundled is dist/.
  const fromEditorconfig = createRequire(createRequire(import.meta.url).resolve('editorconfig'));
  copyFileSync(join(dirname(fromEditorconfig.resolve('@one-ini/wasm')), 'one_ini_bg.wasm'), 'dist/one_ini_bg.wasm');
}
