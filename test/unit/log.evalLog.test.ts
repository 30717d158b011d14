import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { createTask } from '../../src/core/task/createTask';
import type { ModelResult } from '../../src/core/task/editTask';
import { resultOf } from '../fixtures/modelResult';
import { analyze } from '../../src/core/analysis/analyze';
import { appendTaskRun, appendVerdict, editedWindow, readLog, workspacePath } from '../../src/core/log/evalLog';
import type { TaskRecord } from '../../src/core/log/records';
import { cli } from './cliHarness';

const ORIGINAL = 'const a = 1;\n// keep me\nfunction f() {\n  return a;\n}\n';

export function fakeResult(model: string, original: string, edited: string | null, extra: Partial<ModelResult> = {}): ModelResult {
  const common = {
    model,
    provider: 'mock',
    latencyMs: 100,
    ttftMs: 10,
    usage: { inputTokens: 50, outputTokens: 20 },
    costUsd: 0.001,
    raw: edited,
    promptTemplate: { id: 'editscope-whole', version: 1 },
    window: { start: 1, end: 5 },
    parameters: { editFormat: 'whole' },
    retries: 0,
  };
  const r = resultOf(common, 'a.ts', original, edited, (e) => analyze(original, e, { fileName: 'a.ts', ranges: [{ start: 3, end: 5 }] }), { kind: 'server', message: 'boom' });
  return { ...r, ...extra } as ModelResult;
}

describe('eval log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'editscope-log-'));

  it('records the task, what was sent and each result, one line each, with hashes and relative paths', async () => {
    const log = join(dir, 'a.jsonl');
    const task = createTask({ file: join(dir, 'src', 'a.ts'), original: ORIGINAL, range: { start: 3, end: 5 }, instruction: 'Return 2', contextFiles: [{ path: join(dir, 'src', 'b.ts'), text: 'export const b = 2;\n' }], dependsOn: [{ file: 'src/b.ts', symbols: ['b'] }] });
    const edited = ORIGINAL.replace('return a;', 'return 2;');
    await appendTaskRun(log, task, [fakeResult('m1', ORIGINAL, edited), fakeResult('m2', ORIGINAL, null)], { workspaceRoot: dir });
    await appendVerdict(log, { taskId: task.id, model: 'm1', accepted: 'in-scope' });
    const lines = readFileSync(log, 'utf8').split('\n');
    assert.equal(lines.length, 3, 'two records and a final newline');
    const rec = JSON.parse(lines[0]) as TaskRecord;
    assert.equal(rec.schemaVersion, 2);
    assert.equal(rec.kind, 'task');
    assert.deepEqual(rec.dependsOn, [{ file: 'src/b.ts', symbols: ['b'] }]);
    assert.deepEqual(rec.editFiles, []);
    assert.equal(rec.file, 'src/a.ts');
    assert.match(rec.fileHash, /^[0-9a-f]{64}$/);
    assert.equal(rec.windowText, ORIGINAL);
    assert.deepEqual(rec.ranges, [{ start: 3, end: 5 }]);
    assert.equal(rec.locality, 'cross-file');
    assert.deepEqual(rec.contextFiles.map((c) => c.path), ['src/b.ts']);
    assert.deepEqual(rec.promptTemplate, { id: 'editscope-whole', version: 1 });
    assert.equal(rec.results[0].output, edited);
    assert.equal(rec.results[0].analysis!.outOfScopeHunks, 0);
    assert.equal(rec.results[1].output, null);
    assert.equal(rec.results[1].error!.kind, 'server');
    assert.deepEqual(JSON.parse(lines[1]), { schemaVersion: 2, kind: 'verdict', time: JSON.parse(lines[1]).time, taskId: task.id, model: 'm1', accepted: 'in-scope' });
  });

  it('keeps a workspace file relative, a name beginning with two dots too, and a file outside absolute', () => {
    const root = join(dir, 'ws');
    assert.equal(workspacePath(join(root, 'src', 'a.ts'), root), 'src/a.ts');
    assert.equal(workspacePath(join(root, '..config.ts'), root), '..config.ts');
    assert.equal(workspacePath(join(dir, 'other.ts'), root), join(dir, 'other.ts').split(sep).join('/'));
  });

  it('keeps only the window of a large file, and the model output for that window', () => {
    const original = Array.from({ length: 10 }, (_, i) => `l${i + 1}`).join('\n') + '\n';
    const edited = original.replace('l5\n', 'l5\nnew\n');
    assert.equal(editedWindow(original, edited, { start: 3, end: 7 }), 'l3\nl4\nl5\nnew\nl6\nl7\n');
  });

  it('loses nothing when two processes append at once, and never interleaves bytes', async () => {
    const log = join(dir, 'concurrent.jsonl');
    const script = join(dir, 'writer.js');
    const evalLog = join(__dirname, '../../src/core/log/evalLog.js');
    writeFileSync(
      script,
      `const { appendVerdict } = require(${JSON.stringify(evalLog)});
       (async () => { for (let i = 0; i < 150; i++) await appendVerdict(process.argv[2], { taskId: process.argv[3] + '-' + i + '-' + 'x'.repeat(5000), model: 'm', accepted: 'none' }); })();`,
    );
    const run = (who: string) =>
      new Promise<void>((resolve, reject) => {
        const p = spawn(process.execPath, [script, log, who], { stdio: 'inherit' });
        p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${who} exited ${code}`))));
      });
    await Promise.all([run('A'), run('B')]);
    const { records, warnings } = readLog(log);
    assert.deepEqual(warnings, []);
    assert.equal(records.length, 300);
    for (const who of ['A', 'B']) {
      const ids = records.filter((r) => r.kind === 'verdict' && r.taskId.startsWith(who + '-')).map((r) => (r.kind === 'verdict' ? Number(r.taskId.split('-')[1]) : -1));
      assert.deepEqual(ids, Array.from({ length: 150 }, (_, i) => i), `${who}'s records all there, in order`);
    }
  });

  it('skips torn and malformed lines with a warning naming the line, and says a newer schema needs an update', async () => {
    const log = join(dir, 'damaged.jsonl');
    await appendVerdict(log, { taskId: 't1', model: 'm', accepted: 'all' });
    appendFileSync(log, 'this is not json\n');
    appendFileSync(log, JSON.stringify({ schemaVersion: 99, kind: 'task', id: 'future', results: [] }) + '\n');
    appendFileSync(log, '{"schemaVersion":1,"kind":"verdict","taskId":"t2","mod');
    // The next append starts on its own line rather than gluing itself onto the torn one.
    await appendVerdict(log, { taskId: 't3', model: 'm', accepted: 'none' });
    const { records, warnings } = readLog(log);
    assert.deepEqual(records.map((r) => (r.kind === 'task' ? r.id : r.taskId)), ['t1', 't3']);
    assert.deepEqual(warnings.map((w) => w.line), [2, 3, 4]);
    assert.match(warnings[0].message, /line 2: not a complete JSON record/);
    assert.match(warnings[1].message, /line 3: written by a newer Edit Scope \(schema 99; this version reads 2\); update Edit Scope/);
  });

  it('reads every line whole across read chunks, lines longer than a chunk and a last line without a newline', () => {
    const log = join(dir, 'chunks.jsonl');
    const verdict = (i: number, pad = '') => JSON.stringify({ schemaVersion: 2, kind: 'verdict', time: '2026-12-01T00:00:00.000Z', taskId: `t${i}${pad}`, model: 'm', accepted: 'all' });
    const lines: string[] = [];
    // Enough short lines to cross an 8 MB read chunk at an arbitrary point, then one of 9.2 MB
    // (longer than a chunk, in two-byte characters), a Latin-1 line, and a last line the writer
    // never ended.
    for (let i = 0, size = 0; size < 10 * 1024 * 1024; i++) size += lines[lines.push(verdict(i, 'x'.repeat(i % 997))) - 1].length + 1;
    const long = lines.length;
    lines.push(verdict(long, 'é'.repeat(4.6 * 1024 * 1024)));
    const latin1 = lines.length + 1;
    writeFileSync(log, Buffer.concat([Buffer.from(lines.join('\n') + '\n'), Buffer.from(verdict(-1, 'caf\xe9') + '\n', 'latin1'), Buffer.from(verdict(long + 1))]));
    const { records, warnings } = readLog(log);
    assert.deepEqual(warnings.map((w) => w.line), [latin1]);
    assert.equal(records.length, long + 2);
    const ids = records.map((r) => (r.kind === 'verdict' ? r.taskId : ''));
    const expected = lines.map((l) => (JSON.parse(l) as { taskId: string }).taskId);
    assert.ok(ids.slice(0, long + 1).every((id, i) => id === expected[i]), 'every line as written');
    assert.equal(ids[long + 1], `t${long + 1}`);
  });

  it('editscope verdict records a verdict for a known task and refuses an unknown one', async () => {
    const log = join(dir, 'verdict.jsonl');
    const task = createTask({ file: 'a.ts', original: ORIGINAL, range: { start: 3, end: 5 }, instruction: 'x' });
    await appendTaskRun(log, task, [fakeResult('m1', ORIGINAL, ORIGINAL.replace('a;', 'b;'))]);
    const ok = await cli(['verdict', task.id, '--model', 'm1', '--accepted', 'all', '--log', log]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(readLog(log).records.at(-1)!.kind, 'verdict');
    const unknown = await cli(['verdict', 'no-such-task', '--model', 'm1', '--accepted', 'all', '--log', log]);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, `editscope verdict: no task no-such-task in ${log}\n`);
    const wrongModel = await cli(['verdict', task.id, '--model', 'zz', '--accepted', 'all', '--log', log]);
    assert.match(wrongModel.stderr, /has no result from zz \(it has: m1\)/);
    const bad = await cli(['verdict', task.id, '--model', 'm1', '--accepted', 'maybe', '--log', log]);
    assert.match(bad.stderr, /--accepted must be one of all, in-scope, none/);
    const missing = await cli(['verdict', task.id, '--model', 'm1', '--accepted', 'all', '--log', join(dir, 'none.jsonl')]);
    assert.match(missing.stderr, /eval log .*none.jsonl does not exist/);
    assert.equal(readLog(log).records.length, 2, 'refused verdicts write nothing');
  });
});
