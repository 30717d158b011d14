// The main job of the quick start, with no API key and no network:
// 1. analyse the bundled example edit the way a user would (`editscope check`);
// 2. send the same selection to four models at once (`editscope edit`) — here scripted
//    models on a loopback Chat Completions server, through the real `openai` SDK — and
//    compare what each did. Findings are the point, so exit 1 ("findings", "a model
//    failed") is success for the demo.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const shown = (args) => args.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(' ');
const run = (args, cwd = root) => {
  console.log(`$ editscope ${shown(args)}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, stdio: 'inherit', env: { ...process.env, NO_COLOR: process.env.NO_COLOR ?? '' } });
  if (r.status !== 0 && r.status !== 1) process.exit(r.status ?? 1);
  console.log('');
};

run(['check', '--original', 'examples/original.ts', '--edited', 'examples/edited.ts', '--range', '13-27']);

// The scripted model server is the one the tests use; build it if the tests have not.
if (spawnSync(process.execPath, [join(root, 'esbuild.config.mjs'), '--tests'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
const { startMockModelServer } = createRequire(import.meta.url)(join(root, 'out', 'test', 'fixtures', 'mockModelServer.js'));
const server = await startMockModelServer();
try {
  const work = mkdtempSync(join(tmpdir(), 'editscope-demo-'));
  mkdirSync(join(work, 'src'));
  copyFileSync(join(root, 'examples', 'original.ts'), join(work, 'src', 'retry.ts'));
  mkdirSync(join(work, '.editscope'));
  writeFileSync(join(work, '.editscope', 'config.json'), JSON.stringify({ providers: [{ id: 'local', baseUrl: server.url, retryBaseMs: 50 }] }));
  console.log(`(four scripted models on ${server.url}: one careful, one that overreaches, one that drifts in style, one whose server fails)\n`);
  const args = ['edit', '--file', 'src/retry.ts', '--range', '13-27', '--instruction', 'Use exponential backoff between attempts',
    '--model', 'local/good', '--model', 'local/overreach', '--model', 'local/drift-quotes', '--model', 'local/always-500', '--log'];
  console.log(`(in ${work})`);
  // Run asynchronously: the model server lives in this process.
  const { spawn } = await import('node:child_process');
  await new Promise((res) => {
    console.log(`$ editscope ${shown(args)}\n`);
    const p = spawn(process.execPath, [cli, ...args], { cwd: work, stdio: 'inherit' });
    p.on('exit', res);
  });
  console.log(`\nThe run is in ${join(work, '.editscope', 'evals.jsonl')}; \`editscope report --log <that file>\` summarises it.`);
} finally {
  await server.close();
}
