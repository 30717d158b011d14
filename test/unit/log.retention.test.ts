import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/core/analysis/analyze';
import { createTask } from '../../src/core/task/createTask';
import type { EditTask, ModelResult } from '../../src/core/task/editTask';
import { resultOf } from '../fixtures/modelResult';
import { exportLog } from '../../src/core/evalset/exportLog';
import { appendRetention, appendTaskRun, appendVerdict, readLog } from '../../src/core/log/evalLog';
import { changedLines, keptRegionText, linesOf, measureRetention } from '../../src/core/log/retention';
import { buildPrompt } from '../../src/core/prompt/build';
import { reportFromLog } from '../../src/core/report/compute';
import { renderReportHtml } from '../../src/core/report/html';
import { formatReportText } from '../../src/core/report/text';
import { cli } from './cliHarness';

const ORIGINAL = ['// Sums a list.', 'export function total(items: number[]) {', '  let sum = 0;', '  for (const item of items) sum += item;', '  return sum;', '}', ''].join('\n');
/** Rounds the result: one line changed, one added. */
const EDITED = ORIGINAL.replace('  return sum;\n', '  const rounded = Math.round(sum);\n  return rounded;\n');

function result(task: EditTask, model: string, edited: string): ModelResult {
  const prompt = buildPrompt(task, {});
  const common = {
    model,
    provider: 'mock',
    latencyMs: 10,
    ttftMs: null,
    usage: null,
    costUsd: null,
    raw: null,
    promptTemplate: prompt.template,
    window: prompt.window,
    parameters: { editFormat: prompt.format },
    retries: 0,
  };
  return resultOf(common, task.file, task.original, edited, (e) => analyze(task.original, e, { fileName: task.file, ranges: [task.range] }), { kind: 'server', message: 'unused' });
}

describe('retention: what the person kept of an applied edit', () => {
  it('finds the lines an apply changed, including a pure insertion and a pure deletion', () => {
    assert.deepEqual(changedLines(ORIGINAL, EDITED), { start: 5, originalEnd: 5, appliedEnd: 6 });
    assert.deepEqual(changedLines('a\nc\n', 'a\nb\nc\n'), { start: 2, originalEnd: 1, appliedEnd: 2 });
    assert.deepEqual(changedLines('a\nb\nc\n', 'a\nc\n'), { start: 2, originalEnd: 2, appliedEnd: 1 });
    assert.equal(linesOf(EDITED, 5, 6), '  const rounded = Math.round(sum);\n  return rounded;\n');
    assert.equal(linesOf(EDITED, 5, 4), '');
  });

  it('counts added lines still there and removed lines still gone', () => {
    const before = '  return sum;\n';
    const applied = '  const rounded = Math.round(sum);\n  return rounded;\n';
    // Kept as applied; trailing spaces a formatter trims do not count as a change.
    assert.deepEqual(measureRetention(before, applied, '  const rounded = Math.round(sum);   \n  return rounded;\n'), { appliedLines: 3, keptLines: 3, kept: 1 });
    // Undone: the removed line is back and the added ones are gone.
    assert.deepEqual(measureRetention(before, applied, before), { appliedLines: 3, keptLines: 0, kept: 0 });
    // The person rewrote one of the two added lines.
    assert.deepEqual(measureRetention(before, applied, '  const rounded = Math.round(sum * 100) / 100;\n  return rounded;\n'), { appliedLines: 3, keptLines: 2, kept: 2 / 3 });
    assert.deepEqual(measureRetention('x\n', 'x\n', 'x\n'), { appliedLines: 0, keptLines: 0, kept: null });
  });

  it('finds the edited region again in a file edited outside the editor', () => {
    const applied = EDITED;
    const current = '// a line added at the top\n' + EDITED.replace('Math.round(sum)', 'Math.round(sum * 100) / 100');
    const kept = keptRegionText(ORIGINAL, applied, current);
    assert.deepEqual(kept, { text: '  const rounded = Math.round(sum * 100) / 100;\n  return rounded;\n', region: { start: 5, originalEnd: 5, appliedEnd: 6 } });
    // The lines around the region are gone: nothing to anchor it to.
    assert.equal(keptRegionText(ORIGINAL, applied, 'something else entirely\n'), null);
  });
});

describe('verdicts that tell the truth, in the log, the report and exports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'editscope-retention-'));
  const log = join(dir, 'evals.jsonl');
  let kept: EditTask;
  let undone: EditTask;

  before(async () => {
    kept = createTask({ file: 'src/total.ts', original: ORIGINAL, range: { start: 5, end: 5 }, instruction: 'Round the total', id: 'kept-task' });
    undone = createTask({ file: 'src/total.ts', original: ORIGINAL, range: { start: 5, end: 5 }, instruction: 'Round the total again', id: 'undone-task' });
    await appendTaskRun(log, kept, [result(kept, 'A', EDITED), result(kept, 'B', EDITED.replace('rounded', 'r'))]);
    await appendTaskRun(log, undone, [result(undone, 'A', EDITED)]);
    // A applied on the first task and then corrected by hand; B rejected.
    await appendVerdict(log, { taskId: 'kept-task', model: 'A', accepted: 'all' });
    await appendVerdict(log, { taskId: 'kept-task', model: 'B', accepted: 'none' });
    const corrected = '  const rounded = Math.round(sum * 100) / 100;\n  return rounded;\n';
    const base = { taskId: 'kept-task', model: 'A', accepted: 'all' as const, region: { start: 5, end: 5 } };
    await appendRetention(log, { ...base, checkpoint: 'save', elapsedMs: 1000, appliedLines: 3, keptLines: 3, kept: 1, text: '  const rounded = Math.round(sum);\n  return rounded;\n' });
    await appendRetention(log, { ...base, checkpoint: '2min', elapsedMs: 120_000, appliedLines: 3, keptLines: 2, kept: 2 / 3, text: corrected });
    // A applied on the second task, then undone: the latest verdict wins.
    await appendVerdict(log, { taskId: 'undone-task', model: 'A', accepted: 'in-scope' });
    await appendVerdict(log, { taskId: 'undone-task', model: 'A', accepted: 'reverted' });
  });

  it('reads reverted verdicts and retention records back, and refuses a retention record without an applied verdict', async () => {
    const { records, warnings } = readLog(log);
    assert.deepEqual(warnings, []);
    assert.deepEqual(records.filter((r) => r.kind === 'retention').map((r) => r.kind === 'retention' && [r.checkpoint, r.kept]), [['save', 1], ['2min', 2 / 3]]);
    assert.ok(records.some((r) => r.kind === 'verdict' && r.accepted === 'reverted'));
    await assert.rejects(appendRetention(log, { taskId: 't', model: 'A', accepted: 'none' as 'all', checkpoint: 'save', elapsedMs: 0, region: { start: 1, end: 1 }, appliedLines: 1, keptLines: 1, kept: 1, text: '' }), /needs an applied verdict/);
  });

  it('reports what each model kept: an undone apply counts as accepted by no one and kept at 0', () => {
    const r = reportFromLog(log);
    const a = r.models.find((m) => m.model === 'A')!;
    assert.deepEqual(a.verdicts, { all: 1, inScope: 0, picked: 0, none: 0, reverted: 1 });
    assert.equal(a.acceptRate, 0.5);
    // Kept 2/3 on the first task (latest measurement), 0 on the undone one.
    assert.equal(a.keptMeasured, 2);
    assert.ok(Math.abs(a.keptRate! - 1 / 3) < 1e-9, String(a.keptRate));
    assert.deepEqual(Object.keys(a.keptByCheckpoint), ['save', '2min']);
    assert.equal(a.keptByCheckpoint.save, 1);
    const text = formatReportText(r);
    // Two measured results, 2/3 and 0: too few to say much, so the interval is all of [0, 1].
    assert.match(text, /\nA\s+all\s+2\s+2\s.*50\.0% \[9\.5, 90\.5\] of 2\s+33\.3% \[0\.0, 100\.0\] of 2\s/);
    assert.match(text, /A: 33\.3% \[0\.0, 100\.0\] of 2 applied results, 1 undone; save 100\.0% \[20\.7, 100\.0\], 2min 66\.7% \[0\.0, 100\.0\]/);
    const html = renderReportHtml(r, { nonce: 'abcdefgh12345678' });
    assert.match(html, /<th>lines kept<\/th>/);
    assert.match(html, /<th>at save<\/th><th>2min<\/th>/);
    assert.match(html, /2 tasks · 2 models/);
  });

  it('exports the text the person kept as the reference, and filters on kept and reverted', () => {
    const out = join(dir, 'set.jsonl');
    assert.equal(exportLog(log, out, 'evalset').written, 2);
    const set = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const first = set.find((t) => t.id === 'kept-task');
    assert.deepEqual(first.reference, { model: 'A', accepted: 'all', output: ORIGINAL.replace('  return sum;\n', '  const rounded = Math.round(sum * 100) / 100;\n  return rounded;\n'), kept: true });
    assert.equal(set.find((t) => t.id === 'undone-task').reference, null, 'an undone edit is no reference');

    const dpo = join(dir, 'dpo.jsonl');
    exportLog(log, dpo, 'dpo');
    const pairs = readFileSync(dpo, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // The correction is preferred over the model's own answer and over B's rejected one.
    assert.equal(pairs.length, 2);
    assert.ok(pairs.every((p) => p.preferred_output[0].content.includes('Math.round(sum * 100) / 100')));
    assert.ok(pairs.some((p) => p.non_preferred_output[0].content.includes('Math.round(sum);')));

    const only = (verdict: 'kept' | 'reverted' | 'accepted') => {
      const f = join(dir, `${verdict}.jsonl`);
      exportLog(log, f, 'evalset', { filter: { verdict } });
      return readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).id);
    };
    assert.deepEqual(only('kept'), ['kept-task']);
    assert.deepEqual(only('reverted'), ['undone-task']);
    assert.deepEqual(only('accepted'), ['kept-task']);
  });

  it('editscope verdict --kept measures a file edited outside the editor', async () => {
    const cliLog = join(dir, 'cli.jsonl');
    const t = createTask({ file: 'src/total.ts', original: ORIGINAL, range: { start: 5, end: 5 }, instruction: 'Round the total', id: 'cli-task' });
    await appendTaskRun(cliLog, t, [result(t, 'A', EDITED)]);
    const file = join(dir, 'total.ts');
    writeFileSync(file, '// header added later\n' + EDITED.replace('  return rounded;\n', '  return rounded; // rounded\n'));
    const r = await cli(['verdict', 'cli-task', '--model', 'A', '--accepted', 'all', '--kept', file, '--log', cliLog]);
    assert.deepEqual([r.code, r.stderr], [0, '']);
    assert.equal(r.stdout, 'Recorded: A on cli-task: all; 2 of 3 applied lines kept (67%)\n');
    const records = readLog(cliLog).records;
    assert.deepEqual(records.slice(1).map((x) => x.kind), ['verdict', 'retention']);
    const k = records[2];
    assert.ok(k.kind === 'retention');
    assert.deepEqual([k.checkpoint, k.region, k.text, k.elapsedMs], ['cli', { start: 5, end: 5 }, '  const rounded = Math.round(sum);\n  return rounded; // rounded\n', null]);

    const refused = await cli(['verdict', 'cli-task', '--model', 'A', '--accepted', 'none', '--kept', file, '--log', cliLog]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--kept needs --accepted all or in-scope/);
    const reverted = await cli(['verdict', 'cli-task', '--model', 'A', '--accepted', 'reverted', '--log', cliLog]);
    assert.deepEqual([reverted.code, reverted.stdout], [0, 'Recorded: A on cli-task: reverted\n']);
  });
});
