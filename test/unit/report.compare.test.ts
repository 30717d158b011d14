import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../src/core/stats/random';
import { cli } from './cliHarness';

interface Outcome {
  oos: boolean;
  drift?: boolean;
  latency?: number;
}

function result(model: string, o: Outcome) {
  return {
    model, provider: 'mock', parameters: {}, ok: true, error: null, output: '',
    analysis: { hunks: [], outOfScopeHunks: o.oos ? 1 : 0, styleDrift: o.drift ? [{ rule: 'quotes', line: 1, message: 'q' }] : [] },
    latencyMs: o.latency ?? 500, ttftMs: null, usage: null, costUsd: null, retries: 0,
  };
}

function task(id: string, n: number, time: string, results: unknown[]) {
  return {
    schemaVersion: 2, kind: 'task', id, time, file: `src/f${n}.ts`, fileHash: `h${n}`, language: 'typescript', ranges: [{ start: 1, end: 4 }],
    instruction: `task ${n}`, window: { start: 1, end: 9 }, windowText: '', contextFiles: [], dependsOn: [], editFiles: [], locality: 'local',
    promptTemplate: { id: 'editscope-whole', version: 1 }, results,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'editscope-compare-'));
function writeLog(name: string, records: unknown[]): string {
  const p = join(dir, name);
  writeFileSync(p, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return p;
}

/** Each task: A goes out of scope with probability pa, B with pb, through a shared task difficulty (so the pairs are correlated, as real ones are). */
function simulated(tasks: number, pa: number, pb: number, seed: number): unknown[] {
  const random = seededRandom(seed);
  return Array.from({ length: tasks }, (_, i) => {
    const u = random();
    const shared = random() < 0.5;
    const a = shared ? u < pa : random() < pa;
    const b = shared ? u < pb : random() < pb;
    return task(`t${i}`, i, '2026-11-20T10:00:00.000Z', [result('mock/a', { oos: a, drift: random() < 0.3 }), result('mock/b', { oos: b, drift: random() < 0.3 })]);
  });
}

describe('editscope compare', function () {
  this.timeout(60_000);

  it('finds a real 10-point difference in scope on 400 paired tasks, and says so as a finding', async () => {
    const log = writeLog('real.jsonl', simulated(400, 0.3, 0.2, 1));
    const j = await cli(['compare', '--log', log, '--model', 'mock/a', '--model', 'mock/b', '--format', 'json']);
    assert.equal(j.code, 0, j.stderr);
    const c = JSON.parse(j.stdout);
    assert.deepEqual([c.a, c.b, c.tasks], ['mock/a', 'mock/b', 400]);
    const scope = c.metrics.find((m: { name: string }) => m.name === 'outOfScopeRate');
    assert.deepEqual(Object.keys(scope).slice(0, 7), ['name', 'a', 'b', 'diff', 'ci', 'p', 'mde']);
    assert.equal(scope.n, 400);
    assert.ok(scope.diff < -0.05 && scope.ci[1] < 0 && scope.p < 0.05, JSON.stringify(scope));
    assert.equal(scope.better, 'b');
    assert.ok(scope.mde > 0.02 && scope.mde < 0.1, `mde ${scope.mde}`);
    // Style drift was drawn at the same rate for both: nothing found there.
    assert.equal(c.metrics.find((m: { name: string }) => m.name === 'styleDriftRate').better, null);
    assert.ok(c.metrics.some((m: { name: string }) => m.name === 'styleDriftByRule.quotes'));

    const t = await cli(['compare', '--log', log, '--model', 'mock/a', '--model', 'mock/b']);
    assert.match(t.stdout, /mock\/b is better at scope by \d+(\.\d)? points \[\d+(\.\d)?, \d+(\.\d)?\]/);
    assert.match(t.stdout, /style: no difference detectable below \d+(\.\d)? points/);
  });

  it('calls no difference on 60 tasks with equal rates', async () => {
    let found = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const log = writeLog(`equal${seed}.jsonl`, simulated(60, 0.3, 0.3, 100 + seed));
      const c = JSON.parse((await cli(['compare', '--log', log, '--model', 'mock/a', '--model', 'mock/b', '--format', 'json'])).stdout);
      if (c.metrics.find((m: { name: string }) => m.name === 'outOfScopeRate').better !== null) found++;
    }
    // At most the 5% a 95% test allows by chance (1 of 20), and here none.
    assert.ok(found <= 1, `a difference was found in ${found} of 20 sets with equal rates`);
  });

  it("gives McNemar's exact p for the discordant pairs (3 one way, 12 the other: p = 0.03515625, scipy)", async () => {
    const records = [];
    for (let i = 0; i < 40; i++) {
      // 3 tasks only A overreaches on, 12 only B, the rest agree.
      const a = i < 3 || (i >= 15 && i < 25);
      const b = (i >= 3 && i < 15) || (i >= 15 && i < 25);
      records.push(task(`m${i}`, i, '2026-11-20T10:00:00.000Z', [result('A', { oos: a }), result('B', { oos: b })]));
    }
    const c = JSON.parse((await cli(['compare', '--log', writeLog('mcnemar.jsonl', records), '--model', 'A', '--model', 'B', '--format', 'json'])).stdout);
    const scope = c.metrics.find((m: { name: string }) => m.name === 'outOfScopeRate');
    assert.ok(Math.abs(scope.p - 0.03515625) < 1e-9, String(scope.p));
    assert.ok(Math.abs(scope.diff - 9 / 40) < 1e-12, String(scope.diff));
  });

  it('compares one model before and since a date on the tasks it answered in both, and writes HTML with the intervals drawn', async () => {
    const records = [];
    for (let i = 0; i < 30; i++) {
      records.push(task(`old${i}`, i, '2026-10-01T10:00:00.000Z', [result('M', { oos: i % 2 === 0, latency: 900 })]));
      records.push(task(`new${i}`, i, '2026-11-20T10:00:00.000Z', [result('M', { oos: false, latency: 400 })]));
    }
    records.push(task('only-new', 99, '2026-11-21T10:00:00.000Z', [result('M', { oos: true })]));
    const log = writeLog('before.jsonl', records);
    const c = JSON.parse((await cli(['compare', '--log', log, '--model', 'M', '--before', '2026-11-01', '--format', 'json'])).stdout);
    assert.deepEqual([c.a, c.b, c.tasks], ['M before 2026-11-01', 'M since 2026-11-01', 30]);
    const scope = c.metrics.find((m: { name: string }) => m.name === 'outOfScopeRate');
    assert.deepEqual([scope.a, scope.b, scope.better], [0.5, 0, 'b']);
    assert.equal(c.metrics.find((m: { name: string }) => m.name === 'latencyMsP50').diff, -500);

    const out = join(dir, 'compare.html');
    const h = await cli(['compare', '--log', log, '--model', 'M', '--before', '2026-11-01', '--format', 'html', '--out', out]);
    assert.equal(h.code, 0, h.stderr);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<svg[\s\S]*class="whisker"/);
    assert.ok(!/<script/i.test(html));
    assert.match(html, /M since 2026-11-01 is better at scope by 50 points/);
  });

  it('exits 2 with one line for bad usage', async () => {
    const log = writeLog('usage.jsonl', simulated(5, 0.3, 0.3, 9));
    const cases: Array<[string[], RegExp]> = [
      [['compare', '--log', log, '--model', 'mock/a'], /give two models \(--model A --model B\), or one with --before <date>/],
      [['compare', '--log', log, '--model', 'mock/a', '--model', 'mock/a'], /two different models/],
      [['compare', '--log', log, '--model', 'mock/a', '--model', 'mock/b', '--before', '2026-11-01'], /--before compares one model with itself/],
      [['compare', '--log', log, '--model', 'mock/a', '--before', 'yesterday'], /--before must be a date \(2026-11-01\), an ISO time, or a span like 30d or 4w \(got "yesterday"\)/],
      [['compare', '--log', join(dir, 'missing.jsonl'), '--model', 'mock/a', '--model', 'mock/b'], /missing\.jsonl/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});
