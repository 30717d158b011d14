// The main job of the quick start, with no API key and no network:
// 1. analyse the bundled example edit the way a user would (`editscope check`);
// 2. send the same selection to four models at once (`editscope edit --log`): scripted
//    models on a loopback Chat Completions server, through the real `openai` SDK;
// 3. summarise the eval log that run appended to (`editscope report`).
// Every command runs from the repository root and is printed as a user can type it there
// (`npx editscope` finds this package's `bin` once `npm start` has built it). Findings are
// the point, so exit 1 ("findings", "a model failed") is success for the demo.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const demoDir = '.editscope/demo';
const log = `${demoDir}/evals.jsonl`;
const shown = (args) => args.map((a) => (/[\s"'|<>&;$]/.test(a) ? JSON.stringify(a) : a)).join(' ');

// Asynchronous, because the scripted model server lives in this process.
const run = (args) => new Promise((done) => {
  console.log(`$ npx editscope ${shown(args)}\n`);
  const p = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  p.on('exit', (status) => {
    if (status !== 0 && status !== 1) process.exit(status ?? 1);
    console.log('');
    done();
  });
});

await run(['check', '--original', 'examples/original.ts', '--edited', 'examples/edited.ts', '--range', '13-27']);

// The scripted model server is the one the tests use; build it if the tests have not.
if (spawnSync(process.execPath, [join(root, 'esbuild.config.mjs'), '--tests'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
const { startMockModelServer } = createRequire(import.meta.url)(join(root, 'out', 'test', 'fixtures', 'mockModelServer.js'));
const server = await startMockModelServer();
try {
  mkdirSync(join(root, demoDir), { recursive: true });
  const config = `${demoDir}/config.json`;
  writeFileSync(join(root, config), JSON.stringify({ providers: [{ id: 'local', baseUrl: server.url, retryBaseMs: 50 }] }, null, 2) + '\n');
  console.log(`(four scripted models on ${server.url}, which lives only while this demo runs: one careful,`);
  console.log(' one that overreaches, one that drifts in style, one whose server fails)\n');
  await run(['edit', '--file', 'examples/original.ts', '--range', '13-27', '--instruction', 'Use exponential backoff between attempts',
    '--model', 'local/good', '--model', 'local/overreach', '--model', 'local/drift-quotes', '--model', 'local/always-500',
    '--config', config, '--log', log]);
} finally {
  await server.close();
}
console.log(`The run was appended to the eval log ${join(root, log)}.\n`);
await run(['report', '--log', log]);
console.log('With your own key, the same edit against real models:');
console.log(`  OPENAI_API_KEY=... npx editscope edit --file examples/original.ts --range 13-27 --instruction ${JSON.stringify('Use exponential backoff between attempts')} --model gpt-4.1-mini --model gpt-4.1`);
