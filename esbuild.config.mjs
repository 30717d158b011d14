// One build file for everything: the extension and the CLI are bundled (vscode stays
// external, the extension host provides it); tests, scripts and benches are transpiled
// file by file into out/ so mocha and node run them as plain CommonJS.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const argv = process.argv.slice(2);
const args = new Set(argv);
const production = args.has('--production');
// `--outdir DIR` builds the bundles somewhere else than dist/ (the extension bench measures the
// production bundle this way, built by this file and not by a copy of its options).
const dist = argv.includes('--outdir') ? argv[argv.indexOf('--outdir') + 1] : 'dist';

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

/**
 * `import x from './m.iife'` gives the text of ./m.ts bundled into one script that defines
 * `var editScope = {...its exports}`: the promptfoo assertions run Edit Scope's own grading
 * code this way, never a hand-kept copy of it.
 */
const IIFE_ENTRIES = ['src/core/evalset/assertion.ts'];
const GLOBAL_NAME = 'editScope';

async function iifeText(entry) {
  const r = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: GLOBAL_NAME,
    platform: 'neutral',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return r.outputFiles[0].text;
}

const iife = {
  name: 'iife',
  setup(build) {
    build.onResolve({ filter: /\.iife$/ }, (a) => ({ path: join(a.resolveDir, a.path.replace(/\.iife$/, '.ts')), namespace: 'iife' }));
    build.onLoad({ filter: /.*/, namespace: 'iife' }, async (a) => ({ contents: await iifeText(a.path), loader: 'text' }));
  },
};

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
  plugins: [iife],
};

if (args.has('--tests')) {
  // Transpile only: each test imports the real src modules, also transpiled here. The folders
  // under test/fixtures/ hold test cases as files (a before.ts is data, not a module), which
  // the tests read from the repository.
  const caseFiles = /^test[\\/]fixtures[\\/][^\\/]+[\\/]/;
  // out/ is all made here: start it anew, so a test file renamed or deleted in src leaves no
  // compiled copy behind for mocha's glob to run a second time.
  rmSync('out', { recursive: true, force: true });
  const entryPoints = [
    ...walk('src', /\.ts$/),
    ...walk('test', /\.ts$/).filter((p) => !caseFiles.test(p)),
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
  // Bundled scripts imported as text: out/<entry>.iife.js exports the script, so the
  // transpiled require('./x.iife') finds it.
  for (const entry of IIFE_ENTRIES) {
    const out = join('out', entry.replace(/\.ts$/, '.iife.js'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `module.exports = ${JSON.stringify(await iifeText(entry))};\n`);
  }
} else {
  // Libraries used by some commands only (editorconfig by check and edit, yaml by the promptfoo
  // export, jstat by the intervals of report, replay and compare) are bundled on their own into dist/vendor/ and required from there on first use,
  // so the extension's activation and every other command do not parse them.
  const require = createRequire(import.meta.url);
  const vendored = ['editorconfig', 'yaml', 'jstat'];
  const vendor = {
    name: 'vendor',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^(${vendored.join('|')})$`) }, (a) => ({ path: `./vendor/${a.path}.js`, external: true }));
    },
  };
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: Object.fromEntries(vendored.map((name) => [name, require.resolve(name)])),
      outdir: join(dist, 'vendor'),
    }),
    esbuild.build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: join(dist, 'extension.js'), plugins: [vendor, iife] }),
    esbuild.build({
      ...common,
      entryPoints: ['src/cli/main.ts'],
      outfile: join(dist, 'cli.js'),
      plugins: [vendor, iife],
      // The openai SDK is a dependency of the package, loaded from node_modules on a model's
      // first call (src/core/providers/sdk.ts): bundled, it was parsed at every start.
      external: [...common.external, 'openai'],
      banner: { js: '#!/usr/bin/env node' },
    }),
  ]);
  chmodSync(join(dist, 'cli.js'), 0o755);
  // editorconfig's INI parser is WebAssembly that loads its .wasm from beside the code that
  // requires it.
  const wasm = join(dirname(createRequire(require.resolve('editorconfig')).resolve('@one-ini/wasm')), 'one_ini_bg.wasm');
  copyFileSync(wasm, join(dist, 'vendor', 'one_ini_bg.wasm'));
}
