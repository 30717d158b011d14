import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runModels } from '../../src/core/edit/runModels';
import { createTask } from '../../src/core/task/createTask';
import { readEvalSet } from '../../src/core/evalset/read';
import { runTest } from '../../src/core/evalset/runTest';
import { readLog } from '../../src/core/log/evalLog';
import type { GradeRecord } from '../../src/core/log/records';
import { createProviders } from '../../src/core/providers/registry';
import { reportFromLog } from '../../src/core/report/compute';
import { renderReportHtml } from '../../src/core/report/html';
import { startMockModelServer, type MockModelServer } from '../fixtures/mockModelServer';
import { cli } from './cliHarness';
import { SAMPLE } from './edit.fanout.test';

describe('hostile servers: error kinds and figures', () => {
  let server: MockModelServer;
  const task = () => createTask({ file: 'src/sample.ts', original: SAMPLE, range: { start: 13, end: 18 }, instruction: 'Mark it' });
  const providers = (extra: Record<string, unknown> = {}) => createProviders([{ id: 'm', baseUrl: server.url, retryBaseMs: 10, ...extra }], {});
  before(async () => {
    server = await startMockModelServer();
  });
  after(() => server.close());

  it('calls a stream that stalls past the limit a timeout, and one stopped by the user cancelled', async () => {
    const [stalled] = await runModels(task(), ['m/stall'], { providers: providers(), timeoutMs: 300 });
    assert.deepEqual(stalled.error, { kind: 'timeout', message: 'No complete answer within 0.3 s' });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 200);
    const [cancelled] = await runModels(task(), ['m/stall'], { providers: providers(), timeoutMs: 10_000, signal: stop.signal });
    assert.equal(cancelled.error?.kind, 'cancelled');
  });

  it('blames the server, not the model, for an HTML page sent to a streaming request', async () => {
    const before = server.requests.length;
    const [html] = await runModels(task(), ['m/html'], { providers: providers({ maxRetries: 0 }) });
    assert.deepEqual(html.error, { kind: 'server', message: 'Not a stream: the server answered a streaming request with text/html (status 200)' });
    assert.equal(server.requests.length - before, 1);
    const [whole] = await runModels(task(), ['m/html'], { providers: providers({ maxRetries: 0, stream: false }) });
    assert.equal(whole.error?.kind, 'server');
  });

  it('blames the server, not the model, for a stream broken off before the model finished', async () => {
    for (const format of ['whole', 'search-replace'] as const) {
      const [cut] = await runModels(task(), ['m/cut'], { providers: providers({ maxRetries: 0 }), editFormat: format });
      assert.equal(cut.ok, false, format);
      assert.deepEqual(cut.error, { kind: 'server', message: 'The stream broke off before the answer was finished (no finish reason)' });
    }
  });

  it('calls a 400 a refused request, and does not retry it', async () => {
    const before = server.requests.length;
    const [r] = await runModels(task(), ['m/bad-request'], { providers: providers({ maxRetries: 3 }) });
    assert.deepEqual(r.error, { kind: 'request', message: "Request refused (400): Invalid value for 'temperature'" });
    assert.equal(server.requests.length - before, 1);
  });

  it('keeps usage figures that are not token counts out of the result, the log and the report', async () => {
    for (const stream of [true, false]) {
      const results = await runModels(task(), ['m/usage-string', 'm/usage-negative', 'm/usage-huge'], { providers: providers({ stream, prices: { 'usage-string': { inputPerMTok: 1, outputPerMTok: 1 } } }) });
      for (const r of results) {
        assert.equal(r.ok, true, r.error?.message);
        assert.equal(r.usage, null, `${r.model} (stream ${stream})`);
        assert.equal(r.costUsd, null);
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'editscope-usage-'));
    writeFileSync(join(dir, 'a.ts'), SAMPLE);
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ providers: [{ id: 'm', baseUrl: server.url }] }));
    const r = await cli(['edit', '--file', 'a.ts', '--range', '13-18', '--instruction', 'x', '--model', 'm/usage-string', '--model', 'm/usage-huge', '--config', cfg, '--log', 'log.jsonl'], { cwd: dir, env: {} });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('<img') && !r.stdout.includes('e+308'));
    const report = reportFromLog(join(dir, 'log.jsonl'));
    assert.deepEqual(report.models.map((m) => [m.inputTokens, m.outputTokens]), [[0, 0], [0, 0]]);
    const html = renderReportHtml(report, { nonce: 'abcdefgh12345678' });
    assert.ok(!html.includes('<img'));
  });
});

describe('replay under hostile servers and sets', () => {
  let server: MockModelServer;
  let dir: string;
  let setPath: string;
  const env = () => ({ XDG_CONFIG_HOME: join(dir, 'xdg') });
  before(async () => {
    server = await startMockModelServer();
    dir = mkdtempSync(join(tmpdir(), 'editscope-replay-hostile-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'sample.ts'), SAMPLE);
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ providers: [{ id: 'm', baseUrl: server.url, maxRetries: 0 }] }));
    for (const range of ['13-18', '8-11']) {
      const r = await cli(['edit', '--file', 'src/sample.ts', '--range', range, '--instruction', 'Mark it', '--model', 'm/good', '--config', 'cfg.json', '--log', 'source.jsonl'], { cwd: dir, env: env() });
      assert.equal(r.code, 0, r.stderr);
    }
    const exp = await cli(['export', '--to', 'evalset', '--log', 'source.jsonl', '--out', 'set.jsonl'], { cwd: dir, env: env() });
    assert.equal(exp.code, 0, exp.stderr);
    setPath = join(dir, 'set.jsonl');
  });
  after(() => server.close());
  const run = (set: string, log: string, model: string, extra: string[] = []) =>
    cli(['replay', '--set', set, '--log', log, '--model', model, '--config', 'cfg.json', '--format', 'json', '--timeout', '0.3', ...extra], { cwd: dir, env: env() });

  it('leaves a timed-out answer ungraded (not a 0), so resuming sends it again', async () => {
    const stalled = await run(setPath, 'timeout.jsonl', 'm/stall');
    assert.equal(stalled.code, 1);
    const m = JSON.parse(stalled.stdout).models[0];
    assert.deepEqual([m.tasks, m.score, m.notGraded], [0, null, { timeout: 2 }]);
    const grades: GradeRecord[] = [];
    readLog(join(dir, 'timeout.jsonl'), { onGrade: (g) => grades.push(g) });
    assert.deepEqual(grades, [], 'no permanent 0 recorded');
    const before = server.requests.length;
    const again = await run(setPath, 'timeout.jsonl', 'm/stall');
    assert.equal(server.requests.length - before, 2);
    assert.deepEqual(JSON.parse(again.stdout).models[0].resumed, 0);
  });

  it('resumes only from grades of the same task content, not of another set sharing its ids', async () => {
    const first = await run(setPath, 'resume.jsonl', 'm/good');
    assert.equal(first.code, 0, first.stderr);
    // Another set: the same ids, different instructions (a different task).
    const other = join(dir, 'other.jsonl');
    writeFileSync(other, readFileSync(setPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.stringify({ ...JSON.parse(l), instruction: 'Something else entirely' })).join('\n') + '\n');
    const before = server.requests.length;
    const again = await run(other, 'resume.jsonl', 'm/good');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(server.requests.length - before, 2, 'both tasks sent: the earlier grades were of other tasks');
    assert.equal(JSON.parse(again.stdout).models[0].resumed, 0);
    const same = await run(setPath, 'resume.jsonl', 'm/good');
    assert.equal(server.requests.length - before, 2, 'the first set resumes from its own grades');
    assert.equal(JSON.parse(same.stdout).models[0].resumed, 2);
  });

  it('runs the tests on resume with --run-tests when the earlier grades were made without them', async () => {
    const lines = readFileSync(setPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const tested = join(dir, 'tested.jsonl');
    writeFileSync(tested, lines.map((t) => JSON.stringify({ ...t, graders: { ...t.graders, test: { command: 'node -e "process.exit(0)"', timeoutSeconds: 20 } } })).join('\n') + '\n');
    const without = await run(tested, 'tested-log.jsonl', 'm/good');
    assert.equal(without.code, 0, without.stderr);
    assert.equal(JSON.parse(without.stdout).models[0].testPassRate, null);
    const before = server.requests.length;
    const withTests = await run(tested, 'tested-log.jsonl', 'm/good', ['--run-tests']);
    assert.equal(withTests.code, 0, withTests.stderr);
    assert.equal(server.requests.length - before, 2, 'both tasks sent again: their grades had no test result');
    const m = JSON.parse(withTests.stdout).models[0];
    assert.deepEqual([m.resumed, m.testPassRate], [0, 1]);
    // And the graded-with-tests run is what a later --run-tests resumes from.
    const again = await run(tested, 'tested-log.jsonl', 'm/good', ['--run-tests']);
    assert.equal(server.requests.length - before, 2);
    assert.deepEqual([JSON.parse(again.stdout).models[0].resumed, JSON.parse(again.stdout).models[0].testPassRate], [2, 1]);
  });

  it('skips a bad task with a warning and replays the rest', async () => {
    const lines = readFileSync(setPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, [{ ...lines[0], id: 'null-context', contextFiles: [null] }, { ...lines[0], id: 'blank', instruction: '   ' }, { ...lines[0], id: 'outside', ranges: [{ start: 900, end: 901 }], window: { start: 1, end: 901 } }, lines[1]].map((x) => JSON.stringify(x)).join('\n') + '\n');
    const r = await run(bad, 'bad-log.jsonl', 'm/good');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /line 1: task null-context has a context file without its path or text \(skipped\)/);
    assert.match(r.stderr, /line 2: task blank has a blank instruction \(skipped\)/);
    assert.match(r.stderr, /task outside skipped: range 900-901 is outside src\/sample\.ts/);
    assert.deepEqual([JSON.parse(r.stdout).tasks, JSON.parse(r.stdout).models[0].tasks], [1, 1]);
    assert.equal(readEvalSet(bad).length, 2);
    const before = readFileSync(bad);
    const onto = await run(bad, 'bad.jsonl', 'm/good');
    assert.equal(onto.code, 2);
    assert.equal(onto.stderr, 'editscope replay: --log bad.jsonl is the eval set itself; name another file\n');
    assert.deepEqual(readFileSync(bad), before);
  });

  it('skips a task whose editable files are the wrong shape, or a line that is not UTF-8, and replays the rest', async () => {
    const lines = readFileSync(setPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const bad = join(dir, 'bad-edit-files.jsonl');
    const shapes = [[null], ['src/x.ts'], [{ path: 7, text: 'x\n', range: null, reference: null }], [{ path: 'src/x.ts', text: null, range: null, reference: null }], [{ path: 'src/x.ts', text: 'x\n', range: 'all', reference: null }], { path: 'src/x.ts' }];
    const rows = shapes.map((editFiles, i) => JSON.stringify({ ...lines[0], id: `shape-${i}`, editFiles }));
    writeFileSync(bad, Buffer.concat([Buffer.from(rows.join('\n') + '\n'), Buffer.from(JSON.stringify({ ...lines[0], id: 'latin1', instruction: 'Mark it, caf\u00e9' }) + '\n', 'latin1'), Buffer.from(JSON.stringify(lines[1]) + '\n')]));
    const r = await run(bad, 'bad-edit-files-log.jsonl', 'm/good');
    assert.equal(r.code, 0, r.stderr);
    for (let i = 0; i < shapes.length; i++) assert.match(r.stderr, new RegExp(`line ${i + 1}: task shape-${i} has editable files without a path, text or valid range \\(skipped\\)`));
    assert.match(r.stderr, new RegExp(`line ${shapes.length + 1}: not UTF-8 \\(.*skipped\\)`));
    assert.deepEqual([JSON.parse(r.stdout).tasks, JSON.parse(r.stdout).models[0].tasks], [1, 1]);
  });

  it('lets a test with a limit past what a timer holds run to its end, not kill it at once', async () => {
    const r = await runTest({ file: 'a.js', contextFiles: [] }, '', { command: 'node -e "setTimeout(() => process.exit(0), 200)"', timeoutSeconds: 1e7 }, { env: { PATH: process.env.PATH } });
    assert.deepEqual([r.passed, r.timedOut], [true, false], r.output);
  });

  it('keeps a key in use out of a test command, whatever its variable is called', async () => {
    const files = { file: 'a.js', contextFiles: [] };
    const r = await runTest(files, '', { command: 'node -e "process.exit(process.env.PLAIN ? 1 : 0)"', timeoutSeconds: 20 }, { env: { PATH: process.env.PATH, PLAIN: 'sk-in-use-123456789' }, secrets: ['sk-in-use-123456789'] });
    assert.equal(r.passed, true);
  });
});
