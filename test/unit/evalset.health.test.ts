import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cliHarness';

/**
 * An eval set with planted problems, its workspace moved on since, and a log of replays and
 * verdicts: health must flag exactly the planted stale, saturated, separating and disputed tasks.
 */
const DAY = 86_400_000;
const NOW = Date.now();
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();
const lines = (i: number) => Array.from({ length: 10 }, (_, k) => `const v${i}_${k + 1} = ${k + 1};`);
const text = (ls: string[]) => ls.join('\n') + '\n';
const IDS = Array.from({ length: 10 }, (_, i) => `t${i}`);

function setTask(i: number, time: string) {
  return {
    schemaVersion: 1, kind: 'evalset-task', id: `t${i}`, time, file: `src/f${i}.ts`, language: 'typescript', fileHash: `h${i}`, original: null, totalLines: 10,
    window: { start: 1, end: 10 }, windowText: text(lines(i)), ranges: [{ start: 3, end: 6 }], instruction: `change ${i}`, contextFiles: [], locality: 'local',
    prompt: { template: { id: 'editscope-whole', version: 1 }, format: 'whole', contextLines: 0 }, reference: null,
    graders: { scope: true, style: true, reference: false, test: null },
  };
}

function logTask(id: string, i: number, time: string, results: Array<{ model: string; oos?: number; drift?: boolean }>, source?: string) {
  return {
    schemaVersion: 2, kind: 'task', id, time, file: `src/f${i}.ts`, fileHash: `h${i}`, language: 'typescript', ranges: [{ start: 3, end: 6 }], instruction: `change ${i}`,
    window: { start: 1, end: 10 }, windowText: text(lines(i)), totalLines: 10, contextFiles: [], dependsOn: [], editFiles: [], locality: 'local',
    promptTemplate: { id: 'editscope-whole', version: 1 }, ...(source ? { source } : {}),
    results: results.map((r) => ({
      model: r.model, provider: 'mock', parameters: { editFormat: 'whole' }, ok: true, error: null, output: text(lines(i)),
      analysis: { hunks: [], outOfScopeHunks: r.oos ?? 0, styleDrift: r.drift ? [{ rule: 'quotes', line: 4, message: 'q' }] : [] },
      latencyMs: 100, ttftMs: null, usage: null, costUsd: null, retries: 0,
    })),
  };
}

const grade = (task: string, model: string, score: number, time: string) => ({
  schemaVersion: 2, kind: 'grade', time, setTaskId: task, set: 'set.jsonl', taskId: `run-${task}-${model}`, model, ok: true, error: null,
  scope: score === 1 ? 1 : 0, style: 1, outOfScopeHunks: score === 1 ? 0 : 1, styleRules: [], reference: null, test: null, score,
});
const verdict = (taskId: string, model: string, accepted: string) => ({ schemaVersion: 2, kind: 'verdict', time: ago(1), taskId, model, accepted });

describe('editscope evalset health', () => {
  const dir = mkdtempSync(join(tmpdir(), 'editscope-health-'));
  before(() => {
    mkdirSync(join(dir, 'src'));
    for (let i = 0; i < 10; i++) writeFileSync(join(dir, `src/f${i}.ts`), text(lines(i)));
    rmSync(join(dir, 'src/f0.ts')); // t0: the file is gone
    const f1 = lines(1);
    f1.splice(2, 4, 'export function rewritten() {', '  return compute(1, 2);', '}', '');
    writeFileSync(join(dir, 'src/f1.ts'), text(f1)); // t1: its region rewritten
    writeFileSync(join(dir, 'src/f2.ts'), text(['// new header', '', ...lines(2)])); // t2: moved down, still there
    const f3 = lines(3);
    f3[3] = 'const v3_4 = 40; // changed';
    writeFileSync(join(dir, 'src/f3.ts'), text(f3)); // t3: one of its four lines edited, still the task

    // Six tasks recorded 200 days ago, four 10 days ago: the median age is over 90 days.
    writeFileSync(join(dir, 'set.jsonl'), IDS.map((_, i) => JSON.stringify(setTask(i, ago(i < 6 ? 200 : 10)))).join('\n') + '\n');
    const log: unknown[] = [];
    IDS.forEach((id, i) => log.push(logTask(id, i, ago(i < 6 ? 200 : 10), [{ model: 'A', oos: i === 2 ? 1 : 0 }, { model: 'B', drift: i === 6 }])));
    // Newer work in the log: three tasks from the editor, one replay (not counted).
    for (let k = 0; k < 3; k++) log.push(logTask(`n${k}`, 9, ago(2), [{ model: 'A' }]));
    log.push(logTask('replayed', 9, ago(1), [{ model: 'A' }], 'replay'));
    // The last runs: A and B. t4-t6 both pass (saturated); t2, t3, t7 only A (separate); t8 neither; t9 only A graded.
    for (const id of IDS.slice(2)) {
      const i = Number(id.slice(1));
      log.push(grade(id, 'A', i === 8 ? 0.5 : 1, ago(3)));
      if (i !== 9) log.push(grade(id, 'B', i >= 4 && i <= 6 ? 1 : i === 3 ? 0.5 : 0, ago(3)));
    }
    // An old model, replaced since, failed t4: not one of the last runs.
    log.push(grade('t4', 'C', 0, ago(150)));
    // Disputes: A's t2 edit has an out-of-scope hunk but was kept whole; B's clean t3 edit was rejected.
    log.push(verdict('t2', 'A', 'all'), verdict('t3', 'B', 'none'), verdict('t5', 'A', 'all'), verdict('t6', 'B', 'in-scope'));
    writeFileSync(join(dir, 'evals.jsonl'), log.map((r) => JSON.stringify(r)).join('\n') + '\n');
  });

  it('flags exactly the planted stale, saturated, separating and disputed tasks, and the shelf life', async () => {
    const r = await cli(['evalset', 'health', '--set', 'set.jsonl', '--log', 'evals.jsonl', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const h = JSON.parse(r.stdout);
    const ids = (f: (t: any) => boolean) => h.taskHealth.filter(f).map((t: { id: string }) => t.id);
    assert.deepEqual(ids((t) => t.stale !== null), ['t0', 't1']);
    assert.deepEqual(ids((t) => t.saturated), ['t4', 't5', 't6']);
    assert.deepEqual(ids((t) => t.separates), ['t2', 't3', 't7']);
    assert.deepEqual(ids((t) => t.disputes.length > 0), ['t2', 't3']);
    assert.deepEqual(h.models, ['A', 'B']);
    assert.deepEqual([h.stale, h.saturated, h.saturatedShare, h.disputed, h.newerTasks, h.medianAgeDays], [2, 3, 0.3, 2, 3, 200]);
    assert.equal(h.pastShelfLife, true);
    assert.match(h.taskHealth[0].stale, /src\/f0\.ts no longer exists/);
    assert.match(h.taskHealth[1].stale, /4 of the 4 lines it was about are no longer in src\/f1\.ts/);

    const t = await cli(['evalset', 'health', '--set', 'set.jsonl', '--log', 'evals.jsonl'], { cwd: dir });
    assert.match(t.stdout, /^Eval set set\.jsonl: Past its shelf life: its median task is 200 days old \(over 90\); the log holds 3 tasks newer than the set's newest \(\d{4}-\d\d-\d\d\): editscope export --to evalset --since \d{4}-\d\d-\d\dT[\d:.]+Z --exclude saturated,stale\./);
    assert.match(t.stdout, /Disputed tasks[^\n]*\n  t2  A: kept whole, but the grader failed it \(1 out-of-scope hunk\)\n  t3  B: rejected, but the grader passed it/);
  });

  it('calls a set with most tasks saturated past its shelf life too, and a fresh one within it', async () => {
    const fresh = join(dir, 'fresh.jsonl');
    writeFileSync(fresh, IDS.slice(4, 8).map((id) => JSON.stringify(setTask(Number(id.slice(1)), ago(5)))).join('\n') + '\n');
    const h = JSON.parse((await cli(['evalset', 'health', '--set', 'fresh.jsonl', '--log', 'evals.jsonl', '--format', 'json'], { cwd: dir })).stdout);
    // t4-t6 saturated, t7 not: 75% of the set.
    assert.deepEqual([h.saturated, h.saturatedShare, h.pastShelfLife], [3, 0.75, true]);
    assert.match(h.summary, /75% of its tasks are saturated/);
    const only = join(dir, 'young.jsonl');
    writeFileSync(only, [7, 8].map((i) => JSON.stringify(setTask(i, ago(5)))).join('\n') + '\n');
    const y = JSON.parse((await cli(['evalset', 'health', '--set', 'young.jsonl', '--log', 'evals.jsonl', '--format', 'json'], { cwd: dir })).stdout);
    assert.equal(y.pastShelfLife, false);
    assert.match(y.summary, /^Within its shelf life \(median age 5 days, 0% saturated\)/);
  });

  it('export --exclude saturated,stale leaves those tasks out, and --since takes 90d', async () => {
    const r = await cli(['export', '--to', 'evalset', '--out', 'renewed.jsonl', '--log', 'evals.jsonl', '--exclude', 'saturated,stale'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const ids = readFileSync(join(dir, 'renewed.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).id);
    assert.deepEqual(ids, ['t2', 't3', 't7', 't8', 't9', 'n0', 'n1', 'n2']);
    assert.match(r.stdout, /3 saturated tasks left out; 2 stale tasks left out/);
    const recent = await cli(['export', '--to', 'evalset', '--out', 'recent.jsonl', '--log', 'evals.jsonl', '--since', '90d', '--exclude', 'stale'], { cwd: dir });
    assert.equal(recent.code, 0, recent.stderr);
    assert.deepEqual(readFileSync(join(dir, 'recent.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).id), ['t6', 't7', 't8', 't9', 'n0', 'n1', 'n2']);
    const bad = await cli(['export', '--to', 'evalset', '--out', 'x.jsonl', '--log', 'evals.jsonl', '--exclude', 'old'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--exclude takes saturated, stale or both/);
  });

  it('adds the health to the HTML report with --set, and exits 2 for bad usage', async () => {
    const out = join(dir, 'report.html');
    const r = await cli(['report', '--log', 'evals.jsonl', '--set', 'set.jsonl', '--format', 'html', '--out', out], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /Eval set health: set\.jsonl/);
    assert.match(html, /<td>t1<\/td><td>src\/<wbr>f1\.ts<\/td><td>200<\/td><td>stale<\/td>/);
    for (const [args, re] of [
      [['evalset'], /name what to do: editscope evalset health --set <path>/],
      [['evalset', 'prune', '--set', 'set.jsonl'], /unknown evalset command "prune"/],
      [['evalset', 'health'], /--set is required/],
      [['evalset', 'health', '--set', 'missing.jsonl'], /missing\.jsonl does not exist/],
    ] as Array<[string[], RegExp]>) {
      const x = await cli(args, { cwd: dir });
      assert.equal(x.code, 2, args.join(' '));
      assert.match(x.stderr, re);
    }
  });
});
