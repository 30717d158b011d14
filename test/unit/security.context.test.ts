import * as assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { autoContext } from '../../src/core/locality/autoContext';
import { dependsOn } from '../../src/core/locality/dependsOn';
import { runModels } from '../../src/core/edit/runModels';
import { createTask } from '../../src/core/task/createTask';
import { createProviders } from '../../src/core/providers/registry';
import { startMockModelServer, type MockModelServer } from '../fixtures/mockModelServer';
import { cli } from './cliHarness';
import { workspace } from './locality.dependsOn.test';
import { SAMPLE } from './edit.fanout.test';


const SETTINGS = [
  'import os',
  '',
  "SECRET_KEY = 'django-insecure-9x!k2v$hunter2-long-secret'",
  'DEBUG = False',
  "TIME_ZONE = 'Europe/Paris'",
  'DATABASES = {',
  "    'default': {",
  "        'ENGINE': 'django.db.backends.postgresql',",
  "        'PASSWORD': 'db-password-hunter2',",
  '    }',
  '}',
  '',
].join('\n');
const VIEW = ['from app.settings import TIME_ZONE', '', 'def zone():', '    return TIME_ZONE', ''].join('\n');

describe('what --context auto and the editor may send', () => {
  it('never sends env files, key files, or files .editscope/ignore or .gitignore exclude, whatever the code imports', () => {
    const root = workspace({
      '.env.local': 'DB_PASS=hunter2\n',
      'certs/server.key': 'not really a key\n',
      'src/local.ts': 'export const x = 1;\n',
      'src/gen/api.ts': 'export const y = 2;\n',
      'src/plain.ts': 'export const z = 3;\n',
      '.editscope/ignore': 'src/local.ts\n',
      '.gitignore': 'node_modules\n',
      'src/.gitignore': 'gen/\n',
    });
    const deps = ['.env.local', 'certs/server.key', 'src/local.ts', 'src/gen/api.ts', 'src/plain.ts'].map((file) => ({ file, symbols: [] }));
    const auto = autoContext(deps, { root });
    assert.deepEqual(auto.files.map((f) => f.path), ['src/plain.ts']);
    assert.deepEqual(auto.skipped, [
      { file: '.env.local', reason: 'never sent: an env file, which holds secrets' },
      { file: 'certs/server.key', reason: 'never sent: a key or certificate file' },
      { file: 'src/local.ts', reason: 'never sent: excluded by .editscope/ignore' },
      { file: 'src/gen/api.ts', reason: 'never sent: excluded by src/.gitignore' },
    ]);
  });

  it('sends only the definitions used from a settings module that also holds secrets, and no secret value', async () => {
    const root = workspace({ 'app/__init__.py': '', 'app/settings.py': SETTINGS, 'app/views.py': VIEW });
    const auto = autoContext([{ file: 'app/settings.py', symbols: ['TIME_ZONE'] }], { root });
    const sent = auto.files.map((f) => f.text).join('');
    assert.match(sent, /TIME_ZONE = 'Europe\/Paris'/);
    assert.doesNotMatch(sent, /SECRET_KEY|hunter2|PASSWORD/);
    // A secret the selection uses is sent by name, its value redacted.
    const secret = autoContext([{ file: 'app/settings.py', symbols: ['SECRET_KEY'] }], { root });
    assert.equal(secret.files.map((f) => f.text).join(''), "SECRET_KEY = '[redacted]'\n");
    // The whole module imported: nothing it defines is named, so nothing is sent.
    assert.deepEqual(autoContext([{ file: 'app/settings.py', symbols: [] }], { root }).files, []);
  });

  it('sends a link planted in the workspace to a file outside it as nothing', () => {
    const outside = workspace({ 'id.txt': 'export const stolen = 1;\n' });
    const root = workspace({});
    mkdirSync(join(root, 'src'));
    symlinkSync(join(outside, 'id.txt'), join(root, 'src', 'dep.ts'));
    const auto = autoContext([{ file: 'src/dep.ts', symbols: ['stolen'] }], { root });
    assert.deepEqual(auto.files, []);
    assert.deepEqual(auto.skipped, [{ file: 'src/dep.ts', reason: 'never sent: a link to a file outside the workspace' }]);
  });
});

describe('keys never reach a model', () => {
  let server: MockModelServer;
  before(async () => {
    server = await startMockModelServer();
  });
  after(() => server.close());

  it('editscope edit --context auto sends one setting from a settings module, not its secret key or database password', async () => {
    const root = workspace({ 'app/__init__.py': '', 'app/settings.py': SETTINGS, 'app/views.py': VIEW });
    const before = server.requests.length;
    const r = await cli(['edit', '--file', 'app/views.py', '--range', '3-4', '--instruction', 'Add a docstring', '--model', 'good', '--context', 'auto'], {
      cwd: root,
      env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-123', XDG_CONFIG_HOME: join(root, 'xdg') },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /context sent: app\/settings.py/);
    const sent = JSON.stringify(server.requests.slice(before).map((q) => q.messages));
    assert.match(sent, /TIME_ZONE = 'Europe\/Paris'/);
    assert.doesNotMatch(sent, /hunter2|SECRET_KEY/);
  });

  it('hides the live key and key-shaped values from every prompt, and gives them back in the answer', async () => {
    const LIVE = 'live-key-value-7f3a9b2c1d';
    const SHAPED = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
    const original = SAMPLE.replace('\n', `\nconst openai = '${SHAPED}';\n`);
    const task = createTask({
      file: 'src/sample.ts',
      original,
      range: { start: 14, end: 19 },
      instruction: 'Mark the function as edited',
      contextFiles: [{ path: 'src/keys.ts', text: `export const KEY = '${LIVE}';\nexport const AWS = 'AKIAABCDEFGHIJKLMNOP';\nexport const PEM = \`-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x\n-----END RSA PRIVATE KEY-----\`;\n` }],
    });
    const providers = createProviders([{ id: 'mock', baseUrl: server.url, apiKeyEnv: 'MOCK_KEY' }], { MOCK_KEY: 'sk-test-123' });
    const before = server.requests.length;
    const [r] = await runModels(task, ['mock/good'], { providers, secrets: [LIVE] });
    const sent = JSON.stringify(server.requests.slice(before).map((q) => q.messages));
    for (const secret of [LIVE, SHAPED, 'AKIAABCDEFGHIJKLMNOP', 'MIIEowIBAAKCAQEA7x']) assert.ok(!sent.includes(secret), `${secret} was sent`);
    assert.match(sent, /\[redacted-\d\]/);
    assert.equal(r.ok, true, r.error?.message);
    assert.equal(r.analysis!.outOfScopeHunks, 0, 'the key the answer gave back as its stand-in is the key again');
    assert.ok(r.edited!.includes(SHAPED));
  });
});

describe('a workspace opened through a link', () => {
  it('keeps its TS/JS dependencies and its context', () => {
    const main = "import { total } from './math';\nexport const r = total([1]);\n";
    const real = workspace({ 'src/main.ts': main, 'src/math.ts': 'export function total(xs: number[]): number {\n  return xs.length;\n}\n', 'tsconfig.json': '{}' });
    const link = `${real}-link`;
    symlinkSync(real, link);
    const deps = dependsOn({ root: link, file: join(link, 'src/main.ts'), text: main, range: { start: 2, end: 2 } });
    assert.deepEqual(deps, [{ file: 'src/math.ts', symbols: ['total'] }]);
    assert.deepEqual(autoContext(deps, { root: link }).files.map((f) => f.path), ['src/math.ts']);
  });
});

describe('context named by hand (editscope edit --context)', () => {
  it('refuses an env file, a key file or an ignored file, naming why, before anything is sent', async () => {
    const root = workspace({ 'src/sample.ts': SAMPLE, '.env.local': 'X=1\n', 'deploy/tls.pem': 'x\n', 'notes/private.md': 'x\n', '.editscope/ignore': 'notes/\n' });
    for (const [file, why] of [
      ['.env.local', 'an env file, which holds secrets'],
      ['deploy/tls.pem', 'a key or certificate file'],
      ['notes/private.md', 'excluded by .editscope/ignore'],
    ]) {
      const r = await cli(['edit', '--file', 'src/sample.ts', '--range', '13-18', '--instruction', 'x', '--model', 'good', '--context', file], { cwd: root, env: { OPENAI_API_KEY: 'sk-test-123', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `editscope edit: --context ${file} is ${why}; Edit Scope never sends it to a model\n`);
    }
  });
});

describe('context reached through a link or a credentials folder', () => {
  it('judges a link inside the workspace by the file it leads to, and never sends .git or .ssh files', () => {
    const root = workspace({ '.env.production': 'DB=postgres://u:hunter2@db/app\n', '.git/config': '[remote]\n', 'keys/.ssh/config': 'Host x\n' });
    mkdirSync(join(root, 'src'));
    symlinkSync(join(root, '.env.production'), join(root, 'src', 'config.ts'));
    const auto = autoContext(['src/config.ts', '.git/config', 'keys/.ssh/config'].map((file) => ({ file, symbols: [] })), { root });
    assert.deepEqual(auto.files, []);
    assert.deepEqual(auto.skipped.map((s) => s.reason), [
      'never sent: a link to .env.production, an env file, which holds secrets',
      'never sent: inside .git, which holds credentials',
      'never sent: inside .ssh, which holds credentials',
    ]);
  });
});
