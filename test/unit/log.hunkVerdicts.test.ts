import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/core/analysis/analyze';
import { applyHunks, initialPicks } from '../../src/core/analysis/apply';
import { originalLineOf } from '../../src/core/analysis/lineMap';
import type { Hunk } from '../../src/core/analysis/analysisTypes';
import { exportLog } from '../../src/core/evalset/exportLog';
import { appendTaskRun, appendVerdict, readLog } from '../../src/core/log/evalLog';
import { hunkVerdicts, keptHunk, verdictOfPicks } from '../../src/core/log/hunkVerdicts';
import { buildPrompt } from '../../src/core/prompt/build';
import { reportFromLog } from '../../src/core/report/compute';
import { formatReportText } from '../../src/core/report/text';
import { createTask } from '../../src/core/task/createTask';
import type { EditTask, ModelResult } from '../../src/core/task/editTask';

// Ten lines; the selection is lines 4-6.
const ORIGINAL = ['// Prices.', 'const rate = 0.2;', '', 'export function price(net: number) {', '  const gross = net * (1 + rate);', '  return gross;', '}', '', 'export const unused = 1;', ''].join('\n');
// Three hunks: one inside the selection, one above it (out of scope), one below it (out of scope).
const EDITED = ORIGINAL.replace('// Prices.', '// Prices, in euros.').replace('  return gross;', '  return Math.round(gross * 100) / 100;').replace('export const unused = 1;', '');

function result(task: EditTask, model: string, edited: string): ModelResult {
  const prompt = buildPrompt(task, {});
  const analysis = analyze(task.original, edited, { fileName: task.file, ranges: [task.range] });
  return {
    model, provider: 'mock', ok: true, error: null, latencyMs: 10, ttftMs: null, usage: null, costUsd: null, edited, raw: null, analysis,
    files: [{ file: task.file, role: 'target', original: task.original, edited, exists: true, analysis }],
    promptTemplate: prompt.template, window: prompt.window, parameters: { editFormat: prompt.format }, retries: 0,
  };
}

describe('per-hunk review: picks, the text they build, and the verdict they make', () => {
  const a = analyze(ORIGINAL, EDITED, { fileName: 'src/price.ts', ranges: [{ start: 4, end: 6 }] });
  const files = [{ file: 'src/price.ts', analysis: a }];

  it('starts with the in-scope hunks ticked and the out-of-scope ones not', () => {
    assert.deepEqual(a.hunks.map((h) => h.scope), ['out', 'in', 'out']);
    assert.deepEqual(initialPicks(a), [false, true, false]);
    // A supporting hunk (an import the change needs) goes with the change, ticked.
    const h = (scope: Hunk['scope'], at: number): Hunk => ({ originalStart: at, originalLines: 1, editedStart: at, editedLines: 1, scope, whitespaceOnly: false, reason: '' });
    assert.deepEqual(initialPicks({ hunks: [h('supporting', 1), h('in', 5), h('out', 9)], styleDrift: [] }), [true, true, false]);
  });

  it('builds the text from exactly the hunks ticked', () => {
    const only = (picks: boolean[]) => applyHunks(ORIGINAL, EDITED, a.hunks, (_, i) => picks[i]);
    assert.equal(only([true, true, true]), EDITED);
    assert.equal(only([false, false, false]), ORIGINAL);
    assert.equal(only([true, false, false]), ORIGINAL.replace('// Prices.', '// Prices, in euros.'));
    assert.equal(only([false, true, true]), EDITED.replace('// Prices, in euros.', '// Prices.'));
  });

  it('names the verdict the picks amount to: all, in-scope, none or picked', () => {
    assert.equal(verdictOfPicks(files, [[true, true, true]]), 'all');
    assert.equal(verdictOfPicks(files, [[false, true, false]]), 'in-scope');
    assert.equal(verdictOfPicks(files, [[false, false, false]]), 'none');
    assert.equal(verdictOfPicks(files, [[true, true, false]]), 'picked');
    const hv = hunkVerdicts(files, [[true, true, false]]);
    assert.deepEqual(hv.map((h) => [h.originalStart, h.scope, h.accepted]), [[1, 'out', true], [6, 'in', true], [9, 'out', false]]);
    // Read back: a verdict with hunks keeps those it says; an old one by its accepted.
    assert.deepEqual(a.hunks.map(keptHunk({ accepted: 'picked', hunks: hv }, 'src/price.ts', a)), [true, true, false]);
    assert.deepEqual(a.hunks.map(keptHunk({ accepted: 'picked', hunks: hv }, 'src/other.ts', a)), [false, false, false], 'another file\'s hunks are not these');
    assert.deepEqual(a.hunks.map(keptHunk({ accepted: 'in-scope' }, 'src/price.ts', a)), [false, true, false]);
    assert.deepEqual(a.hunks.map(keptHunk({ accepted: 'all' }, 'src/price.ts', a)), [true, true, true]);
    assert.deepEqual(a.hunks.map(keptHunk({ accepted: 'reverted' }, 'src/price.ts', a)), [false, false, false]);
  });

  it('puts a finding on the original line its message names, inside a hunk as well as around it', () => {
    // A hunk replacing lines 46-52 with 46-53: edited line 48 is original line 48, and 53 (added) stands at 52.
    const h: Hunk = { originalStart: 46, originalLines: 7, editedStart: 46, editedLines: 8, scope: 'in', whitespaceOnly: false, reason: '' };
    assert.equal(originalLineOf(48, [h]), 48);
    assert.equal(originalLineOf(51, [h]), 51);
    assert.equal(originalLineOf(53, [h]), 52);
    // After it, lines move by what it added.
    assert.equal(originalLineOf(60, [h]), 59);
    // A hunk that inserted three lines above: line 10 was line 7.
    const ins: Hunk = { originalStart: 2, originalLines: 0, editedStart: 3, editedLines: 3, scope: 'in', whitespaceOnly: false, reason: '' };
    assert.equal(originalLineOf(10, [ins]), 7);
    assert.equal(originalLineOf(4, [ins]), 2);
  });
});

describe('per-hunk verdicts in the log, the report and the exports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'editscope-hunks-'));
  const log = join(dir, 'evals.jsonl');
  let task: EditTask;
  let res: ModelResult;

  before(async () => {
    task = createTask({ file: 'src/price.ts', original: ORIGINAL, range: { start: 4, end: 6 }, instruction: 'Round the price to cents', id: 'picked-task' });
    res = result(task, 'A', EDITED);
    await appendTaskRun(log, task, [res, result(task, 'B', EDITED)]);
    const files = [{ file: task.file, analysis: res.analysis! }];
    // A: the person kept the comment fix above the selection and the rounding, not the deletion below.
    await appendVerdict(log, { taskId: 'picked-task', model: 'A', accepted: 'picked', hunks: hunkVerdicts(files, [[true, true, false]]) });
    // B: rejected, every hunk (as the editor writes it).
    await appendVerdict(log, { taskId: 'picked-task', model: 'B', accepted: 'none', hunks: hunkVerdicts(files, [[false, false, false]]) });
    // A verdict from before per-hunk review, on its own line, as an old log has it.
    appendFileSync(log, JSON.stringify({ schemaVersion: 2, kind: 'verdict', time: '2026-11-01T00:00:00.000Z', taskId: 'old', model: 'A', accepted: 'in-scope' }) + '\n');
  });

  it('writes the hunks with the verdict, reads old verdicts without them, and refuses picked without its hunks', async () => {
    const { records, warnings } = readLog(log);
    assert.deepEqual(warnings, []);
    const verdicts = records.filter((r) => r.kind === 'verdict');
    assert.equal(verdicts.length, 3);
    const a = verdicts[0];
    assert.ok(a.kind === 'verdict' && a.accepted === 'picked' && a.hunks?.length === 3);
    assert.deepEqual(a.hunks!.map((h) => h.accepted), [true, true, false]);
    assert.equal(verdicts[2].kind === 'verdict' && verdicts[2].hunks, undefined);
    await assert.rejects(appendVerdict(log, { taskId: 't', model: 'A', accepted: 'picked' }), /picked without the hunks picked/);
    const bad = join(dir, 'bad.jsonl');
    appendFileSync(bad, JSON.stringify({ schemaVersion: 2, kind: 'verdict', time: 'x', taskId: 't', model: 'A', accepted: 'picked', hunks: [{ file: 'a', accepted: 'yes' }] }) + '\n');
    assert.match(readLog(bad).warnings[0].message, /hunks is not a list/);
  });

  it('counts a picked result as accepted, and each hunk in the hunk accept rate', () => {
    const r = reportFromLog(log);
    const a = r.models.find((m) => m.model === 'A')!;
    const b = r.models.find((m) => m.model === 'B')!;
    assert.deepEqual(a.verdicts, { all: 0, inScope: 0, picked: 1, none: 0, reverted: 0 });
    assert.equal(a.acceptRate, 1);
    assert.equal(a.n.hunkAcceptRate, 3);
    assert.ok(Math.abs(a.hunkAcceptRate! - 2 / 3) < 1e-9);
    assert.equal(b.hunkAcceptRate, 0);
    assert.match(formatReportText(r), /A: 66\.7% \[[\d., ]+\] of 3 hunks; 1 result applied in part/);
  });

  it('exports the picked hunks as the reference, preferred over the answer as given and over the rejected one', () => {
    const out = join(dir, 'set.jsonl');
    exportLog(log, out, 'evalset');
    const [t] = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const picked = applyHunks(ORIGINAL, EDITED, res.analysis!.hunks, (_, i) => i < 2);
    assert.deepEqual(t.reference, { model: 'A', accepted: 'picked', output: picked });
    const dpo = join(dir, 'dpo.jsonl');
    exportLog(log, dpo, 'dpo');
    const pairs = readFileSync(dpo, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // Both models answered alike: one pair, the picked hunks over the whole answer with the rejected hunk.
    assert.equal(pairs.length, 1);
    assert.equal(pairs[0].preferred_output[0].content.includes('export const unused = 1;'), true, 'the rejected deletion is not in the preferred answer');
    assert.equal(pairs[0].non_preferred_output[0].content.includes('export const unused = 1;'), false, 'the answer as given deletes it');
  });
});
