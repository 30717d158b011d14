import * as assert from 'node:assert/strict';
import { runModels } from '../../src/core/edit/runModels';
import { createTask } from '../../src/core/task/createTask';
import { providerFromSetting, type ProviderConfig } from '../../src/core/providers/config';
import { createProviders } from '../../src/core/providers/registry';
import { startMockModelServer, type MockModelServer } from '../fixtures/mockModelServer';
import { SAMPLE } from './edit.fanout.test';

describe('one provider model for the editor and the CLI', () => {
  let server: MockModelServer;
  const task = () => createTask({ file: 'src/sample.ts', original: SAMPLE, range: { start: 13, end: 18 }, instruction: 'Mark it' });
  before(async () => {
    server = await startMockModelServer();
  });
  after(() => server.close());

  it('reads a setting written with baseURL or baseUrl, baseURL winning, and drops fields settings do not offer', () => {
    assert.deepEqual(providerFromSetting({ id: 'a', baseURL: 'http://x/v1', models: ['m'] }), { id: 'a', baseUrl: 'http://x/v1', models: ['m'], prices: undefined });
    assert.equal(providerFromSetting({ id: 'a', baseUrl: 'http://y/v1' }).baseUrl, 'http://y/v1');
    assert.equal(providerFromSetting({ id: 'a', baseURL: 'http://x/v1', baseUrl: 'http://y/v1' }).baseUrl, 'http://x/v1');
    const withKey = providerFromSetting({ id: 'a', apiKeyEnv: 'HOME' } as { id: string });
    assert.equal(withKey.apiKeyEnv, undefined);
  });

  it('sends each provider the key its lookup gives, the default one included, and hands every key to redaction', async () => {
    const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-env-default-1' };
    const stored = new Map([['mock', 'sk-stored-mock-1']]);
    const seen: string[] = [];
    const lookup = (c: ProviderConfig) => stored.get(c.id) ?? (c.apiKeyEnv ? env[c.apiKeyEnv as keyof typeof env] : undefined);
    const providers = createProviders([{ id: 'mock', baseUrl: server.url }], env, { add: (...k) => seen.push(...k.filter((x): x is string => !!x)) }, lookup);
    assert.deepEqual([...providers.keys()], ['openai', 'mock']);
    const before = server.requests.length;
    const results = await runModels(task(), ['good', 'mock/good'], { providers });
    assert.deepEqual(results.map((r) => r.ok), [true, true]);
    assert.deepEqual(server.requests.slice(before).map((r) => r.authorization).sort(), ['Bearer sk-env-default-1', 'Bearer sk-stored-mock-1']);
    assert.deepEqual(seen.sort(), ['sk-env-default-1', 'sk-stored-mock-1']);
  });

  it('lets a configured openai provider replace the default, and refuses credentials in OPENAI_BASE_URL', () => {
    const providers = createProviders([{ id: 'openai', baseUrl: server.url }], { OPENAI_BASE_URL: 'http://user:pass@127.0.0.1:9/v1' });
    assert.deepEqual([...providers.keys()], ['openai']);
    assert.throws(() => createProviders([], { OPENAI_BASE_URL: 'http://user:pass@127.0.0.1:9/v1' }), /OPENAI_BASE_URL holds a user name or password/);
  });
});
