import * as assert from 'node:assert/strict';
import { runModels } from '../../src/core/edit/runModels';
import { createTask } from '../../src/core/task/createTask';
import { loadProvidersConfig, validateProviders } from '../../src/core/providers/config';
import { retryAfterMs } from '../../src/core/providers/openai';
import { createProviders, resolveModel } from '../../src/core/providers/registry';
import { caseFile } from '../fixtures/cases';
import { startMockModelServer, type MockModelServer } from '../fixtures/mockModelServer';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The file the mock models edit (lines 13-18, `total`), shared with the answer, log and provider tests. */
export const SAMPLE = caseFile('fanout', 'sample', 'before.ts');

describe('model fan-out against a loopback Chat Completions server', () => {
  let server: MockModelServer;
  const task = () => createTask({ file: 'src/sample.ts', original: SAMPLE, range: { start: 13, end: 18 }, instruction: 'Mark the function as edited' });
  const providers = () => createProviders([{ id: 'mock', baseUrl: server.url, apiKeyEnv: 'MOCK_KEY', retryBaseMs: 20, prices: { good: { inputPerMTok: 2, outputPerMTok: 8 } } }], { MOCK_KEY: 'sk-test-123' });
  before(async () => {
    server = await startMockModelServer({ slowMs: 3000 });
  });
  after(() => server.close());

  it('runs every model in parallel; each keeps its own result and error', async () => {
    const models = ['good', 'overreach', 'drift-quotes', 'flaky-429', 'always-500', 'prose', 'truncated', 'garbage', 'unauthorized', 'nope'].map((m) => `mock/${m}`);
    const results = await runModels(task(), models, { providers: providers(), timeoutMs: 10_000 });
    const by = Object.fromEntries(results.map((r) => [r.model.slice(5), r]));
    assert.deepEqual(results.map((r) => r.model), models);

    assert.equal(by.good.ok, true);
    assert.equal(by.good.analysis!.outOfScopeHunks, 0);
    assert.deepEqual(by.good.analysis!.styleDrift, []);
    assert.match(by.good.edited!, /  return sum;\n  \/\/ edited as asked\n}/);
    assert.equal(by.good.provider, 'mock');
    assert.ok(by.good.usage!.inputTokens > 0 && by.good.usage!.outputTokens > 0);
    const expectedCost = (by.good.usage!.inputTokens * 2 + by.good.usage!.outputTokens * 8) / 1e6;
    assert.equal(by.good.costUsd, expectedCost);
    assert.equal(by['overreach'].costUsd, null, 'no price known, no cost');
    assert.ok(by.good.ttftMs !== null && by.good.ttftMs <= by.good.latencyMs);
    assert.deepEqual(by.good.promptTemplate, { id: 'editscope-whole', version: 2 });

    const over = by.overreach.analysis!;
    assert.equal(over.outOfScopeHunks, 2);
    assert.ok(over.styleDrift.some((f) => f.rule === 'comments-removed'));
    assert.ok(over.styleDrift.some((f) => f.rule === 'indent'));
    assert.deepEqual(by['drift-quotes'].analysis!.styleDrift.map((f) => f.rule), ['quotes']);

    assert.equal(by['flaky-429'].ok, true);
    assert.equal(by['flaky-429'].retries, 1);
    assert.ok(by['flaky-429'].latencyMs >= 200, 'waited as retry-after-ms asked');

    const kinds = Object.fromEntries(results.filter((r) => !r.ok).map((r) => [r.model.slice(5), r.error!.kind]));
    assert.deepEqual(kinds, {
      'always-500': 'server',
      prose: 'malformed-output',
      truncated: 'truncated',
      garbage: 'server',
      unauthorized: 'auth',
      nope: 'not-found',
    });
    assert.match(by['always-500'].error!.message, /after 3 retries/);
    for (const r of results.filter((r) => !r.ok)) assert.equal(r.edited, null, `${r.model} must never be applicable`);
    // The key reached the server and nowhere else.
    assert.ok(server.requests.every((q) => q.authorization === 'Bearer sk-test-123'));
    assert.ok(!JSON.stringify(results).includes('sk-test-123'));
  });

  it('times out one slow model without holding up the others', async () => {
    const started = Date.now();
    const results = await runModels(task(), ['mock/slow', 'mock/good'], { providers: providers(), timeoutMs: 500 });
    assert.equal(results[0].error?.kind, 'timeout');
    assert.match(results[0].error!.message, /within 0.5 s/);
    assert.equal(results[1].ok, true);
    assert.ok(Date.now() - started < 2500);
  });

  it('cancels every model through one AbortSignal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const results = await runModels(task(), ['mock/slow', 'mock/slow-2000ms'], { providers: providers(), signal: controller.signal });
    assert.deepEqual(results.map((r) => r.error?.kind), ['cancelled', 'cancelled']);
  });

  it('reports progress while streaming and keeps to the concurrency limit', async () => {
    const states: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    await runModels(task(), ['mock/good-100ms', 'mock/good-150ms', 'mock/good-50ms'], {
      providers: providers(),
      concurrency: 2,
      onProgress: (e) => {
        states.push(`${e.model}:${e.state}`);
        if (e.state === 'running') maxInFlight = Math.max(maxInFlight, ++inFlight);
        if (e.state === 'done') inFlight--;
      },
    });
    assert.equal(maxInFlight, 2);
    assert.ok(states.includes('mock/good-50ms:streaming'));
    assert.equal(states.filter((s) => s.endsWith(':done')).length, 3);
  });

  it('works with a server that does not stream', async () => {
    const p = createProviders([{ id: 'plain', baseUrl: server.url, stream: false }], {});
    const [r] = await runModels(task(), ['plain/good'], { providers: p });
    assert.equal(r.ok, true, r.error?.message);
    assert.equal(r.ttftMs, null);
    assert.equal(server.requests.at(-1)!.stream, false);
  });

  it('edits with search-replace blocks as a second format', async () => {
    const [r] = await runModels(task(), ['mock/good'], { providers: providers(), editFormat: 'search-replace' });
    assert.equal(r.ok, true, r.error?.message);
    assert.deepEqual(r.promptTemplate, { id: 'editscope-search-replace', version: 2 });
    assert.match(server.requests.at(-1)!.messages[0].content, /<<<<<<< SEARCH/);
    assert.equal(r.edited, SAMPLE.replace('  return sum;\n}', '  return sum;\n  // edited as asked\n}'));
  });
});

describe('providers', () => {
  it('defaults to OPENAI_BASE_URL and OPENAI_API_KEY, and routes provider/model names', () => {
    const p = createProviders([{ id: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1' }], { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'k' });
    assert.equal(resolveModel('gpt-4.1', p).provider.id, 'openai');
    assert.deepEqual([resolveModel('ollama/llama3:8b', p).provider.id, resolveModel('ollama/llama3:8b', p).model], ['ollama', 'llama3:8b']);
    // An unknown prefix is a mistake, never a model for the default provider (and its key);
    // a model whose own name has a slash is named after its provider.
    assert.throws(() => resolveModel('olama/qwen', p), /model "olama\/qwen": no provider "olama" \(known: openai, ollama\); .* e\.g\. openai\/olama\/qwen/);
    assert.deepEqual([resolveModel('openai/anthropic/claude-sonnet-4', p).provider.id, resolveModel('openai/anthropic/claude-sonnet-4', p).model], ['openai', 'anthropic/claude-sonnet-4']);
  });

  it('refuses a config that holds a key or has a bad field, naming it', () => {
    assert.throws(() => validateProviders([{ id: 'x', apiKey: 'sk-1' }], 'cfg'), /cfg: providers\[0\] holds a key; put the key in an environment variable/);
    assert.throws(() => validateProviders([{ id: 'x', baseUrl: 'not a url' }], 'cfg'), /providers\[0\].baseUrl is not a URL/);
    assert.throws(() => validateProviders([{ id: 'x', prices: { m: { inputPerMTok: 1 } } }], 'cfg'), /prices\["m"\] needs inputPerMTok and outputPerMTok/);
    assert.throws(() => validateProviders([{ id: 'x' }, { id: 'x' }], 'cfg'), /"x" is used twice/);
    const dir = mkdtempSync(join(tmpdir(), 'editscope-cfg-'));
    const env = { XDG_CONFIG_HOME: join(dir, 'home-config') };
    assert.deepEqual(loadProvidersConfig(dir, undefined, env), [], 'no config file, no extra providers');
    mkdirSync(join(dir, '.editscope'));
    writeFileSync(join(dir, '.editscope', 'config.json'), '{"providers": [');
    assert.throws(() => loadProvidersConfig(dir, '.editscope/config.json', env), /config.json is not valid JSON/);
  });

  it('says which key is missing for OpenAI itself instead of sending no key', async () => {
    const [r] = await runModels(createTask({ file: 'a.ts', original: 'a\n', range: { start: 1, end: 1 }, instruction: 'x' }), ['gpt-4.1'], { providers: createProviders([], {}) });
    assert.equal(r.error?.kind, 'auth');
    assert.match(r.error!.message, /set OPENAI_API_KEY/);
  });

  it('reads retry-after in milliseconds, seconds or as a date', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now), 250);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': '2' }), now), 2000);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': 'Mon, 23 Nov 2026 10:00:03 GMT' }), now), 3000);
    assert.equal(retryAfterMs(new Headers({}), now), undefined);
  });
});
