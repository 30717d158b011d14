/**
 * The extension's footprint: the production bundle of dist/extension.js (goal <= 1 MB
 * minified) and its activation time. The real activation time is measured by the
 * integration suite inside VS Code and written to test-results/activation.json; this
 * bench prints it when present. It also times require + activate against a stub 'vscode'
 * (every API a no-op), labelled as such: it measures loading and evaluating the bundle and
 * running activate's own code, not VS Code's part.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const GOAL_BYTES = 1024 * 1024;

async function main(): Promise<void> {
  // The production build of esbuild.config.mjs itself, into a temporary folder so the
  // development build in dist/ is left alone.
  const outdir = mkdtempSync(join(tmpdir(), 'editscope-ext-bench-'));
  execFileSync(process.execPath, ['esbuild.config.mjs', '--production', '--outdir', outdir], { cwd: ROOT, stdio: 'inherit' });
  const out = join(outdir, 'extension.js');
  const bytes = readFileSync(out).length;
  console.log(`production bundle dist/extension.js: ${(bytes / 1024).toFixed(0)} KiB (goal <= ${GOAL_BYTES / 1024} KiB) ${bytes <= GOAL_BYTES ? 'ok' : 'OVER'}`);

  const stubMs = stubActivation(out);
  console.log(`activation with a stub 'vscode' (require + activate, not VS Code's own cost): ${stubMs.toFixed(1)} ms`);

  const real = join(ROOT, 'test-results/activation.json');
  if (existsSync(real)) {
    const a = JSON.parse(readFileSync(real, 'utf8')) as { activateMs: number; vscodeVersion: string; time: string };
    console.log(`activation in VS Code ${a.vscodeVersion} (integration run ${a.time}): ${a.activateMs.toFixed(1)} ms`);
  } else console.log('activation in VS Code: run `npm run test:integration` to measure it (writes test-results/activation.json)');

  if (bytes > GOAL_BYTES) process.exitCode = 1;
}

function stubActivation(bundle: string): number {
  const stub = makeStub();
  const stubPath = join(mkdtempSync(join(tmpdir(), 'editscope-vscode-stub-')), 'vscode.js');
  writeFileSync(stubPath, '');
  const M = Module as unknown as { _resolveFilename: (req: string, ...rest: unknown[]) => string };
  const resolve = M._resolveFilename;
  M._resolveFilename = (req, ...rest) => (req === 'vscode' ? stubPath : resolve(req, ...rest));
  require.cache[stubPath] = { id: stubPath, filename: stubPath, loaded: true, exports: stub } as NodeModule;
  const context = { subscriptions: [], secrets: stub, globalState: stub, workspaceState: stub, extensionUri: stub, globalStorageUri: stub };
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ext = require(bundle) as { activate(c: unknown): unknown };
  ext.activate(context);
  const ms = performance.now() - t0;
  M._resolveFilename = resolve;
  return ms;
}

/** An object on which every property is another such object, callable and constructible. */
function makeStub(): unknown {
  const handler: ProxyHandler<() => void> = {
    get: (_t, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : proxy),
    apply: () => proxy,
    construct: () => proxy as object,
    // A class extending a vscode type assigns to `this` (here the stub); the function's own
    // `name` and `length` are read-only, so writes are taken and dropped.
    set: () => true,
  };
  const proxy: unknown = new Proxy(function stub() {}, handler);
  // Bundles read `vscode` through esbuild's __toESM, which copies own keys and keeps the
  // prototype: a prototype that answers everything survives that copy.
  return Object.create(proxy as object);
}

void main();
