/**
 * `editscope report` on a 100,000-task eval log (three models a task, a third of the results
 * judged, some 40 tasks on each of 2,500 files), next to a plain Node script that reads the
 * same file and JSON.parses every line and does nothing else. Both run as their own process,
 * so both pay Node's start-up; the report also pays loading the CLI bundle and working out a
 * 95% interval for every figure, clustered by file (BENCH_FILES=150 puts the tasks on 150
 * files, so every clustered figure runs the seeded bootstrap). Goal: at most 1.5x the plain
 * read-and-parse.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/core/analysis/analyze';
import { createTask } from '../../src/core/task/createTask';
import type { ModelResult } from '../../src/core/task/editTask';
import { resultOf } from '../fixtures/modelResult';
import { taskRecord } from '../../src/core/log/evalLog';
import type { TaskRecord } from '../../src/core/log/records';

const TASKS = Number(process.env.BENCH_TASKS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** Files the tasks are spread over: several tasks on one file are one cluster of the intervals. */
const FILES = Number(process.env.BENCH_FILES ?? 2500);
/** Another build's dist/cli.js (an older commit's), timed in the same rounds for a paired figure. */
const BASELINE_CLI = process.env.BENCH_BASELINE_CLI;
const GOAL = 1.5;
const CLI = join(__dirname, '../../../dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'editscope-report-bench-'));

function sourceFile(seed: number): string {
  const out: string[] = [`import { parse } from './parse';`, ''];
  for (let i = 0; i < 8; i++) {
    const n = seed * 10 + i;
    out.push(`// Handles request ${n}: validates the input and returns the parsed value.`, `export function handle${n}(input: string): number {`, `  const value = parse(input, 'strict');`, `  return value * ${n};`, '}', '');
  }
  return out.join('\n');
}

/** Eight distinct tasks with real analyses: clean, out of scope, drifting, failed. */
function templates(): TaskRecord[] {
  const out: TaskRecord[] = [];
  for (let k = 0; k < 8; k++) {
    const original = sourceFile(k);
    const task = createTask({ file: `src/handlers${k}.ts`, original, range: { start: 11, end: 15 }, instruction: `Clamp the result of handle${k * 10 + 1} to 0..1000`, contextFiles: k % 3 === 0 ? [{ path: 'src/parse.ts', text: 'export function parse(s: string, mode: string): number { return Number(s); }\n' }] : [] });
    const clean = original.replace(`  return value * ${k * 10 + 1};`, `  return Math.min(1000, Math.max(0, value * ${k * 10 + 1}));`);
    const overreach = clean.replace('// Handles request', '// handles request').replace(`  const value = parse(input, 'strict');\n  return value * ${k * 10 + 5}`, `    const value = parse(input, "strict")\n  return value * ${k * 10 + 5}`);
    const result = (model: string, edited: string | null): ModelResult =>
      resultOf(
        {
          model, provider: model.split('/')[0],
          latencyMs: 1000, ttftMs: 200, usage: { inputTokens: 900, outputTokens: 420 }, costUsd: 0.0021, raw: null,
          promptTemplate: { id: 'editscope-whole', version: 1 }, window: { start: 1, end: original.split('\n').length - 1 }, parameters: { editFormat: 'whole' }, retries: 0,
        },
        task.file, original, edited, (e) => analyze(original, e, { fileName: task.file, ranges: [task.range] }),
        { kind: 'malformed-output', message: 'The answer has no fenced code block' },
      );
    out.push(taskRecord(task, [result('openai/gpt-4.1', clean), result('ollama/qwen2.5-coder:7b', k % 2 ? overreach : clean), result('openrouter/anthropic/claude-sonnet-4', k === 5 ? null : clean)]));
  }
  return out;
}

function writeLog(path: string): void {
  const base = templates();
  const fd = openSync(path, 'w');
  const start = Date.parse('2026-06-01T08:00:00Z');
  let batch: string[] = [];
  for (let i = 0; i < TASKS; i++) {
    const t = base[i % base.length];
    const id = `bench-${i}`;
    const rec = {
      ...t,
      id,
      file: t.file.replace(/\.ts$/, `-${Math.floor(i / base.length) % Math.max(1, Math.round(FILES / base.length))}.ts`),
      time: new Date(start + i * 90_000).toISOString(),
      results: t.results.map((r, j) => ({ ...r, latencyMs: 400 + ((i * 7919 + j * 104729) % 6000) })),
    };
    batch.push(JSON.stringify(rec));
    if (i % 3 === 0) batch.push(JSON.stringify({ schemaVersion: 1, kind: 'verdict', time: rec.time, taskId: id, model: t.results[i % 3].model, accepted: ['all', 'in-scope', 'none'][i % 3] }));
    if (batch.length >= 2000) {
      writeSync(fd, batch.join('\n') + '\n');
      batch = [];
    }
  }
  if (batch.length) writeSync(fd, batch.join('\n') + '\n');
  closeSync(fd);
}

/** The plain baseline: read the file in large chunks, cut it into lines, JSON.parse each. */
const PLAIN = `
const fs = require('node:fs');
const fd = fs.openSync(process.argv[2], 'r');
const chunk = Buffer.allocUnsafe(8 * 1024 * 1024);
let carry = null, n, records = 0;
while ((n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0) {
  let buf = chunk.subarray(0, n);
  if (carry) { buf = Buffer.concat([carry, buf]); carry = null; }
  let start = 0, nl;
  while ((nl = buf.indexOf(10, start)) >= 0) { JSON.parse(buf.toString('utf8', start, nl)); records++; start = nl + 1; }
  if (start < buf.length) carry = Buffer.from(buf.subarray(start));
}
if (carry) { JSON.parse(carry.toString('utf8')); records++; }
process.stdout.write(records + '\\n');
`;

function timeMs(args: string[]): { ms: number; stdout: string } {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const log = join(dir, 'evals.jsonl');
  const plain = join(dir, 'plain.js');
  writeFileSync(plain, PLAIN);
  let t = performance.now();
  writeLog(log);
  const mb = statSync(log).size / 1024 / 1024;
  console.log(`log: ${TASKS} tasks on ${FILES} files, 3 results each, ${Math.ceil(TASKS / 3)} verdicts, ${mb.toFixed(0)} MB (written in ${((performance.now() - t) / 1000).toFixed(1)} s)`);

  const report = () => timeMs([CLI, 'report', '--log', log, '--format', 'json']);
  const baseline = () => timeMs([plain, log]);
  // Warm the page cache and check both read the whole log.
  const json = JSON.parse(report().stdout);
  if (json.tasks !== TASKS) throw new Error(`report counted ${json.tasks} tasks, expected ${TASKS}`);
  if (!json.models.every((m: { ci: Record<string, unknown> }) => Array.isArray(m.ci.outOfScopeRate))) throw new Error('the report has no intervals');
  if (Number(baseline().stdout) !== TASKS + Math.ceil(TASKS / 3)) throw new Error('the plain reader missed lines');
  const ours: number[] = [];
  const base: number[] = [];
  const older: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    base.push(baseline().ms);
    ours.push(report().ms);
    if (BASELINE_CLI) older.push(timeMs([BASELINE_CLI, 'report', '--log', log, '--format', 'json']).ms);
  }
  const o = median(ours);
  const b = median(base);
  const ratio = o / b;
  const ok = ratio <= GOAL;
  console.log(`plain read + JSON.parse of every line: ${b.toFixed(0)} ms (median of ${RUNS})`);
  console.log(`editscope report --format json:        ${o.toFixed(0)} ms   ratio ${ratio.toFixed(2)}x ${ok ? `(goal <= ${GOAL}x: met)` : `(goal <= ${GOAL}x: MISSED)`}`);
  if (BASELINE_CLI) console.log(`the same with ${BASELINE_CLI}: ${median(older).toFixed(0)} ms   ratio ${(median(older) / b).toFixed(2)}x`);
  if (!ok) process.exitCode = 1;
}

try {
  main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
