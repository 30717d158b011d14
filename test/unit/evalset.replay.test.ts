import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replay as replaySet } from '../../src/core/evalset/replayEvalSet';
import { runTest } from '../../src/core/evalset/runTest';
import { loadProvidersConfig } from '../../src/core/providers/config';
import { createProviders } from '../../src/core/providers/registry';
import { readEvalSet } from '../../src/core/evalset/read';
import { readLog } from '../../src/core/log/evalLog';
import type { GradeRecord, TaskRecord } from '../../src/core/log/records';
import { startMockModelServer, type MockModelServer } from '../fixtures/mockModelServer';
import { SUM } from '../fixtures/sum';
import { cli } from './cliHarness';

const TEST = `node -e "process.exit(require('fs').readFileSync('src/sum.js','utf8').includes('Adds the numbers') ? 0 : 1)"`;

describe('editscope replay', () => {
  let server: MockModelServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const KEY = 'sk-replay-secret-77aa';
  let t1: string;
  let t2: string;

  before(async () => {
    server = await startMockModelServer();
    dir = mkdtempSync(join(tmpdir(), 'editscope-replay-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'sum.js'), SUM);
    mkdirSync(join(dir, '.editscope'));
    writeFileSync(join(dir, '.editscope', 'config.json'), JSON.stringify({ providers: [{ id: 'mock', baseUrl: server.url, apiKeyEnv: 'MOCK_API_KEY', maxRetries: 2, retryBaseMs: 10 }] }));
    env = { MOCK_API_KEY: KEY, PATH: process.env.PATH, XDG_CONFIG_HOME: join(dir, 'user-config') };
    assert.equal((await cli(['trust'], { cwd: dir, env })).code, 0);
    // The real flow: two edits logged, one accepted, exported as an eval set with a test.
    const edit = async (range: string, models: string[]) => {
      const r = await cli(['edit', '--file', 'src/sum.js', '--range', range, '--instruction', 'Note the edit', ...models.flatMap((m) => ['--model', m]), '--log', '--format', 'json'], { cwd: dir, env });
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      return JSON.parse(r.stdout).task.id as string;
    };
    t1 = await edit('7-11', ['mock/good', 'mock/overreach']);
    t2 = await edit('3-4', ['mock/drift-quotes']);
    assert.equal((await cli(['verdict', t1, '--model', 'mock/good', '--accepted', 'all'], { cwd: dir, env })).code, 0);
    const exp = await cli(['export', '--to', 'evalset', '--out', 'set.jsonl', '--test-command', TEST, '--test-timeout', '20'], { cwd: dir, env });
    assert.equal(exp.code, 0, exp.stderr);
  });
  after(() => server.close());

  // The set is this test's own, so its test commands may run.
  const replay = (...args: string[]) => cli(['replay', '--set', 'set.jsonl', '--log', 'replay.jsonl', '--run-tests', ...args], { cwd: dir, env });

  it('grades scope, style, reference and the test per model, and prints the JSON contract', async () => {
    const before = server.requests.length;
    const r = await replay('--model', 'mock/good', '--model', 'mock/overreach', '--model', 'mock/drift-quotes', '--format', 'json', '--concurrency', '2');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests.length - before, 6, 'two tasks, three models');
    // The replayed prompt is the one the original task sent.
    const sent = server.requests.slice(0, 2).find((q) => q.model === 'good')!.messages;
    const resent = server.requests.slice(before).find((q) => q.model === 'good' && q.messages[1].content.includes('lines="7-11"'))!.messages;
    assert.deepEqual(resent, sent);
    const json = JSON.parse(r.stdout);
    assert.equal(json.tasks, 2);
    const byModel = Object.fromEntries(json.models.map((m: { model: string }) => [m.model, m]));
    for (const m of json.models) assert.deepEqual(Object.keys(m).slice(0, 7), ['model', 'tasks', 'scopeScore', 'styleScore', 'referenceScore', 'referenceExactRate', 'testPassRate']);
    // good: clean on both tasks, matches the accepted edit of T1, keeps the far comment.
    assert.deepEqual(pick(byModel['mock/good']), { tasks: 2, scopeScore: 1, styleScore: 1, referenceScore: 1, testPassRate: 1, score: 1 });
    // overreach deletes the far comment: out of scope, style drift, test fails. Against T1's
    // reference (13 lines) its 12 lines share 12: similarity 2*12/25.
    assert.deepEqual(pick(byModel['mock/overreach']), { tasks: 2, scopeScore: 0, styleScore: 0, referenceScore: 24 / 25, testPassRate: 0, score: (0 + 0 + 24 / 25 + 0) / 4 });
    // drift-quotes adds a double-quoted line in scope: style fails; 12 of 13 lines match the reference.
    assert.deepEqual(pick(byModel['mock/drift-quotes']), { tasks: 2, scopeScore: 1, styleScore: 0, referenceScore: 24 / 26, testPassRate: 1, score: (1 + 0 + 24 / 26 + 1) / 4 });
    // The irrelevant-edit rate: usable answers with a hunk the task did not need.
    assert.deepEqual(json.models.map((m: { model: string; irrelevantEditRate: number }) => [m.model, m.irrelevantEditRate]), [['mock/good', 0], ['mock/overreach', 1], ['mock/drift-quotes', 0]]);
    assert.match(r.stdout, /"irrelevantEditRate"/);
    // Every score has its interval and n: two tasks passed of two is Wilson's [0.3424, 1] (scipy),
    // one reference matched of one [0.2065, 1]; the score's is the mean of its parts' bounds.
    const good = byModel['mock/good'];
    assert.deepEqual(good.n, { scopeScore: 2, styleScore: 2, referenceScore: 1, referenceExactRate: 1, testPassRate: 2, irrelevantEditRate: 2, score: 2 });
    assert.ok(Math.abs(good.ci.scopeScore[0] - 0.34238022750665303) < 1e-9 && good.ci.scopeScore[1] === 1);
    assert.ok(Math.abs(good.ci.referenceScore[0] - 0.20654931437723745) < 1e-9);
    assert.ok(Math.abs(good.ci.score[0] - 0.30842249922429915) < 1e-9 && good.ci.score[1] === 1);
    assert.ok(Math.abs(byModel['mock/overreach'].ci.scopeScore[1] - 0.6576197724933469) < 1e-9);
    assert.ok(Math.abs(good.ci.irrelevantEditRate[1] - 0.6576197724933469) < 1e-9, 'the irrelevant-edit rate has its interval too');

    const grades: GradeRecord[] = [];
    const { records } = readLog(join(dir, 'replay.jsonl'), { onGrade: (g) => grades.push(g) });
    assert.equal(records.filter((x) => x.kind === 'task' && (x as TaskRecord).source === 'replay').length, 2);
    assert.equal(grades.length, 6);
    const g = grades.find((x) => x.setTaskId === t1 && x.model === 'mock/overreach')!;
    assert.deepEqual([g.scope, g.style, g.styleRules, g.reference, g.test!.passed, g.test!.exitCode], [0, 0, ['comments-removed'], { exact: false, similarity: 0.96 }, false, 1]);
    const d = grades.find((x) => x.setTaskId === t2 && x.model === 'mock/drift-quotes')!;
    assert.deepEqual([d.scope, d.style, d.styleRules, d.reference, d.test!.passed, d.score], [1, 0, ['quotes'], null, true, 2 / 3], 'no reference on T2: scope, style and test count');
    assert.ok(!readFileSync(join(dir, 'replay.jsonl'), 'utf8').includes(KEY));
    // Replays are copies of set tasks: exporting them again would duplicate the set.
    const exp = await cli(['export', '--to', 'evalset', '--out', 'again.jsonl', '--log', 'replay.jsonl'], { cwd: dir, env });
    assert.equal(exp.code, 1);
    assert.match(exp.stderr, /nothing to export .*no task matches/);
  });

  it('grades the same through the Batch API, one job per model, with no interactive calls', async () => {
    const before = server.requests.length;
    const batchesBefore = server.batches.length;
    const r = await cli(['replay', '--set', 'set.jsonl', '--log', 'batch.jsonl', '--batch', '--poll', '0.05', '--run-tests', '--model', 'mock/good', '--model', 'mock/overreach', '--model', 'mock/drift-quotes', '--format', 'json'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests.length, before, 'nothing sent interactively');
    const jobs = server.batches.slice(batchesBefore);
    assert.equal(jobs.length, 3, 'one batch per model');
    assert.ok(jobs.every((b) => b.status === 'completed' && b.request_counts.total === 2 && b.polls >= 2), 'each job polled until it completed');
    const byModel = Object.fromEntries(JSON.parse(r.stdout).models.map((m: { model: string }) => [m.model, pick(m)]));
    assert.deepEqual(byModel['mock/good'], { tasks: 2, scopeScore: 1, styleScore: 1, referenceScore: 1, testPassRate: 1, score: 1 });
    assert.deepEqual(byModel['mock/overreach'], { tasks: 2, scopeScore: 0, styleScore: 0, referenceScore: 24 / 25, testPassRate: 0, score: (0 + 0 + 24 / 25 + 0) / 4 });
    assert.deepEqual(byModel['mock/drift-quotes'], { tasks: 2, scopeScore: 1, styleScore: 0, referenceScore: 24 / 26, testPassRate: 1, score: (1 + 0 + 24 / 26 + 1) / 4 });
    // A failing request comes back in the batch's error file: not graded, resumable.
    const failing = await cli(['replay', '--set', 'set.jsonl', '--log', 'batch.jsonl', '--batch', '--poll', '0.05', '--model', 'mock/always-500'], { cwd: dir, env });
    assert.equal(failing.code, 1);
    assert.match(failing.stderr, /mock\/always-500: 2 of 2 tasks not graded \(server 2\)/);
  });

  it('resumes: a task a model already has a grade for is not sent again', async () => {
    const before = server.requests.length;
    const again = await replay('--model', 'mock/good', '--model', 'mock/overreach');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(server.requests.length, before, 'nothing re-sent');
    assert.match(again.stdout, /Resumed from earlier runs in the log: mock\/good 2, mock\/overreach 2/);
    assert.match(again.stdout, /mock\/good\s+2\/2\s+100\.0% \[34\.2, 100\.0\]\s+0\.0% \[0\.0, 65\.8\]\s+100\.0% \[34\.2, 100\.0\]\s+1\.000 \[0\.207, 1\.000\]\s+100\.0% \[20\.7, 100\.0\]\s+100\.0% \[34\.2, 100\.0\]\s+1\.000 \[0\.308, 1\.000\]/);
    // A new model runs; the graded ones still count.
    const more = await replay('--model', 'mock/good', '--model', 'mock/flaky-429', '--format', 'json');
    assert.equal(more.code, 0, more.stderr);
    assert.deepEqual(server.requests.slice(before).map((q) => q.model).filter((m) => m !== 'flaky-429'), []);
    const flaky = JSON.parse(more.stdout).models.find((m: { model: string }) => m.model === 'mock/flaky-429');
    assert.equal(flaky.tasks, 2);
  });

  it('leaves tasks ungraded when the provider fails (exit 1, resumable) and fails --min-score with a reason', async () => {
    const r = await replay('--model', 'mock/unauthorized', '--format', 'json');
    assert.equal(r.code, 1);
    const m = JSON.parse(r.stdout).models[0];
    assert.deepEqual([m.tasks, m.score, m.notGraded], [0, null, { auth: 2 }]);
    assert.match(r.stderr, /mock\/unauthorized: 2 of 2 tasks not graded \(auth 2\); run the same command again to resume/);
    assert.ok(!r.stderr.includes(KEY));

    const low = await replay('--model', 'mock/good', '--model', 'mock/overreach', '--min-score', '0.5');
    assert.equal(low.code, 1);
    assert.equal(low.stderr, 'editscope replay: mock/overreach scored 0.240, below --min-score 0.5\n');
    assert.match(low.stdout, /Minimum score 0\.5: missed/);
    const ok = await replay('--model', 'mock/good', '--min-score', '0.99');
    assert.equal(ok.code, 0, ok.stderr);
    // Two tasks cannot show a score above 0.5: the lower bound of its interval is 0.308.
    const lower = await replay('--model', 'mock/good', '--min-score', '0.5', '--gate', 'lower');
    assert.equal(lower.code, 1);
    assert.equal(lower.stderr, 'editscope replay: mock/good: the lower bound of its score\'s interval is 0.308 (score 1.000, 2 tasks), below --min-score 0.5\n');
    assert.match(lower.stdout, /Minimum score 0\.5 \(gated on the interval's lower bound\): missed/);
    assert.match(lower.stdout, /mock\/good\s+2\/2\s+100\.0% \[34\.2, 100\.0\]/);
    assert.equal((await replay('--model', 'mock/good', '--min-score', '0.3', '--gate', 'lower')).code, 0);
  });

  it("runs a set's test commands only with --run-tests, printing each before it runs", async () => {
    // A set handed over by someone else: its "test" writes outside the temporary folder.
    const marker = join(dir, 'pwned');
    const hostile = join(dir, 'hostile.jsonl');
    const cmd = `node -e "require('fs').writeFileSync('${marker}', 'x')"`;
    writeFileSync(hostile, readFileSync(join(dir, 'set.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"evalset-task"')).map((l) => JSON.stringify({ ...JSON.parse(l), graders: { ...JSON.parse(l).graders, test: { command: cmd, timeoutSeconds: 20 } } })).join('\n') + '\n');
    for (const flags of [[], ['--no-tests']]) {
      const r = await cli(['replay', '--set', hostile, '--log', 'hostile-log.jsonl', '--model', 'mock/good', '--format', 'json', ...flags], { cwd: dir, env });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!existsSync(marker), 'nothing ran');
      assert.match(r.stderr, /^editscope replay: 2 of 2 tasks have a test command; not run \(an eval set is code: pass --run-tests to run them\)$/m);
      assert.equal(JSON.parse(r.stdout).models[0].testPassRate, null, 'tests are not part of the score');
    }
    const ran = await cli(['replay', '--set', hostile, '--log', 'hostile-run.jsonl', '--model', 'mock/good', '--run-tests'], { cwd: dir, env });
    assert.equal(ran.code, 0, ran.stderr);
    assert.ok(existsSync(marker), ran.stderr);
    const shown = ran.stderr.split('\n').filter((l) => l.includes('running the test'));
    assert.equal(shown.length, 2);
    for (const l of shown) assert.match(l, /^editscope replay: running the test of \S+ for mock\/good: node -e /);
    assert.ok(shown[0].endsWith(cmd));
    const both = await cli(['replay', '--set', hostile, '--model', 'mock/good', '--run-tests', '--no-tests'], { cwd: dir, env });
    assert.equal(both.code, 2);
  });

  it('skips damaged set lines with their line numbers, and exits 2 with one line for bad usage', async () => {
    const damaged = join(dir, 'damaged.jsonl');
    writeFileSync(damaged, readFileSync(join(dir, 'set.jsonl'), 'utf8'));
    appendFileSync(damaged, '{"kind":"evalset-task","id":\n');
    appendFileSync(damaged, JSON.stringify({ schemaVersion: 7, kind: 'evalset-task', id: 'future' }) + '\n');
    const r = await cli(['replay', '--set', damaged, '--log', 'replay.jsonl', '--model', 'mock/good'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /damaged\.jsonl line 3: not a complete JSON record \(skipped\)/);
    assert.match(r.stderr, /damaged\.jsonl line 4: written by a newer Edit Scope \(eval-set schema 7; this version reads 1\); update Edit Scope to replay it/);
    assert.equal(readEvalSet(damaged).length, 2);

    const cases: Array<[string[], RegExp]> = [
      [['replay', '--model', 'mock/good'], /^editscope replay: --set is required\n$/],
      [['replay', '--set', 'set.jsonl'], /^editscope replay: --model is required/],
      [['replay', '--set', 'missing.jsonl', '--model', 'mock/good'], /^editscope replay: eval set .*missing\.jsonl does not exist\n$/],
      [['replay', '--set', 'set.jsonl', '--model', 'mock/good', '--min-score', '2'], /^editscope replay: --min-score must be a number from 0 to 1 \(got "2"\)\n$/],
      [['replay', '--set', 'set.jsonl', '--model', 'mock/good', '--concurrency', '0'], /--concurrency must be a positive number/],
      [['replay', '--set', 'set.jsonl', '--model', 'mock/good', '--gate', 'lower'], /^editscope replay: --gate goes with --min-score\n$/],
      [['replay', '--set', 'set.jsonl', '--model', 'mock/good', '--min-score', '0.5', '--gate', 'upper'], /--gate must be one of score, lower/],
      [['replay', '--set', 'set.jsonl', '--model', 'mock/good', '--format', 'xml'], /--format must be one of text, json/],
      [['replay', '--set', 'src/sum.js', '--model', 'mock/good'], /eval set .*sum\.js has no task to replay/],
    ];
    for (const [args, re] of cases) {
      const x = await cli(args, { cwd: dir, env });
      assert.equal(x.code, 2, `${args.join(' ')}: ${x.stderr}`);
      assert.match(x.stderr.replace(/^editscope: warning:.*\n/gm, ''), re);
    }
  });

  it('replays a set that holds only the window of a file, saying its test cannot run', async () => {
    const windowOnly = join(dir, 'window-only.jsonl');
    const [first] = readEvalSet(join(dir, 'set.jsonl'));
    writeFileSync(windowOnly, JSON.stringify({ ...first, original: null }) + '\n');
    const r = await cli(['replay', '--set', windowOnly, '--log', 'window.jsonl', '--model', 'mock/good', '--format', 'json', '--run-tests'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /task .* holds only the window of src\/sum\.js, so its test cannot run \(not counted\)/);
    assert.deepEqual(pick(JSON.parse(r.stdout).models[0]), { tasks: 1, scopeScore: 1, styleScore: 1, referenceScore: 1, testPassRate: null, score: 1 });
  });

  it('sends nothing more once cancelled, and counts what it did not start as not graded', async () => {
    const set = readEvalSet(join(dir, 'set.jsonl'));
    const providers = createProviders(loadProvidersConfig(dir, undefined, env), env);
    const before = server.requests.length;
    const result = await replaySet(set, { set: 'set.jsonl', models: ['mock/good'], providers, logPath: join(dir, 'cancelled.jsonl'), signal: AbortSignal.abort() });
    assert.equal(server.requests.length, before);
    assert.deepEqual([result.models[0].tasks, result.models[0].notGraded], [0, { cancelled: 2 }]);
  });

  it('runs a test command in a temporary copy of the files, with a time limit and without keys', async () => {
    const files = { file: 'src/a.js', contextFiles: [{ path: 'lib/b.js', sha256: '', text: 'module.exports = 2;\n' }, { path: '../escape.js', sha256: '', text: 'x\n' }] };
    const pass = await runTest(files, 'module.exports = require("../lib/b.js") + 1;\n', { command: `node -e "process.exit(require('./src/a.js') === 3 ? 0 : 4)"`, timeoutSeconds: 20 }, { env: process.env });
    assert.deepEqual(pass, { passed: true, exitCode: 0, timedOut: false, output: '' });
    const fail = await runTest(files, 'module.exports = 0;\n', { command: `node -e "console.log('checked'); process.exit(require('./src/a.js') === 3 ? 0 : 4)"`, timeoutSeconds: 20 }, { env: process.env });
    assert.deepEqual(fail, { passed: false, exitCode: 4, timedOut: false, output: 'checked\n' });
    const outside = await runTest(files, '', { command: 'node -e "process.exit(require(\'fs\').existsSync(\'_outside/escape.js\') && !require(\'fs\').existsSync(\'../escape.js\') ? 0 : 1)"', timeoutSeconds: 20 }, { env: process.env });
    assert.equal(outside.passed, true, 'a path leaving the folder is kept inside it');
    const keys = await runTest(files, '', { command: 'node -e "process.exit(process.env.SOME_API_KEY ? 1 : 0)"', timeoutSeconds: 20 }, { env: { ...process.env, SOME_API_KEY: 'sk-abcdefgh12345' } });
    assert.equal(keys.passed, true, 'key-shaped variables are not passed on');
    const started = Date.now();
    const slow = await runTest(files, '', { command: 'node -e "setTimeout(() => {}, 30000)" & node -e "setTimeout(() => {}, 30000)"; wait', timeoutSeconds: 1 }, { env: process.env });
    assert.deepEqual([slow.passed, slow.exitCode, slow.timedOut], [false, null, true]);
    assert.match(slow.output, /killed after 1 s/);
    assert.ok(Date.now() - started < 10_000, 'the whole process group is killed at the limit');
  });

  it('ends a test at its limit even when a process it started holds the output, and places files a and a/b without aborting', async () => {
    const files = { file: 'src/a.js', contextFiles: [{ path: 'a', sha256: '', text: 'file a\n' }, { path: 'a/b', sha256: '', text: 'file a/b\n' }] };
    const placed = await runTest(files, 'x\n', { command: 'cat a', timeoutSeconds: 20 }, { env: process.env });
    assert.equal(placed.passed, true, placed.output);
    assert.equal(placed.output, '(left out of the test folder, each clashing with a file of the same path: a/b)\nfile a\n');
    // A process in a session of its own is out of the group's reach; it holds stdout for 30 s.
    const started = Date.now();
    const held = await runTest(files, '', { command: 'setsid sleep 30 & sleep 30', timeoutSeconds: 1 }, { env: process.env });
    assert.deepEqual([held.passed, held.timedOut], [false, true]);
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    const left = Date.now();
    const done = await runTest({ file: 'src/a.js', contextFiles: [] }, '', { command: 'setsid sleep 30 & echo done', timeoutSeconds: 20 }, { env: process.env });
    assert.deepEqual([done.passed, done.exitCode, done.output], [true, 0, 'done\n'], 'a test that ended is graded when it ends, not when what it left behind does');
    assert.ok(Date.now() - left < 5_000, `took ${Date.now() - left} ms`);
  });
});

function pick(m: Record<string, unknown>) {
  const { tasks, scopeScore, styleScore, referenceScore, testPassRate, score } = m;
  return { tasks, scopeScore, styleScore, referenceScore, testPassRate, score };
}
