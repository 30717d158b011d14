import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTask } from '../../src/core/task/createTask';
import { appendGrade, appendTaskRun, readLog } from '../../src/core/log/evalLog';
import type { GradeRecord, TaskRecord } from '../../src/core/log/records';
import { buildReport } from '../../src/core/report/compute';
import { cli } from './cliHarness';
import { fakeResult } from './log.evalLog.test';

const ORIGINAL = 'const a = 1;\n// keep me\nfunction f() {\n  return a;\n}\n';

describe('eval log records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'editscope-records-'));

  it('never writes a key-shaped environment value, even when a server echoes it back', async () => {
    const key = 'sk-proj-Zq81xLm0WWxu7HfQ2v';
    const name = 'EDITSCOPE_TEST_API_KEY';
    process.env[name] = key;
    try {
      const log = join(dir, 'secret.jsonl');
      const task = createTask({ file: 'a.ts', original: ORIGINAL, range: { start: 3, end: 5 }, instruction: `use ${key} here` });
      const echoed = fakeResult('m1', ORIGINAL, null, { error: { kind: 'auth', message: `Incorrect API key provided: ${key}` } });
      await appendTaskRun(log, task, [echoed, fakeResult('m2', ORIGINAL, ORIGINAL.replace('a;', 'b;'), { parameters: { note: key } })]);
      const text = readFileSync(log, 'utf8');
      assert.ok(!text.includes(key), 'the key is nowhere in the log');
      const rec = readLog(log).records[0] as TaskRecord;
      assert.equal(rec.results[0].error!.message, 'Incorrect API key provided: [redacted]');
      assert.equal(rec.instruction, 'use [redacted] here');
      assert.deepEqual(rec.results[1].parameters, { note: '[redacted]' });
    } finally {
      delete process.env[name];
    }
  });

  it('reads a version-1 log: no dependsOn or editFiles, and its cross-file tasks counted as having had their context', () => {
    const log = join(dir, 'v1.jsonl');
    const v1 = (id: string, locality: string, contextFiles: unknown[]) => ({
      schemaVersion: 1, kind: 'task', id, time: '2026-11-20T10:00:00.000Z', file: 'src/a.ts', fileHash: 'h', language: 'typescript',
      ranges: [{ start: 3, end: 5 }], instruction: 'x', window: { start: 1, end: 5 }, windowText: ORIGINAL, contextFiles, locality,
      promptTemplate: { id: 'editscope-whole', version: 1 },
      results: [{ model: 'm1', provider: 'p', parameters: {}, ok: true, error: null, output: ORIGINAL, analysis: { hunks: [], outOfScopeHunks: 0, styleDrift: [] }, latencyMs: 5, ttftMs: null, usage: null, costUsd: null, retries: 0 }],
    });
    appendFileSync(log, [v1('old-local', 'local', []), v1('old-cross', 'cross-file', [{ path: 'src/b.ts', sha256: 'x', text: 'b' }])].map((r) => JSON.stringify(r)).join('\n') + '\n');
    appendFileSync(log, JSON.stringify({ schemaVersion: 1, kind: 'verdict', time: '2026-11-20T10:01:00.000Z', taskId: 'old-cross', model: 'm1', accepted: 'all' }) + '\n');
    const { records, warnings } = readLog(log);
    assert.deepEqual(warnings, []);
    const [local, cross] = records as TaskRecord[];
    assert.deepEqual([local.dependsOn, local.editFiles, local.locality], [[], [], 'local']);
    assert.deepEqual([cross.dependsOn, cross.editFiles, cross.locality], [[], [], 'cross-file']);
    const m = buildReport(records).models[0];
    assert.deepEqual([m.byLocality.local.tasks, m.byLocality['cross-file'].tasks, m.byLocality['cross-file'].withContext.tasks, m.byLocality['cross-file'].withoutContext.tasks], [1, 1, 1, 0]);
    assert.equal(m.byLocality['cross-file'].withContext.acceptRate, 1);
  });

  it('also keeps out the secrets the caller names (keys held outside the environment)', async () => {
    const log = join(dir, 'named.jsonl');
    const task = createTask({ file: 'a.ts', original: ORIGINAL, range: { start: 3, end: 5 }, instruction: 'x' });
    await appendTaskRun(log, task, [fakeResult('m1', ORIGINAL, null, { error: { kind: 'auth', message: 'bad key abcdef123456' } })], { secrets: ['abcdef123456'] });
    assert.ok(!readFileSync(log, 'utf8').includes('abcdef123456'));
  });

  it('records how long the whole file was, so a windowed prompt can be rebuilt', async () => {
    const log = join(dir, 'lines.jsonl');
    const task = createTask({ file: 'a.ts', original: ORIGINAL, range: { start: 3, end: 5 }, instruction: 'x' });
    await appendTaskRun(log, task, [fakeResult('m1', ORIGINAL, null)]);
    assert.equal((readLog(log).records[0] as TaskRecord).totalLines, 5);
  });

  it('skips a torn last line with a warning naming it, and keeps every record before it', async () => {
    const log = join(dir, 'torn.jsonl');
    const task = createTask({ file: 'a.ts', original: ORIGINAL, range: { start: 3, end: 5 }, instruction: 'x' });
    await appendTaskRun(log, task, [fakeResult('m1', ORIGINAL, null)]);
    await appendTaskRun(log, { ...task, id: 'second' }, [fakeResult('m1', ORIGINAL, null)]);
    const whole = readFileSync(log, 'utf8');
    appendFileSync(log, whole.split('\n')[0].slice(0, 100));
    const { records, warnings } = readLog(log);
    assert.deepEqual(records.map((r) => (r.kind === 'task' ? r.id : '')), [task.id, 'second']);
    assert.deepEqual(warnings, [{ line: 3, message: 'line 3: not a complete JSON record (skipped)' }]);
  });

  it('hands grade records to onGrade, not among the task and verdict records, and ignores kinds it does not know', async () => {
    const log = join(dir, 'grades.jsonl');
    const task = createTask({ file: 'a.ts', original: ORIGINAL, range: { start: 3, end: 5 }, instruction: 'x' });
    await appendTaskRun(log, task, [fakeResult('m1', ORIGINAL, null)]);
    await appendGrade(log, {
      time: '2026-11-23T00:00:00.000Z', setTaskId: 's1', set: 'set.jsonl', taskId: task.id, model: 'm1', ok: false, error: null,
      scope: 0, style: 0, outOfScopeHunks: null, styleRules: [], reference: null, test: null, score: 0,
    });
    appendFileSync(log, JSON.stringify({ schemaVersion: 1, kind: 'annotation', text: 'from a later version' }) + '\n');
    appendFileSync(log, JSON.stringify({ schemaVersion: 1, kind: 'grade', model: 'm1' }) + '\n');
    const grades: GradeRecord[] = [];
    const { records, warnings } = readLog(log, { onGrade: (g) => grades.push(g) });
    assert.deepEqual(records.map((r) => r.kind), ['task']);
    assert.deepEqual(grades.map((g) => [g.setTaskId, g.model, g.score]), [['s1', 'm1', 0]]);
    assert.deepEqual(warnings.map((w) => w.message), ['line 4: a grade record without setTaskId, model or a score from 0 to 1 (skipped)']);
  });

  it('skips records of the wrong shape with their line numbers, so report and export never crash on them', async () => {
    const log = join(dir, 'shapes.jsonl');
    const task = createTask({ file: 'a.ts', original: ORIGINAL, range: { start: 3, end: 5 }, instruction: 'x' });
    await appendTaskRun(log, task, [fakeResult('m1', ORIGINAL, ORIGINAL.replace('a;', 'b;'))]);
    const good = JSON.parse(readFileSync(log, 'utf8')) as TaskRecord;
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...good, id: 'n1', results: [null] }, /task n1: results\[0\] is not an object/],
      [{ ...good, id: 'n2', results: 'all of them' }, /task n2: results is not a list/],
      [{ ...good, id: 'n3', ranges: 'lines 3-5' }, /task n3: ranges is not a list of line ranges/],
      [{ ...good, id: 'n4', results: [{ ...good.results[0], usage: { inputTokens: '<b>9</b>', outputTokens: 1 } }] }, /task n4: results\[0\] has usage that is not two token counts/],
      [{ ...good, id: 'n5', results: [{ ...good.results[0], latencyMs: -3 }] }, /task n5: results\[0\]\.latencyMs is not a number of milliseconds/],
      [{ ...good, id: 'n6', results: [{ ...good.results[0], analysis: { hunks: [null], outOfScopeHunks: 0, styleDrift: [] } }] }, /task n6: results\[0\] has a hunk without its lines or scope/],
      [{ ...good, id: 'n7', contextFiles: [{ path: 'b.ts' }] }, /task n7: contextFiles is not a list of \{path, text\}/],
      [{ ...good, id: 'n8', results: [{ ...good.results[0], costUsd: 'free' }] }, /task n8: results\[0\]\.costUsd is not a number/],
    ];
    for (const [rec] of bad) appendFileSync(log, JSON.stringify(rec) + '\n');
    const { records, warnings } = readLog(log);
    assert.deepEqual(records.map((r) => (r.kind === 'task' ? r.id : '')), [task.id]);
    assert.equal(warnings.length, bad.length);
    bad.forEach(([, re], i) => {
      assert.equal(warnings[i].line, i + 2);
      assert.match(warnings[i].message, re);
      assert.match(warnings[i].message, new RegExp(`^line ${i + 2}: .* \\(skipped\\)$`));
    });
    for (const args of [['report', '--log', log, '--format', 'html'], ['export', '--log', log, '--to', 'evalset', '--out', join(dir, 'shapes-set.jsonl')]]) {
      const r = await cli(args);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr.split('\n').filter((l) => l.includes('(skipped)')).length, bad.length);
    }
  });
});
