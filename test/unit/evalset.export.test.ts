import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/core/analysis/analyze';
import { toCheckJson } from '../../src/core/analysis/checkJson';
import { createTask } from '../../src/core/task/createTask';
import type { EditTask, ModelResult } from '../../src/core/task/editTask';
import { resultOf } from '../fixtures/modelResult';
import { gradeReference } from '../../src/core/evalset/grade';
import { answerFor, editTaskFor, messagesFor, searchReplaceBlocks } from '../../src/core/evalset/prompt';
import { inScopeOutput } from '../../src/core/evalset/fromLog';
import type { EvalSetTask } from '../../src/core/evalset/evalSetTask';
import type { ResultRecord, TaskRecord } from '../../src/core/log/records';
import { alias, anchored, toYaml } from '../../src/core/evalset/yaml';
import { appendTaskRun, appendVerdict } from '../../src/core/log/evalLog';
import { buildPrompt, TEMPLATES, type EditFormat } from '../../src/core/prompt/build';
import { applySearchReplace, parseSearchReplaceAnswer, parseWholeAnswer } from '../../src/core/prompt/parse';
import { windowText } from '../../src/core/prompt/window';
import { cli } from './cliHarness';
import { loadPromptfoo, renderedMessages, runAssertion, testVars } from './promptfooRender';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { load(text: string): unknown };

const SMALL = ['const a = 1;', '// keep me', 'function f() {', '  return a;', '}', ''].join('\n');
const GOOD = SMALL.replace('  return a;', '  return 2;');
/** Does the job, and also deletes the far comment. */
const OVERREACH = GOOD.replace('// keep me\n', '');
const BIG = Array.from({ length: 30 }, (_, i) => `export const v${i + 1} = ${i + 1};`).join('\n') + '\n';

function result(task: EditTask, model: string, edited: string | null, opts: { format?: EditFormat; contextLines?: number } = {}): ModelResult {
  const prompt = buildPrompt(task, { format: opts.format, contextLines: opts.contextLines });
  const common = {
    model,
    provider: 'mock',
    latencyMs: 10,
    ttftMs: null,
    usage: { inputTokens: 10, outputTokens: 5 },
    costUsd: null,
    raw: null,
    promptTemplate: prompt.template,
    window: prompt.window,
    parameters: { editFormat: prompt.format },
    retries: 0,
  };
  const analyse = (e: string) => analyze(task.original, e, { fileName: task.file, ranges: [task.range] });
  return resultOf(common, task.file, task.original, edited, analyse, { kind: 'malformed-output', message: 'The answer has no fenced code block' });
}

const readJsonl = (p: string) => readFileSync(p, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const fenced = (answer: string) => {
  const p = parseWholeAnswer(answer, 'stop');
  assert.ok(p.ok, answer);
  return p.text + '\n';
};

describe('editscope export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'editscope-export-'));
  const log = join(dir, '.editscope', 'evals.jsonl');
  const tasks: Record<string, EditTask> = {};

  before(async () => {
    const mk = (id: string, file: string, original: string, range: { start: number; end: number }, contextFiles: EditTask['contextFiles'] = []) =>
      (tasks[id] = createTask({ id, file, original, range, instruction: `Task ${id}: return 2`, contextFiles, dependsOn: contextFiles.map((c) => ({ file: c.path, symbols: ['N'] })), time: new Date(`2026-11-${10 + Object.keys(tasks).length}T10:00:00Z`) }));
    // T1: m1 accepted whole, m2 (overreach) rejected, m3 failed.
    const t1 = mk('T1', 'src/a.ts', SMALL, { start: 3, end: 5 });
    await appendTaskRun(log, t1, [result(t1, 'm1', GOOD), result(t1, 'mock/m2', OVERREACH), result(t1, 'm3', null)]);
    // T2 (cross-file): only m2's in-scope hunks accepted.
    const t2 = mk('T2', 'src/b.ts', SMALL, { start: 3, end: 5 }, [{ path: 'src/types.ts', text: 'export type N = number;\n' }]);
    await appendTaskRun(log, t2, [result(t2, 'm1', GOOD), result(t2, 'mock/m2', OVERREACH)]);
    // T3: never judged.
    const t3 = mk('T3', 'src/c.ts', SMALL, { start: 3, end: 5 });
    await appendTaskRun(log, t3, [result(t3, 'm1', GOOD)]);
    // T4: the search-replace template, accepted.
    const t4 = mk('T4', 'src/d.ts', SMALL, { start: 3, end: 5 });
    await appendTaskRun(log, t4, [result(t4, 'm1', GOOD, { format: 'search-replace' })]);
    // T5: a file larger than the window; only lines 11-18 were sent.
    const t5 = mk('T5', 'src/big.ts', BIG, { start: 14, end: 15 });
    await appendTaskRun(log, t5, [result(t5, 'm1', BIG.replace('v14 = 14', 'v14 = 140'), { contextLines: 3 })]);
    // Verdicts follow later, as they do in real use; T1's m1 first rejected, then accepted.
    await appendVerdict(log, { taskId: 'T1', model: 'm1', accepted: 'none' });
    await appendVerdict(log, { taskId: 'T1', model: 'mock/m2', accepted: 'none' });
    await appendVerdict(log, { taskId: 'T2', model: 'mock/m2', accepted: 'in-scope' });
    await appendVerdict(log, { taskId: 'T4', model: 'm1', accepted: 'all' });
    await appendVerdict(log, { taskId: 'T5', model: 'm1', accepted: 'all' });
    await appendVerdict(log, { taskId: 'T1', model: 'm1', accepted: 'all' });
  });

  const run = (args: string[]) => cli(['export', ...args], { cwd: dir });

  it('evalset: every task, the prompt rebuilt exactly, the accepted edit as reference', async () => {
    const out = join(dir, 'set.jsonl');
    const r = await run(['--to', 'evalset', '--out', out, '--test-command', 'node --check src/a.ts', '--test-timeout', '5']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Exported 5 lines from 5 tasks to .*set\.jsonl \(evalset\)\n$/);
    const set = readJsonl(out) as EvalSetTask[];
    assert.deepEqual(set.map((t) => t.id), ['T1', 'T2', 'T3', 'T4', 'T5']);
    const [t1, t2, t3, t4, t5] = set;
    assert.equal(t1.kind, 'evalset-task');
    assert.equal(t1.schemaVersion, 1);
    assert.deepEqual(t2.dependsOn, [{ file: 'src/types.ts', symbols: ['N'] }]);
    assert.equal(t1.original, SMALL, 'the window was the whole file');
    assert.deepEqual(t1.reference, { model: 'm1', accepted: 'all', output: GOOD }, 'the latest verdict counts');
    assert.deepEqual(t1.graders, { scope: true, style: true, reference: true, test: { command: 'node --check src/a.ts', timeoutSeconds: 5 } });
    // In-scope: the deleted comment is back, the in-scope change kept.
    assert.deepEqual(t2.reference, { model: 'mock/m2', accepted: 'in-scope', output: GOOD });
    assert.equal(t2.locality, 'cross-file');
    assert.deepEqual(t2.contextFiles.map((c) => [c.path, c.text]), [['src/types.ts', 'export type N = number;\n']]);
    assert.equal(t3.reference, null);
    assert.equal(t3.graders.reference, false);
    assert.deepEqual(t4.prompt, { template: TEMPLATES['search-replace'], format: 'search-replace', contextLines: 400 });
    // The big file: only the window is known, but the prompt is still the one sent.
    assert.equal(t5.original, null);
    assert.equal(t5.totalLines, 30);
    assert.deepEqual(t5.window, { start: 11, end: 18 });
    assert.equal(t5.windowText, windowText(BIG, { start: 11, end: 18 }));
    assert.equal(t5.reference!.output, windowText(BIG.replace('v14 = 14', 'v14 = 140'), { start: 11, end: 18 }));
    assert.equal(t5.prompt.contextLines, 3);
    for (const t of set) {
      const sent = buildPrompt(tasks[t.id], { format: t.prompt.format, contextLines: t.id === 'T5' ? 3 : undefined });
      assert.deepEqual(messagesFor(t), sent.messages, `${t.id}: the exported prompt is the one sent`);
      // And a replay sends it again, stand-in lines and all.
      assert.deepEqual(buildPrompt(editTaskFor(t), { format: t.prompt.format, contextLines: t.prompt.contextLines }).messages, sent.messages, `${t.id}: replayed prompt`);
    }
  });

  it('evalset recovers the whole file from the workspace only while it still has the logged hash', async () => {
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'src', 'big.ts'), BIG);
    const out = join(dir, 'set2.jsonl');
    assert.equal((await run(['--to', 'evalset', '--out', out, '--locality', 'local'])).code, 0);
    assert.equal(readJsonl(out).find((t) => t.id === 'T5').original, BIG);
    writeFileSync(join(dir, 'src', 'big.ts'), BIG + '// changed since\n');
    assert.equal((await run(['--to', 'evalset', '--out', out])).code, 0);
    assert.equal(readJsonl(out).find((t) => t.id === 'T5').original, null);
  });

  it('openai-evals: chat input and the ideal answer, only where an edit was accepted', async () => {
    const out = join(dir, 'samples.jsonl');
    const r = await run(['--to', 'openai-evals', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Exported 4 lines from 5 tasks .*; 1 task without an accepted edit left out\n$/);
    const lines = readJsonl(out);
    assert.deepEqual(lines.map((l) => Object.keys(l)), Array(4).fill(['input', 'ideal']));
    assert.deepEqual(lines[0].input, buildPrompt(tasks.T1).messages);
    assert.equal(fenced(lines[0].ideal), GOOD, 'the ideal answer parses back to the accepted edit');
    assert.match(lines[0].ideal, /^```ts\n/);
    // T4 asked for SEARCH/REPLACE blocks, so its ideal answer is blocks that produce the edit.
    const sr = parseSearchReplaceAnswer(lines[2].ideal, 'stop');
    assert.ok(sr.ok);
    assert.deepEqual(applySearchReplace(SMALL, sr.edits), { ok: true, text: GOOD });
  });

  it('sft: system, user and the accepted answer as the assistant turn', async () => {
    const out = join(dir, 'sft.jsonl');
    assert.equal((await run(['--to', 'sft', '--out', out, '--model', 'm1'])).code, 0);
    const lines = readJsonl(out);
    assert.equal(lines.length, 3, 'T1, T4, T5: m1 accepted; T2 only through mock/m2');
    for (const l of lines) {
      assert.deepEqual(Object.keys(l), ['messages']);
      assert.deepEqual(l.messages.map((m: { role: string }) => m.role), ['system', 'user', 'assistant']);
    }
    assert.equal(fenced(lines[0].messages[2].content), GOOD);
  });

  it('dpo: the accepted answer preferred over each rejected one, and an in-scope-only acceptance over the answer as given', async () => {
    const out = join(dir, 'dpo.jsonl');
    const r = await run(['--to', 'dpo', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Exported 2 lines .*1 task without an accepted edit left out; 2 tasks without a rejected edit to pair with left out/);
    const [p1, p2] = readJsonl(out);
    assert.deepEqual(Object.keys(p1), ['input', 'preferred_output', 'non_preferred_output']);
    assert.deepEqual(p1.input, { messages: buildPrompt(tasks.T1).messages });
    assert.equal(p1.preferred_output.length, 1);
    assert.equal(p1.preferred_output[0].role, 'assistant');
    assert.equal(fenced(p1.preferred_output[0].content), GOOD);
    assert.equal(fenced(p1.non_preferred_output[0].content), OVERREACH);
    assert.deepEqual(p2.input.messages, buildPrompt(tasks.T2).messages);
    assert.equal(fenced(p2.preferred_output[0].content), GOOD);
    assert.equal(fenced(p2.non_preferred_output[0].content), OVERREACH);
  });

  it('promptfoo: a YAML config whose tests send the recorded messages and whose assertions grade answers', async () => {
    const out = join(dir, 'promptfooconfig.yaml');
    const r = await run(['--to', 'promptfoo', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Exported 5 tests from 5 tasks/);
    const config = loadPromptfoo(readFileSync(out, 'utf8'));
    assert.deepEqual(config.providers, [
      { id: 'openai:chat:m1', label: 'm1' },
      { id: 'openai:chat:m2', label: 'mock/m2' },
      { id: 'openai:chat:m3', label: 'm3' },
    ]);
    assert.equal(config.tests.length, 5);
    const [t1, t2, t3, t4, t5] = config.tests.map((t) => ({ ...t, vars: testVars(t) }));
    assert.deepEqual(renderedMessages(config.prompts[0], t1.vars), buildPrompt(tasks.T1).messages, 'promptfoo sends the messages byte for byte');
    assert.deepEqual(renderedMessages(config.prompts[0], t5.vars), buildPrompt(tasks.T5, { contextLines: 3 }).messages);
    const task5 = t5.vars.task as Record<string, unknown>;
    assert.deepEqual([task5.selection_start, task5.selection_end], [4, 5], 'lines 14-15 are the 4th and 5th of the window 11-18');
    assert.equal(t3.assert, undefined, 'no accepted edit, no reference assertion');
    assert.equal(t1.assert![0].value, t2.assert![0].value, 'the reference assertion is written once and aliased');
    assert.deepEqual(t1.metadata, { taskId: 'T1', locality: 'local', template: 'editscope-whole v2' });

    // The assertions, run as promptfoo runs a javascript assertion.
    const check = (a: { type: string; metric: string; value: string }, output: string, vars: Record<string, unknown>) => runAssertion(a, output, vars);
    const scope = config.defaultTest.assert[0];
    assert.equal(scope.metric, 'scope');
    const good = '```ts\n' + GOOD + '```';
    assert.deepEqual(check(scope, good, t1.vars), { pass: true, score: 1, reason: 'Only the selected lines changed' });
    assert.deepEqual(check(scope, '```ts\n' + OVERREACH + '```', t1.vars), { pass: false, score: 0, reason: 'Lines outside the selection changed (before it)' });
    assert.equal(check(scope, 'I would not change anything.', t1.vars).pass, false);
    const sr = '<<<<<<< SEARCH\n  return a;\n=======\n  return 2;\n>>>>>>> REPLACE';
    assert.equal(check(scope, sr, t4.vars).pass, true, 'search-replace answers are applied first');
    assert.equal(check(scope, '<<<<<<< SEARCH\n// keep me\n=======\n>>>>>>> REPLACE', t4.vars).pass, false);
    const ref = t1.assert![0];
    assert.deepEqual(check(ref, good, t1.vars), { pass: true, score: 1, reason: 'Matches the accepted edit' });
    const near = check(ref, '```ts\n' + GOOD.replace('return 2', 'return 3') + '```', t1.vars);
    assert.equal(near.pass, false);
    assert.equal(near.score, gradeReference(GOOD.replace('return 2', 'return 3'), GOOD).similarity, 'the same similarity replay computes');
    assert.equal(near.score, 0.8, '4 of 5 lines in common');
  });

  it('promptfoo: code holding Nunjucks templates reaches the model and the assertions literally, run through Nunjucks as promptfoo does', async () => {
    const hostileDir = mkdtempSync(join(tmpdir(), 'editscope-export-nunjucks-'));
    const hostileLog = join(hostileDir, 'evals.jsonl');
    const code = [
      '// {{ range.constructor("globalThis.editscopePwned = 1")() }}',
      '// Hello {{ user.name }}, {% if admin %}admin{% endif %} {# note #} {{ env.OPENAI_API_KEY }}',
      'const tpl = "{{ file }} {{ format }} {{messages}} ~b ~t {";',
      'function f() {',
      '  return 1;',
      '}',
      '',
    ].join('\n');
    const edited = code.replace('return 1', 'return 2');
    const task = createTask({ id: 'H1', file: 'src/{{ file }}.ts', original: code, range: { start: 4, end: 6 }, instruction: 'Return 2 {{ user.name }} {{ env.HOME }}' });
    await appendTaskRun(hostileLog, task, [result(task, 'm1', edited)]);
    await appendVerdict(hostileLog, { taskId: 'H1', model: 'm1', accepted: 'all' });
    const out = join(hostileDir, 'pf.yaml');
    assert.equal((await cli(['export', '--to', 'promptfoo', '--out', out, '--log', hostileLog], { cwd: hostileDir })).code, 0);
    const config = loadPromptfoo(readFileSync(out, 'utf8'), { OPENAI_API_KEY: 'sk-live-secret-value', HOME: '/home/someone' });
    const vars = testVars(config.tests[0]);
    const messages = renderedMessages(config.prompts[0], vars);
    assert.equal((globalThis as Record<string, unknown>).editscopePwned, undefined, 'no code in the messages ran');
    assert.deepEqual(messages, buildPrompt(task).messages, 'every template in the code and the instruction is sent as written');
    assert.doesNotMatch(JSON.stringify(messages), /sk-live-secret-value|\/home\/someone/);
    assert.deepEqual(runAssertion(config.defaultTest.assert[0], '```ts\n' + edited + '```', vars), { pass: true, score: 1, reason: 'Only the selected lines changed' });
    assert.equal(runAssertion(config.defaultTest.assert[0], '```ts\n' + edited.replace('{{ user.name }}', '') + '```', vars).pass, false, 'the assertion sees the templates in the window too');
    assert.equal(runAssertion(config.tests[0].assert![0], '```ts\n' + edited + '```', vars).pass, true);
    assert.equal((globalThis as Record<string, unknown>).editscopePwned, undefined);
    assert.doesNotMatch(config.tests[0].description, /\{\{/, 'a description shows no template to render');
  });

  it('leaves key-shaped values out of the formats that leave the machine, the same stand-in in prompt, answer and grader', async () => {
    const keyDir = mkdtempSync(join(tmpdir(), 'editscope-export-keys-'));
    const keyLog = join(keyDir, 'evals.jsonl');
    const KEY = 'AKIAIOSFODNN7EXAMPLE';
    const code = `const aws = '${KEY}';\nfunction f() {\n  return 1;\n}\n`;
    const edited = code.replace('return 1', 'return 2');
    const task = createTask({ id: 'K1', file: 'src/k.ts', original: code, range: { start: 2, end: 4 }, instruction: 'Return 2' });
    await appendTaskRun(keyLog, task, [result(task, 'm1', edited), result(task, 'm2', edited.replace('return 2', 'return 3'))]);
    await appendVerdict(keyLog, { taskId: 'K1', model: 'm1', accepted: 'all' });
    await appendVerdict(keyLog, { taskId: 'K1', model: 'm2', accepted: 'none' });
    for (const [to, out] of [['sft', 'sft.jsonl'], ['dpo', 'dpo.jsonl'], ['openai-evals', 'oe.jsonl'], ['promptfoo', 'pf.yaml']]) {
      const r = await cli(['export', '--to', to, '--out', join(keyDir, out), '--log', keyLog], { cwd: keyDir });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!readFileSync(join(keyDir, out), 'utf8').includes(KEY), `${to} holds the key`);
    }
    const [sft] = readJsonl(join(keyDir, 'sft.jsonl'));
    assert.match(sft.messages[1].content, /const aws = '\[redacted-1\]';/);
    assert.match(sft.messages[2].content, /const aws = '\[redacted-1\]';[\s\S]*return 2/);
    const pf = loadPromptfoo(readFileSync(join(keyDir, 'pf.yaml'), 'utf8'));
    const vars = testVars(pf.tests[0]);
    const answer = '```ts\n' + edited.replace(KEY, '[redacted-1]') + '```';
    assert.match(renderedMessages(pf.prompts[0], vars)[1].content, /\[redacted-1\]/);
    assert.equal(runAssertion(pf.defaultTest.assert[0], answer, vars).pass, true, 'the stand-in the model was shown is in what the grader compares with');
    assert.equal(runAssertion(pf.tests[0].assert![0], answer, vars).pass, true);
    // The eval set is replayed here, keys hidden when sent: it keeps the task as it was.
    assert.equal((await cli(['export', '--to', 'evalset', '--out', join(keyDir, 'set.jsonl'), '--log', keyLog], { cwd: keyDir })).code, 0);
    assert.ok(readFileSync(join(keyDir, 'set.jsonl'), 'utf8').includes(KEY));
  });

  it('filters by locality, model, time and verdict', async () => {
    const out = join(dir, 'filtered.jsonl');
    const ids = async (...args: string[]) => {
      const r = await run(['--to', 'evalset', '--out', out, ...args]);
      assert.equal(r.code, 0, r.stderr);
      return readJsonl(out).map((t) => t.id);
    };
    assert.deepEqual(await ids('--locality', 'cross-file'), ['T2']);
    assert.deepEqual(await ids('--verdict', 'unjudged'), ['T3']);
    assert.deepEqual(await ids('--verdict', 'in-scope'), ['T2']);
    assert.deepEqual(await ids('--verdict', 'none'), ['T1'], "T1's mock/m2 was rejected");
    assert.deepEqual(await ids('--verdict', 'accepted'), ['T1', 'T2', 'T4', 'T5']);
    assert.deepEqual(await ids('--since', '2026-11-12'), ['T3', 'T4', 'T5']);
    assert.deepEqual(await ids('--model', 'm3'), ['T1']);
    const t2 = readJsonl(out);
    assert.equal(t2[0].reference, null, 'm3 failed, so there is nothing to refer to');
  });

  it('reads logs written before the file length was recorded', async () => {
    const old = join(dir, 'old.jsonl');
    const line = JSON.parse(readFileSync(log, 'utf8').split('\n')[0]);
    delete line.totalLines;
    writeFileSync(old, JSON.stringify(line) + '\n');
    const out = join(dir, 'old-set.jsonl');
    assert.equal((await run(['--to', 'evalset', '--out', out, '--log', old])).code, 0);
    const [t] = readJsonl(out) as EvalSetTask[];
    assert.equal(t.totalLines, 5, 'the window hashes to the whole file, so its length is known');
    assert.deepEqual(messagesFor(t), buildPrompt(tasks.T1).messages);
  });

  it('exits 1 writing nothing when nothing matches, and 2 with one line for bad usage', async () => {
    const out = join(dir, 'none.jsonl');
    const r = await run(['--to', 'sft', '--out', out, '--verdict', 'unjudged']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^editscope export: nothing to export from .*evals\.jsonl: 1 task without an accepted edit left out; .*none\.jsonl not written\n$/);
    assert.ok(!existsSync(out));
    const empty = await run(['--to', 'evalset', '--out', out, '--since', '2030-01-01']);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /no task matches \(since 2030-01-01T00:00:00\.000Z\)/);
    const cases: Array<[string[], RegExp]> = [
      [['--out', out], /^editscope export: --to is required \(evalset, promptfoo, openai-evals, sft, dpo, rft\)\n$/],
      [['--to', 'csv', '--out', out], /^editscope export: --to must be one of evalset, promptfoo, openai-evals, sft, dpo, rft \(got "csv"\)\n$/],
      [['--to', 'sft'], /^editscope export: --out is required\n$/],
      [['--to', 'sft', '--out', out, '--log', join(dir, 'missing.jsonl')], /^editscope export: eval log .*missing\.jsonl does not exist\n$/],
      [['--to', 'sft', '--out', out, '--locality', 'remote'], /--locality must be one of local, cross-file, multi-file/],
      [['--to', 'sft', '--out', out, '--verdict', 'maybe'], /--verdict must be one of all, in-scope, picked, none, reverted, accepted, kept, unjudged/],
      [['--to', 'sft', '--out', out, '--since', 'yesterday'], /--since must be a date \(2026-11-01\), an ISO time, or a span like 30d or 4w \(got "yesterday"\)/],
      [['--to', 'sft', '--out', out, '--test-command', 'true'], /--test-command applies to --to evalset only/],
      [['--to', 'evalset', '--out', dir], /cannot write .*: it is a folder/],
    ];
    for (const [args, re] of cases) {
      const x = await run(args);
      assert.equal(x.code, 2, args.join(' '));
      assert.match(x.stderr, re);
      assert.equal(x.stderr.split('\n').length, 2, 'one line');
    }
    assert.ok(!existsSync(out));
  });
});

describe('export building blocks', () => {
  it('takes an in-scope reference without the hunk that puts a placeholder where code was, in a window of a longer file', () => {
    const head = 'a\nb\nc\nd\n';
    const windowText = ['// Reads the settings file.', 'function load(path) {', '  const text = read(path);', '  return JSON.parse(text);', '}', 'function total(xs) {', '  return sum(xs);', '}', ''].join('\n');
    const output = windowText.replace('  const text = read(path);\n  return JSON.parse(text);', '  // ... existing code ...').replace('return sum(xs)', 'return Math.round(sum(xs))');
    const analysis = toCheckJson(analyze(head + windowText, head + output, { fileName: 'a.js', ranges: [{ start: 5, end: 12 }] }));
    assert.ok(analysis.styleDrift.some((f) => f.rule === 'placeholder'), 'the analysis names the placeholder');
    const rec = { file: 'a.js', window: { start: 5, end: 12 }, windowText, ranges: [{ start: 5, end: 12 }] } as unknown as TaskRecord;
    const result = { output, analysis } as unknown as ResultRecord;
    assert.equal(inScopeOutput(rec, result), windowText.replace('return sum(xs)', 'return Math.round(sum(xs))'));
  });

  it('writes YAML that reads back exactly, whatever the strings hold', () => {
    const strings = [
      'plain', '', 'two\nlines', 'ends with newline\n', 'two newlines\n\n', '\nleading newline', '  indented first\nline', 'tab\tinside\nok',
      'crlf\r\nline', 'key: value # not a comment', '- not a list', '"quoted"', "it's", 'null', 'true', '123', 'unicode ✓ é 漢字\nline 2', 'del \x7f char',
      'trailing spaces   \nand   \n', '   \nonly spaces line', '---\n...', '|\n>', 'a\n    deeper\n  less\n',
      'javascript', 'Yes', 'NO', 'on', 'y', 'Null', '~', 'a.b/c-d_e', 'x:', 'a #b', '1e3', '.5', 'inf', '.nan',
    ];
    const doc = { list: strings, nested: { empty: [], obj: {}, n: 3, b: false, z: null, anchored: anchored('x', 'shared\ntext\n'), again: alias('x') } };
    const back = yaml.load(toYaml(doc)) as { list: string[]; nested: Record<string, unknown> };
    assert.deepEqual(back.list, strings);
    assert.deepEqual(back.nested, { empty: [], obj: {}, n: 3, b: false, z: null, anchored: 'shared\ntext\n', again: 'shared\ntext\n' });
  });

  it('search/replace answers apply to give the edit, for insertions, deletions and repeated lines', () => {
    const before = 'a\nb\nx\nb\nc\n';
    for (const after of ['a\nb\nx\nB\nc\n', 'a\nb\nx\nb\nnew\nc\n', 'a\nb\nb\nc\n', 'a\nb\nx\nb\nc\nend\n', 'start\na\nb\nx\nb\nc\n', 'a\nb\nx\nb\nc\n']) {
      const blocks = searchReplaceBlocks(before, after);
      const applied = applySearchReplace(before, blocks);
      assert.ok(applied.ok, after);
      assert.equal(applied.text.replace(/\n+$/, ''), after.replace(/\n+$/, ''), JSON.stringify(after));
    }
    const t = { prompt: { format: 'whole' }, language: 'text' } as EvalSetTask;
    assert.equal(answerFor(t, 'x\n```\ny\n'), '````\nx\n```\ny\n````', 'a longer fence when the text holds one');
  });
});
