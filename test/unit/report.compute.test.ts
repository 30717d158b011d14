import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportFromLog, isoWeek, percentile } from '../../src/core/report/compute';
import { renderReportHtml, weeksBetween } from '../../src/core/report/html';
import { cli } from './cliHarness';

type Drift = string[];
function result(model: string, r: { ok?: boolean; oos?: number; drift?: Drift; latency: number; usage?: [number, number] | null; cost?: number | null; error?: string }) {
  const ok = r.ok ?? true;
  return {
    model,
    provider: 'mock',
    parameters: {},
    ok,
    error: ok ? null : { kind: r.error ?? 'server', message: 'failed' },
    output: ok ? 'x\n' : null,
    analysis: ok ? { hunks: [], outOfScopeHunks: r.oos ?? 0, styleDrift: (r.drift ?? []).map((rule, i) => ({ rule, line: i + 1, message: rule })) } : null,
    latencyMs: r.latency,
    ttftMs: null,
    usage: r.usage === null ? null : r.usage ? { inputTokens: r.usage[0], outputTokens: r.usage[1] } : null,
    costUsd: r.cost ?? null,
    retries: 0,
  };
}
function task(id: string, time: string, locality: 'local' | 'cross-file', results: unknown[]) {
  return {
    schemaVersion: 1, kind: 'task', id, time, file: 'src/a.ts', fileHash: 'h', language: 'typescript', ranges: [{ start: 1, end: 2 }],
    instruction: 'do it', window: { start: 1, end: 3 }, windowText: 'a\nb\nc\n', contextFiles: [], locality,
    promptTemplate: { id: 'editscope-whole', version: 1 }, results,
  };
}
const verdict = (taskId: string, model: string, accepted: string) => ({ schemaVersion: 1, kind: 'verdict', time: '2026-11-25T00:00:00Z', taskId, model, accepted });

/**
 * Three tasks, two models, two weeks, one damaged line. Expected values are worked out by hand
 * in the comments of each assertion.
 */
const LINES = [
  task('t1', '2026-11-16T09:00:00.000Z', 'local', [
    result('A', { oos: 2, drift: ['quotes', 'quotes', 'indent'], latency: 100, usage: [10, 5], cost: 0.25 }),
    result('B', { latency: 300, usage: [20, 10] }),
  ]),
  verdict('t1', 'A', 'none'),
  task('t2', '2026-11-18T09:00:00.000Z', 'cross-file', [
    result('A', { latency: 200, usage: [10, 5], cost: 0.5 }),
    result('B', { ok: false, error: 'timeout', latency: 5000, usage: null }),
  ]),
  '{"schemaVersion":1,"kind":"verdict","taskId":"t2","mo',
  task('t3', '2026-11-24T09:00:00.000Z', 'local', [
    result('A', { oos: 1, drift: ['naming'], latency: 400, usage: [10, 5], cost: 0.125 }),
    result('B', { drift: ['semicolons'], latency: 500, usage: [30, 15] }),
  ]),
  verdict('t1', 'A', 'in-scope'),
  verdict('t1', 'B', 'all'),
  verdict('t2', 'A', 'none'),
  verdict('t3', 'B', 'all'),
  verdict('zz', 'A', 'all'),
].map((l) => (typeof l === 'string' ? l : JSON.stringify(l)));

describe('editscope report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'editscope-report-'));
  const log = join(dir, 'evals.jsonl');
  writeFileSync(log, LINES.join('\n') + '\n');

  it('computes every figure exactly on a hand-made log', () => {
    const warnings: string[] = [];
    const r = reportFromLog(log, { onWarning: (w) => warnings.push(w.message) });
    assert.deepEqual(warnings, ['line 4: not a complete JSON record (skipped)']);
    assert.equal(r.tasks, 3);
    assert.equal(r.verdicts, 4, '(t1,A) (t1,B) (t2,A) (t3,B)');
    assert.equal(r.unmatchedVerdicts, 1, 'zz is not in the log');
    assert.equal(r.skippedLines, 1);
    assert.deepEqual([r.from, r.to], ['2026-11-16T09:00:00.000Z', '2026-11-24T09:00:00.000Z']);
    const [a, b] = r.models;
    assert.equal(a.model, 'A');
    // A: three usable results; t1 and t3 have out-of-scope hunks (2 and 1).
    assert.equal(a.tasks, 3);
    assert.equal(a.ok, 3);
    assert.equal(a.outOfScopeRate, 2 / 3);
    assert.equal(a.outOfScopeHunksPerResult, 1, '(2 + 0 + 1) / 3');
    assert.equal(a.styleDriftRate, 2 / 3, 't1 and t3 drift');
    assert.deepEqual(a.styleDriftByRule, { indent: 1 / 3, quotes: 1 / 3, naming: 1 / 3 }, 'two quotes findings in one result count once');
    // Verdicts: t1 none then in-scope (the latest counts), t2 none: 1 accepted of 2 judged.
    assert.deepEqual(a.verdicts, { all: 0, inScope: 1, picked: 0, none: 1, reverted: 0 });
    assert.equal(a.acceptRate, 0.5);
    // Latencies 100, 200, 400: p50 is the 2nd (ceil(1.5)), p95 the 3rd (ceil(2.85)).
    assert.equal(a.latencyMsP50, 200);
    assert.equal(a.latencyMsP95, 400);
    assert.deepEqual([a.inputTokens, a.outputTokens], [30, 15]);
    assert.equal(a.costUsd, 0.875);
    assert.deepEqual(a.errors, {});
    // A local (t1, t3): both out of scope, 1.5 hunks each; t1 accepted in-scope.
    const al = a.byLocality.local;
    assert.deepEqual([al.tasks, al.ok, al.outOfScopeRate, al.outOfScopeHunksPerResult, al.styleDriftRate, al.acceptRate, al.latencyMsP50, al.latencyMsP95], [2, 2, 1, 1.5, 1, 1, 100, 400]);
    // A cross-file (t2): clean, rejected.
    const ac = a.byLocality['cross-file'];
    assert.deepEqual([ac.tasks, ac.outOfScopeRate, ac.styleDriftRate, ac.acceptRate, ac.latencyMsP50, ac.costUsd], [1, 0, 0, 0, 200, 0.5]);
    // Weeks: t1 and t2 in 2026-W47, t3 in 2026-W48.
    assert.deepEqual(Object.keys(a.byWeek), ['2026-W47', '2026-W48']);
    assert.deepEqual([a.byWeek['2026-W47'].tasks, a.byWeek['2026-W47'].outOfScopeRate, a.byWeek['2026-W47'].acceptRate], [2, 0.5, 0.5]);
    assert.deepEqual([a.byWeek['2026-W48'].tasks, a.byWeek['2026-W48'].outOfScopeRate, a.byWeek['2026-W48'].acceptRate], [1, 1, null]);

    assert.equal(b.model, 'B');
    // B: t2 timed out, so two usable results; no out-of-scope hunks; t3 drifts.
    assert.deepEqual([b.tasks, b.ok, b.outOfScopeRate, b.outOfScopeHunksPerResult, b.styleDriftRate], [3, 2, 0, 0, 0.5]);
    assert.deepEqual(b.styleDriftByRule, { semicolons: 0.5 });
    assert.deepEqual(b.errors, { timeout: 1 });
    assert.equal(b.acceptRate, 1, 't1 all, t3 all');
    // Usable latencies 300, 500 (the timeout's 5000 is not a latency of an edit).
    assert.deepEqual([b.latencyMsP50, b.latencyMsP95], [300, 500]);
    assert.deepEqual([b.inputTokens, b.outputTokens], [50, 25]);
    assert.equal(b.costUsd, null, 'no result of B has a price');
    assert.deepEqual([b.byLocality['cross-file'].ok, b.byLocality['cross-file'].outOfScopeRate], [0, null]);
  });

  it('nearest-rank percentiles and ISO weeks at the year boundary', () => {
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), 5);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95), 10);
    assert.equal(percentile([7], 95), 7);
    assert.equal(percentile([], 50), null);
    assert.equal(isoWeek('2027-01-01T12:00:00Z'), '2026-W53');
    assert.equal(isoWeek('2026-11-22T23:59:00Z'), '2026-W47', 'Sunday ends the week');
    assert.equal(isoWeek('2026-11-23T00:00:00Z'), '2026-W48');
    assert.deepEqual(weeksBetween('2026-W52', '2027-W02'), ['2026-W52', '2026-W53', '2027-W01', '2027-W02'], 'a quiet week stays on the time axis');
  });

  it('prints JSON in the contract shape, and text tables, warning about the damaged line on stderr', async () => {
    const j = await cli(['report', '--log', log, '--format', 'json']);
    assert.equal(j.code, 0);
    assert.match(j.stderr, /warning: .*evals\.jsonl line 4: not a complete JSON record/);
    const json = JSON.parse(j.stdout);
    assert.deepEqual(Object.keys(json.models[0]).slice(0, 7), ['model', 'tasks', 'ok', 'outOfScopeRate', 'styleDriftRate', 'acceptRate', 'latencyMsP50']);
    assert.deepEqual(Object.keys(json.models[0].byLocality), ['local', 'cross-file', 'multi-file']);
    assert.equal(json.models[1].byLocality.local.acceptRate, 1);
    // Every rate and score of every slice has its interval and its n, whatever fields are added later.
    const COUNTS = new Set(['tasks', 'ok', 'keptMeasured', 'inputTokens', 'outputTokens', 'costUsd']);
    const slices = json.models.flatMap((m: any) => [m, m.byLocality.local, m.byLocality['cross-file'], m.byLocality['cross-file'].withContext, m.byLocality['multi-file'], ...Object.values(m.byWeek)]);
    for (const s of slices) {
      const figures = Object.entries(s).filter(([k, v]) => !COUNTS.has(k) && (typeof v === 'number' || v === null)).map(([k]) => k);
      figures.push(...Object.keys(s.styleDriftByRule).map((r) => `styleDriftByRule.${r}`), ...Object.keys(s.keptByCheckpoint).map((c) => `keptByCheckpoint.${c}`));
      assert.ok(figures.includes('outOfScopeRate') && figures.includes('latencyMsP95'));
      for (const f of figures) {
        assert.ok(f in s.ci && f in s.n, `${f} has no ci or n`);
        const v = f.includes('.') ? s[f.split('.')[0]][f.split('.')[1]] : s[f];
        if (v === null) assert.equal(s.ci[f], null);
        else if (s.ci[f] === null) assert.ok(s.n[f] < 2 && f === 'outOfScopeHunksPerResult', `${f}: a mean of one count has no interval, nothing else lacks one`);
        else assert.ok(s.ci[f][0] <= v && v <= s.ci[f][1], `${f} ${v} outside ${s.ci[f]}`);
      }
    }
    // A: outOfScopeRate 2 of 3 usable results (Wilson [0.2077, 0.9385], scipy); acceptRate 1 of 2 judged.
    assert.deepEqual(json.models[0].n.outOfScopeRate, 3);
    assert.ok(Math.abs(json.models[0].ci.outOfScopeRate[0] - 0.20765960080204765) < 1e-9 && Math.abs(json.models[0].ci.outOfScopeRate[1] - 0.9385080552796037) < 1e-9);
    assert.deepEqual(json.models[0].n.acceptRate, 2);

    const t = await cli(['report', '--log', log]);
    assert.equal(t.code, 0);
    assert.match(t.stdout, /^3 tasks in .*evals\.jsonl, 2026-11-16 to 2026-11-24; 4 verdicts/);
    // Wilson intervals (three independent tasks: different content): 2 of 3 is [20.8, 93.9], 1 of 2 [9.5, 90.5].
    assert.match(t.stdout, /\nA\s+all\s+3\s+3\s+66\.7% \[20\.8, 93\.9\]\s+66\.7% \[20\.8, 93\.9\]\s+1\.00 \[0\.00, 3\.48\]\s+66\.7% \[20\.8, 93\.9\]\s+50\.0% \[9\.5, 90\.5\] of 2\s+—\s+200 ms\s+400 ms\s+30\/15\s+\$0\.8750\n/);
    assert.match(t.stdout, /\n\s+cross-file\s+1\s+1\s+0\.0% \[0\.0, 79\.3\]\s+0\.0% \[0\.0, 79\.3\]/);
    assert.match(t.stdout, /A: indent 33\.3% \[6\.1, 79\.2\], quotes 33\.3% \[6\.1, 79\.2\], naming 33\.3% \[6\.1, 79\.2\]/);
    assert.match(t.stdout, /B: timeout 1/);
    assert.match(t.stdout, /By week:[\s\S]*2026-W48/);
    assert.match(t.stdout, /1 verdict names a task or model not in the log/);
  });

  it('writes a self-contained HTML page with charts, a strict CSP and every log string escaped', async () => {
    const evil = join(dir, 'evil.jsonl');
    const name = '<img src=x onerror=alert(1)>"\'&';
    writeFileSync(evil, JSON.stringify(task('e1', '2026-11-16T09:00:00.000Z', 'local', [result(name, { oos: 1, latency: 10 })])) + '\n' + JSON.stringify(task('e2', '2026-11-24T09:00:00.000Z', 'cross-file', [result(name, { latency: 10 })])) + '\n');
    const out = join(dir, 'report.html');
    const r = await cli(['report', '--log', evil, '--format', 'html', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Wrote the html report of 2 tasks to .*report\.html/);
    const html = readFileSync(out, 'utf8');
    assert.ok(!html.includes('<img'), 'the model name is escaped');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;'));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1].replace(/&#39;/g, "'");
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    assert.match(csp, /^default-src 'none'; style-src 'nonce-/);
    assert.ok(!/<script/i.test(html), 'no script at all');
    assert.ok(!/ style="/.test(html), 'no inline style attribute');
    for (const m of html.matchAll(/<style([^>]*)>/g)) assert.equal(m[1], ` nonce="${nonce}"`);
    assert.ok(!/(src|href)="(https?:)?\/\//.test(html), 'nothing loaded from elsewhere');
    assert.equal((html.match(/<div class="chart /g) ?? []).length, 3, 'per model, local vs cross-file, over time');
    assert.match(html, /<polyline|<circle/);
    // A fresh nonce each run.
    await cli(['report', '--log', evil, '--format', 'html', '--out', out]);
    assert.ok(!readFileSync(out, 'utf8').includes(nonce));
    assert.throws(() => renderReportHtml(reportFromLog(evil), { nonce: "abc' 'unsafe-inline" }), /nonce/);
    assert.match(renderReportHtml(reportFromLog(evil), { nonce: 'abcdefgh12', cspSource: 'vscode-webview://x' }), /img-src vscode-webview:\/\/x data:/);
  });

  it('gives the irrelevant-edit rate per model: supporting hunks never count, tests only with --count-tests', async () => {
    const hunk = (scope: string, reason = 'r', link?: { kind: string; names: string[] }) => ({ originalStart: 1, originalLines: 1, editedStart: 1, editedLines: 1, scope, whitespaceOnly: false, reason, ...(link ? { link } : {}) });
    const withHunks = (model: string, hunks: unknown[], files?: unknown[]) => {
      const r = result(model, { latency: 10, oos: hunks.filter((h) => (h as { scope: string }).scope === 'out').length });
      r.analysis!.hunks = hunks as never;
      return files ? { ...r, files } : r;
    };
    const testFile = { file: 'tests/test_a.py', role: 'edit', output: 'x\n', analysis: { hunks: [hunk('supporting', 'test', { kind: 'test', names: ['f'] })], outOfScopeHunks: 0, styleDrift: [] } };
    const lines = [
      task('u1', '2026-11-16T09:00:00.000Z', 'local', [withHunks('A', [hunk('in'), hunk('supporting', 'imports json', { kind: 'import', names: ['json'] })]), withHunks('B', [hunk('in'), hunk('out')])]),
      task('u2', '2026-11-16T10:00:00.000Z', 'local', [withHunks('A', [hunk('in')], [testFile]), withHunks('B', [hunk('in')])]),
      task('u3', '2026-11-16T11:00:00.000Z', 'local', [withHunks('A', [hunk('in')]), result('B', { ok: false, latency: 1 })]),
    ];
    const p = join(dir, 'irrelevant.jsonl');
    writeFileSync(p, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const rate = (r: ReturnType<typeof reportFromLog>, m: string) => r.models.find((x) => x.model === m)!.irrelevantEditRate;
    // A: no out hunk in 3 usable results (a supporting import, a supporting test); B: 1 of 2 usable.
    assert.equal(rate(reportFromLog(p), 'A'), 0);
    assert.equal(rate(reportFromLog(p), 'B'), 0.5);
    assert.equal(rate(reportFromLog(p, { countTests: true }), 'A'), 1 / 3);
    const j = JSON.parse((await cli(['report', '--log', p, '--format', 'json', '--count-tests'])).stdout);
    assert.equal(j.testsIrrelevant, true);
    assert.equal(j.models.find((m: { model: string }) => m.model === 'A').irrelevantEditRate, 1 / 3);
    const t = (await cli(['report', '--log', p])).stdout;
    assert.match(t, /\nB\s+all\s+3\s+2\s+50\.0%/);
    assert.match(t, /supporting hunks \(imports, helpers, call sites the change needs\) and tests of the changed code do not count/);
    assert.match(renderReportHtml(reportFromLog(p), { nonce: 'abcdefgh12' }), /<th[^>]*>irrelevant<\/th>/);
  });

  it('exits 2 with one line for a missing log or a bad format', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['report', '--log', join(dir, 'none.jsonl')], /^editscope report: eval log .*none\.jsonl does not exist\n$/],
      [['report', '--log', log, '--format', 'pdf'], /^editscope report: --format must be one of text, json, html \(got "pdf"\)\n$/],
      [['report', '--log', log, 'extra'], /^editscope report: unexpected argument "extra"\n$/],
      [['report', '--log', log, '--out', dir], /^editscope report: cannot write .*: it is a folder\n$/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr.replace(/^editscope: warning:.*\n/gm, ''), re);
    }
  });
});
