// Runs the real-editor integration suite several times in a row with busy-loop processes
// beside it, as on a machine where other builds run: a suite that passes only on a quiet
// machine fails here. Usage: npm run test:stress [-- --runs N --busy N]
// (or EDITSCOPE_STRESS_RUNS / EDITSCOPE_STRESS_BUSY). Each run's output is kept in
// test-results/stress/run-<n>.log; the last line sums up.
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

function count(flag, env, fallback) {
  const i = process.argv.indexOf(flag);
  const raw = i >= 0 ? process.argv[i + 1] : process.env[env];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${flag} (or ${env}) must be a whole number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}
const runs = count('--runs', 'EDITSCOPE_STRESS_RUNS', 3);
const busyCount = count('--busy', 'EDITSCOPE_STRESS_BUSY', 2);
if (runs < 1) {
  console.error('--runs must be at least 1');
  process.exit(2);
}

// The busy loops are killed however this script ends: normally, on an error, or on Ctrl+C.
const busy = [];
function stopBusy() {
  for (const p of busy.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}
process.on('exit', stopBusy);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    stopBusy();
    process.exit(130);
  });
}

/** One run of the suite; resolves with its exit code and its summary line's counts. */
function runSuite(n) {
  const logFile = join(root, 'test-results', 'stress', `run-${n}.log`);
  const log = createWriteStream(logFile);
  return new Promise((res) => {
    const child = spawn(process.execPath, [join(root, 'scripts', 'vscode-test', 'run-code-server.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (d) => {
      out += d;
      log.write(d);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code, signal) => {
      log.end();
      const m = /real VS Code \S+: (\d+) passed, (\d+) failed/.exec(out);
      const failures = [...out.matchAll(/^FAILED: (.*)$/gm)].map((x) => x[1]);
      const broken = /integration FAILED, the suite did not complete: (.*)/.exec(out);
      res({ code: code ?? (signal ? 1 : 0), passed: m ? Number(m[1]) : 0, failed: m ? Number(m[2]) : 1, failures: broken ? [`(did not complete) ${broken[1]}`, ...failures] : failures, logFile });
    });
  });
}

mkdirSync(join(root, 'test-results', 'stress'), { recursive: true });
console.log('Building the extension and the tests once ...');
execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, ['esbuild.config.mjs', '--tests'], { cwd: root, stdio: 'inherit' });

for (let i = 0; i < busyCount; i++) busy.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
console.log(`${busyCount} busy-loop process${busyCount === 1 ? '' : 'es'} running beside the suite (pids ${busy.map((p) => p.pid).join(', ') || 'none'})`);

const results = [];
try {
  for (let n = 1; n <= runs; n++) {
    const started = Date.now();
    const r = await runSuite(n);
    results.push(r);
    const ok = r.code === 0 && r.failed === 0;
    console.log(`run ${n}/${runs}: ${ok ? 'passed' : 'FAILED'}, ${r.passed} passed, ${r.failed} failed (${((Date.now() - started) / 1000).toFixed(0)} s, log ${r.logFile})`);
    for (const f of r.failures) console.log(`  failed: ${f}`);
  }
} finally {
  stopBusy();
}

const green = results.map((r) => r.code === 0 && r.failed === 0);
let streak = 0;
let best = 0;
for (const g of green) {
  streak = g ? streak + 1 : 0;
  best = Math.max(best, streak);
}
const passedRuns = green.filter(Boolean).length;
console.log(`stress: ${passedRuns} of ${runs} runs passed (${best} in a row) with ${busyCount} busy loops`);
process.exitCode = passedRuns === runs ? 0 : 1;
