import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockModelServer, type MockModelServer } from '../fixtures/mockModelServer';
import { cli } from './cliHarness';
import { SAMPLE } from './edit.fanout.test';

describe('editscope edit', () => {
  let server: MockModelServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const KEY = 'sk-never-print-me-4242';
  before(async () => {
    server = await startMockModelServer();
    dir = mkdtempSync(join(tmpdir(), 'editscope-edit-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'sample.ts'), SAMPLE);
    writeFileSync(join(dir, 'src', 'types.ts'), 'export type Item = number;\n');
    mkdirSync(join(dir, '.editscope'));
    writeFileSync(
      join(dir, '.editscope', 'config.json'),
      JSON.stringify({ providers: [{ id: 'mock', baseUrl: server.url, apiKeyEnv: 'MOCK_API_KEY', retryBaseMs: 10, prices: { good: { inputPerMTok: 1, outputPerMTok: 4 } } }] }),
    );
    env = { MOCK_API_KEY: KEY, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: KEY, XDG_CONFIG_HOME: join(dir, 'user-config') };
    assert.equal((await cli(['trust'], { cwd: dir, env })).code, 0);
  });
  after(() => server.close());

  const base = ['edit', '--file', 'src/sample.ts', '--range', '13-18', '--instruction', 'Mark the function as edited'];

  it('prints one JSON object in the contract shape and never writes the file', async () => {
    const r = await cli([...base, '--model', 'mock/good', '--model', 'mock/overreach', '--model', 'mock/prose', '--format', 'json'], { cwd: dir, env });
    assert.equal(r.code, 1, 'a failed model makes the exit status 1');
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), ['task', 'results']);
    assert.equal(json.task.file, 'src/sample.ts');
    assert.deepEqual(json.task.range, { start: 13, end: 18 });
    assert.equal(json.task.locality, 'local');
    assert.deepEqual(json.task.contextFiles, []);
    assert.match(json.task.id, /^\d{8}-\d{6}-[0-9a-f]{6}$/);
    const [good, over, prose] = json.results;
    for (const k of ['model', 'ok', 'error', 'latencyMs', 'usage', 'costUsd', 'analysis']) assert.ok(k in good, k);
    assert.equal(good.ok, true);
    assert.equal(good.error, null);
    assert.equal(typeof good.usage.inputTokens, 'number');
    assert.equal(typeof good.costUsd, 'number');
    assert.equal(good.analysis.outOfScopeHunks, 0);
    assert.equal(over.analysis.outOfScopeHunks, 2);
    assert.ok(over.analysis.hunks.every((h: Record<string, unknown>) => 'originalStart' in h && 'scope' in h && 'whitespaceOnly' in h));
    assert.deepEqual(prose.error.kind, 'malformed-output');
    assert.equal(prose.analysis, null);
    assert.equal(readFileSync(join(dir, 'src', 'sample.ts'), 'utf8'), SAMPLE);
    assert.ok(!r.stdout.includes(KEY) && !r.stderr.includes(KEY));
  });

  it('sends context files to the model; a region that uses nothing from them stays local', async () => {
    const r = await cli([...base, '--model', 'good', '--context', 'src/types.ts', '--format', 'json'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.task.locality, 'local');
    assert.deepEqual(json.task.dependsOn, []);
    assert.deepEqual(json.task.contextFiles, ['src/types.ts']);
    assert.equal(json.results[0].model, 'good', 'a bare name goes to the default provider from OPENAI_BASE_URL');
    assert.match(server.requests.at(-1)!.messages[1].content, /<context_file path="src\/types.ts">\nexport type Item = number;/);
  });

  it('calls a region that uses an imported function cross-file, naming the file and the function, with no flags', async () => {
    writeFileSync(join(dir, 'src', 'money.ts'), 'export function cents(x: number): number {\n  return Math.round(x * 100);\n}\n');
    writeFileSync(join(dir, 'src', 'price.ts'), "import { cents } from './money';\n\nexport function price(x: number): string {\n  return `${cents(x)}c`;\n}\n\nexport function twice(x: number): number {\n  return x * 2;\n}\n");
    const run = async (range: string) => JSON.parse((await cli(['edit', '--file', 'src/price.ts', '--range', range, '--instruction', 'Tidy', '--model', 'good', '--format', 'json'], { cwd: dir, env })).stdout).task;
    const cross = await run('3-5');
    assert.equal(cross.locality, 'cross-file');
    assert.deepEqual(cross.dependsOn, [{ file: 'src/money.ts', symbols: ['cents'] }]);
    assert.deepEqual(cross.contextFiles, [], 'nothing is sent that was not asked for');
    const local = await run('7-9');
    assert.equal(local.locality, 'local');
    assert.deepEqual(local.dependsOn, []);

    // --context auto sends the definition the region uses, and an explicit file besides.
    const auto = await cli(['edit', '--file', 'src/price.ts', '--range', '3-5', '--instruction', 'Tidy', '--model', 'good', '--context', 'auto', '--context', 'src/types.ts', '--format', 'json'], { cwd: dir, env });
    assert.equal(auto.code, 0, auto.stderr);
    assert.deepEqual(JSON.parse(auto.stdout).task.contextFiles, ['src/types.ts', 'src/money.ts']);
    const sent = server.requests.at(-1)!.messages[1].content;
    assert.match(sent, /<context_file path="src\/money.ts">\nexport function cents\(x: number\): number \{\n  return Math.round\(x \* 100\);\n\}\n<\/context_file>/);
    assert.match(sent, /<context_file path="src\/types.ts">/);
    const bad = await cli(['edit', '--file', 'src/price.ts', '--range', '3-5', '--instruction', 'Tidy', '--model', 'good', '--context-budget', '100'], { cwd: dir, env });
    assert.deepEqual([bad.code, bad.stderr.trim()], [2, 'editscope edit: --context-budget needs --context auto']);
  });

  it('explains each result in text', async () => {
    const r = await cli([...base, '--model', 'mock/overreach', '--model', 'mock/always-500'], { cwd: dir, env });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /mock\/overreach\s+[\d.]+ s\s+1 in scope, 2 out of scope, 2 style/);
    assert.match(r.stdout, /mock\/always-500\s+[\d.]+ s\s+server: Server error \(500\)/);
    assert.match(r.stdout, /Out of scope:/);
    assert.match(r.stdout, /comments-removed/);
  });

  it('writes the file only with --apply, and only the in-scope hunks with --in-scope-only', async () => {
    const file = join(dir, 'src', 'apply.ts');
    writeFileSync(file, SAMPLE);
    const r = await cli(['edit', '--file', 'src/apply.ts', '--range', '13-18', '--instruction', 'x', '--model', 'mock/overreach', '--apply', 'mock/overreach', '--in-scope-only'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(file, 'utf8'), SAMPLE.replace('  return sum;\n}', '  return sum;\n  // edited as asked\n}'));
    const bad = await cli(['edit', '--file', 'src/apply.ts', '--range', '13-18', '--instruction', 'x', '--model', 'mock/truncated', '--apply', 'mock/truncated'], { cwd: dir, env });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not applying mock\/truncated: it has no usable edit \(truncated\)/);
  });

  it('appends the task and its results to the eval log with --log, without the key', async () => {
    const r = await cli([...base, '--model', 'mock/good', '--model', 'mock/unauthorized', '--log', '--format', 'json'], { cwd: dir, env });
    const id = JSON.parse(r.stdout).task.id;
    const log = readFileSync(join(dir, '.editscope', 'evals.jsonl'), 'utf8');
    const records = log.trim().split('\n').map((l) => JSON.parse(l));
    const task = records.find((x) => x.kind === 'task' && x.id === id);
    assert.ok(task, 'the task record is in the log');
    assert.equal(task.source, 'cli');
    assert.ok(!log.includes(KEY));
  });

  it('never writes a lazy answer whole; --in-scope-only writes its real change and keeps the code a placeholder stands for', async () => {
    const lines = SAMPLE.split('\n');
    const lazy = [...lines.slice(0, 8), '  // ... existing code ...', ...lines.slice(10)].join('\n').replace('  return sum;', '  return Math.round(sum);');
    server.answerWith('lazy', '```ts\n' + lazy + '```\n');
    const file = join(dir, 'src', 'sample.ts');
    const args = ['edit', '--file', 'src/sample.ts', '--range', '7-19', '--instruction', 'Round the total', '--model', 'mock/lazy', '--apply', 'mock/lazy'];

    const whole = await cli(args, { cwd: dir, env });
    assert.equal(whole.code, 1, whole.stderr);
    assert.match(whole.stderr, /not applying mock\/lazy: its answer puts a placeholder comment \(src\/sample\.ts:9\) where 2 original lines stood/);
    assert.equal(readFileSync(file, 'utf8'), SAMPLE, 'a lazy answer is never written whole');

    const inScope = await cli([...args, '--in-scope-only'], { cwd: dir, env });
    assert.equal(inScope.code, 0, inScope.stderr);
    assert.match(inScope.stderr, /Left out: the hunk holding a placeholder comment \(src\/sample\.ts:9\)/);
    assert.equal(readFileSync(file, 'utf8'), SAMPLE.replace('  return sum;', '  return Math.round(sum);'));
    writeFileSync(file, SAMPLE);
  });

  it('exits 2 with one line naming the problem for bad usage and bad input', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['edit', '--file', 'src/sample.ts', '--range', '13-18', '--instruction', 'x'], /--model is required/],
      [['edit', '--file', 'src/missing.ts', '--range', '1-2', '--instruction', 'x', '--model', 'good'], /file .*missing.ts does not exist/],
      [['edit', '--file', 'src/sample.ts', '--range', '90-95', '--instruction', 'x', '--model', 'good'], /range 90-95 is outside src\/sample.ts, which has 19 lines/],
      [['edit', '--file', 'src/sample.ts', '--range', '1-2', '--instruction', 'x', '--model', 'good', '--timeout', '0'], /--timeout must be a positive number/],
      [['edit', '--file', 'src/sample.ts', '--range', '1-2', '--instruction', 'x', '--model', 'good', '--apply', 'other'], /--apply other is not one of the --model values/],
      [['edit', '--file', 'src/sample.ts', '--range', '1-2', '--instruction', 'x', '--model', 'good', '--config', 'nope.json'], /cannot read provider config/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, { cwd: dir, env });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
    assert.ok(!existsSync(join(dir, 'src', 'missing.ts')));
  });
});
