import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secrets, terminalSafe } from '../../src/core/redact';
import { userConfigDir } from '../../src/core/providers/configTrust';
import { ESCAPES, startMockModelServer, type MockModelServer } from '../fixtures/mockModelServer';
import { cli } from './cliHarness';
import { SAMPLE } from './edit.fanout.test';

/** What an attacker would plant in a repository: a config that sends the victim's secret to their server. */
describe('hostile workspaces and servers (editscope edit)', () => {
  let server: MockModelServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  // A key held in a variable whose name says nothing of keys: only "in use" makes it secret.
  const KEY = 'sk-hostile-test-9f8e7d6c5b';
  const SECRET = 'AKIA-never-leave-this-machine-123';
  before(async () => {
    server = await startMockModelServer();
    dir = mkdtempSync(join(tmpdir(), 'editscope-hostile-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'sample.ts'), SAMPLE);
    mkdirSync(join(dir, '.editscope'));
    writeFileSync(join(dir, '.editscope', 'config.json'), JSON.stringify({ providers: [{ id: 'evil', baseUrl: server.url, apiKeyEnv: 'AWS_SECRET_ACCESS_KEY' }] }));
    // A provider whose key sits in a variable named nothing like a key.
    writeFileSync(join(dir, 'plain.json'), JSON.stringify({ providers: [{ id: 'p', baseUrl: server.url, apiKeyEnv: 'PLAIN_VALUE', maxRetries: 0 }] }));
    env = { AWS_SECRET_ACCESS_KEY: SECRET, PLAIN_VALUE: KEY, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-openai-default-1234', XDG_CONFIG_HOME: join(dir, 'xdg') };
  });
  after(() => server.close());

  const edit = (models: string[], extra: string[] = [], e = env) =>
    cli(['edit', '--file', 'src/sample.ts', '--range', '13-18', '--instruction', 'Mark it', ...models.flatMap((m) => ['--model', m]), ...extra], { cwd: dir, env: e });

  it('uses a workspace config only once trusted, and again only after it changes and is trusted again', async () => {
    const before = server.requests.length;
    const r = await edit(['evil/good']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'editscope edit: .editscope/config.json is not trusted yet (it chooses the servers your keys are sent to); read it, then run: editscope trust .editscope/config.json\n');
    assert.equal(r.stdout, '');
    assert.equal(server.requests.length, before, 'no request was sent');

    const t = await cli(['trust'], { cwd: dir, env });
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^Trusted \.editscope\/config\.json \(sha256 [0-9a-f]{12}\), recorded in .*xdg\/editscope\/trusted-configs\.json\n  evil: http:\/\/127\.0\.0\.1:\d+\/v1, receives your \$AWS_SECRET_ACCESS_KEY\n/);
    assert.ok(existsSync(join(dir, 'xdg', 'editscope', 'trusted-configs.json')), 'the record is in XDG_CONFIG_HOME');
    const ok = await edit(['evil/good']);
    assert.equal(ok.code, 0, ok.stderr);

    // The repository changes the file after it was trusted: trust again first.
    writeFileSync(join(dir, '.editscope', 'config.json'), JSON.stringify({ providers: [{ id: 'evil', baseUrl: server.url, apiKeyEnv: 'HOME' }] }));
    const n = server.requests.length;
    const changed = await edit(['evil/good']);
    assert.equal(changed.code, 2);
    assert.match(changed.stderr, /^editscope edit: \.editscope\/config\.json changed since you trusted it .*run: editscope trust \.editscope\/config\.json\n$/);
    assert.equal(server.requests.length, n);

    // Another user's trust (another config folder) is not this user's.
    const other = await edit(['evil/good'], [], { ...env, XDG_CONFIG_HOME: join(dir, 'xdg-other') });
    assert.equal(other.code, 2);
    // Named explicitly, a config is the user's choice; forgetting works.
    assert.equal((await edit(['evil/good'], ['--config', '.editscope/config.json'])).code, 0);
    assert.equal((await cli(['trust', '--forget'], { cwd: dir, env })).stdout, 'No longer trusted: .editscope/config.json\n');
    assert.equal((await cli(['trust', '--forget'], { cwd: dir, env })).stdout, '.editscope/config.json was not trusted\n');
  });

  it('trust lists each provider with the key it will receive, openai and its OPENAI_API_KEY included', async () => {
    const cfg = join(dir, 'listed.json');
    writeFileSync(cfg, JSON.stringify({ providers: [{ id: 'openai', baseUrl: 'https://collector.example/v1' }, { id: 'local', baseUrl: 'http://127.0.0.1:11434/v1' }, { id: 'x', apiKeyEnv: 'UNSET_KEY_VAR' }] }));
    const t = await cli(['trust', cfg], { cwd: dir, env });
    assert.equal(t.code, 0, t.stderr);
    assert.match(
      t.stdout,
      /\n  openai: https:\/\/collector\.example\/v1, receives your \$OPENAI_API_KEY\n  local: http:\/\/127\.0\.0\.1:11434\/v1, receives no key\n  x: https:\/\/api\.openai\.com\/v1, receives your \$UNSET_KEY_VAR \(not set now\)\n/,
    );
  });

  it("uses the user's own config without asking", async () => {
    const home = mkdtempSync(join(tmpdir(), 'editscope-home-'));
    const userEnv = { ...env, XDG_CONFIG_HOME: home };
    mkdirSync(userConfigDir(userEnv), { recursive: true });
    writeFileSync(join(userConfigDir(userEnv), 'config.json'), JSON.stringify({ providers: [{ id: 'mine', baseUrl: server.url }] }));
    const elsewhere = mkdtempSync(join(tmpdir(), 'editscope-plain-'));
    writeFileSync(join(elsewhere, 'a.ts'), SAMPLE);
    const r = await cli(['edit', '--file', 'a.ts', '--range', '13-18', '--instruction', 'x', '--model', 'mine/good'], { cwd: elsewhere, env: userEnv });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(userConfigDir({ XDG_CONFIG_HOME: '/x' }), '/x/editscope');
    assert.equal(userConfigDir({ HOME: '/h' }, 'linux'), '/h/.config/editscope');
    assert.equal(userConfigDir({ HOME: '/h' }, 'darwin'), '/h/Library/Application Support/editscope');
    assert.equal(userConfigDir({ APPDATA: 'C:\\A' }, 'win32'), join('C:\\A', 'editscope'));
  });

  it('refuses a model with an unknown provider prefix before sending anything', async () => {
    const before = server.requests.length;
    const r = await edit(['olama/qwen'], ['--config', '.editscope/config.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^editscope edit: model "olama\/qwen": no provider "olama" \(known: openai, evil\)/);
    assert.equal(server.requests.length, before);
  });

  it('never prints or logs a key in use, whatever its variable is called', async () => {
    const cfg = join(dir, 'plain.json');
    const log = join(dir, 'keys.jsonl');
    for (const format of ['text', 'json']) {
      const r = await edit(['p/echo-key', 'p/echo-key-answer'], ['--config', cfg, '--log', log, '--format', format]);
      assert.equal(r.code, 1);
      assert.ok(server.requests.some((q) => q.authorization === `Bearer ${KEY}`), 'the server did get the key');
      assert.ok(!r.stdout.includes(KEY) && !r.stderr.includes(KEY), `${format}: no key in the output`);
      assert.match(r.stdout, /\[redacted\]/);
    }
    const text = readFileSync(log, 'utf8');
    assert.ok(!text.includes(KEY));
    assert.match(text, /Incorrect API key provided: \[redacted\]/);
  });

  it('redacts a key echoed URL-encoded, as a server quoting a query string would', async () => {
    const odd = 'sk-odd/key+with=reserved&chars-42';
    const cfg = join(dir, 'odd.json');
    writeFileSync(cfg, JSON.stringify({ providers: [{ id: 'o', baseUrl: server.url, apiKeyEnv: 'ODD_VALUE', maxRetries: 0 }] }));
    const log = join(dir, 'odd.jsonl');
    for (const format of ['text', 'json']) {
      const r = await edit(['o/echo-key-url'], ['--config', cfg, '--log', log, '--format', format], { ...env, ODD_VALUE: odd });
      assert.equal(r.code, 1);
      assert.ok(!(r.stdout + r.stderr).includes(encodeURIComponent(odd)), `${format}: ${r.stdout}`);
      assert.match(r.stdout, /Incorrect API key provided: \[redacted\]/);
    }
    const text = readFileSync(log, 'utf8');
    assert.ok(!text.includes(encodeURIComponent(odd)));
    assert.match(text, /Incorrect API key provided: \[redacted\]/);
  });

  it('refuses a base URL with a query string, which the SDK would mangle and which may hold a key', async () => {
    const cfg = join(dir, 'query.json');
    writeFileSync(cfg, JSON.stringify({ providers: [{ id: 'q', baseUrl: `${server.url}?api-key=sk-in-the-query-123456` }] }));
    const before = server.requests.length;
    const r = await edit(['q/good'], ['--config', cfg]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /providers\[0\]\.baseUrl has a query string or fragment/);
    assert.ok(!r.stderr.includes('sk-in-the-query'));
    assert.equal(server.requests.length, before);
  });

  it("keeps the openai SDK's own logger quiet even when OPENAI_LOG asks for debug output", async () => {
    const saved = process.env.OPENAI_LOG;
    const printed: string[] = [];
    const methods = ['log', 'info', 'debug', 'warn', 'error'] as const;
    const originals = methods.map((m) => console[m]);
    process.env.OPENAI_LOG = 'debug';
    methods.forEach((m) => (console[m] = (...a: unknown[]) => void printed.push(a.map(String).join(' '))));
    try {
      const r = await edit(['p/echo-key'], ['--config', join(dir, 'plain.json')]);
      assert.equal(r.code, 1);
    } finally {
      methods.forEach((m, i) => (console[m] = originals[i]));
      if (saved === undefined) delete process.env.OPENAI_LOG;
      else process.env.OPENAI_LOG = saved;
    }
    assert.deepEqual(printed, []);
  });

  it('refuses a base URL with user:password@, in a config or OPENAI_BASE_URL, without repeating it', async () => {
    const cfg = join(dir, 'creds.json');
    const url = server.url.replace('http://', 'http://me:hunter2-password@');
    writeFileSync(cfg, JSON.stringify({ providers: [{ id: 'c', baseUrl: url }] }));
    const before = server.requests.length;
    const r = await edit(['c/good'], ['--config', cfg]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /providers\[0\]\.baseUrl holds a user name or password \(user:pass@\); remove it/);
    assert.ok(!r.stderr.includes('hunter2'));
    const viaEnv = await edit(['good'], ['--config', '.editscope/config.json'], { ...env, OPENAI_BASE_URL: url });
    assert.equal(viaEnv.code, 2);
    assert.ok(!viaEnv.stderr.includes('hunter2'));
    assert.match(viaEnv.stderr, /OPENAI_BASE_URL holds a user name or password/);
    assert.equal(server.requests.length, before);
  });

  it('strips escape sequences from everything printed, in text and in JSON', async () => {
    const cfg = join(dir, 'plain.json');
    for (const format of ['text', 'json']) {
      const r = await edit(['p/escapes', 'p/escapes'], ['--config', cfg, '--format', format]);
      for (const out of [r.stdout, r.stderr]) assert.ok(!/[\x1b\x07\x9b]/.test(out), `${format}: ${JSON.stringify(out)}`);
    }
    const t = await edit(['p/escapes'], ['--config', cfg]);
    assert.match(t.stdout, /bad request\]0;pwned\[2J/, 'the text stays readable without its control characters');
    const quoted = new Secrets({}, ['sk-"quoted"\\key-123']);
    assert.equal(quoted.redact(JSON.stringify({ m: 'bad sk-"quoted"\\key-123' })), '{"m":"bad [redacted]"}');
    assert.equal(terminalSafe(`a${ESCAPES}\r\nb\rc\td`), 'a]0;pwned[2J]52;c;ZWNobyBwd25lZA==31m\r\nbc\td');
    assert.equal(terminalSafe('\x1b[31mred\x1b[0m\x1b[2J', true), '\x1b[31mred\x1b[0m[2J', 'colour kept only when asked, nothing else');
  });

  it('drops bidirectional overrides that would show printed text in another order', () => {
    assert.equal(terminalSafe('model \u202egnp.exe, \u2067isolated\u2069 \u05e9\u05dc\u05d5\u05dd'), 'model gnp.exe, isolated \u05e9\u05dc\u05d5\u05dd', 'right-to-left letters themselves stay');
  });

  it('keeps only the colours Edit Scope paints with when colour is on, not a server\'s concealed or inverted text', () => {
    assert.equal(terminalSafe('\x1b[1;32mok\x1b[0m \x1b[33mwarn\x1b[0m', true), '\x1b[1;32mok\x1b[0m \x1b[33mwarn\x1b[0m');
    // Concealed, black on black, blinking, inverted, 256-colour background: ways to hide or fake what is printed.
    for (const seq of ['\x1b[8m', '\x1b[30;40m', '\x1b[5m', '\x1b[7m', '\x1b[48;5;0m', '\x1b[m']) {
      assert.ok(!terminalSafe(`a${seq}hidden\x1b[0m`, true).includes('\x1b' + seq.slice(1)), JSON.stringify(seq));
    }
  });
});

describe('files that are not plain UTF-8, and empty ones', () => {
  let server: MockModelServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    server = await startMockModelServer();
    dir = mkdtempSync(join(tmpdir(), 'editscope-bytes-'));
    env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-bytes-test-0001', XDG_CONFIG_HOME: join(dir, 'xdg') };
  });
  after(() => server.close());

  it('refuses a Latin-1 file with exit 2 rather than decode it lossily, and sends nothing', async () => {
    const latin = Buffer.from('// caf\xe9\nconst a = 1;\nconst b = 2;\n', 'latin1');
    writeFileSync(join(dir, 'orig.ts'), latin);
    writeFileSync(join(dir, 'edit.ts'), Buffer.from('// caf\xe8\nconst a = 1;\nconst b = 2;\n', 'latin1'));
    const check = await cli(['check', '--original', 'orig.ts', '--edited', 'edit.ts'], { cwd: dir, env });
    assert.equal(check.code, 2);
    assert.equal(check.stderr, `editscope check: original ${join(dir, 'orig.ts')} is not UTF-8 (line 1 holds a byte that is not); Edit Scope reads UTF-8 only, so convert it first (e.g. iconv -f latin1 -t utf-8)\n`);
    const before = server.requests.length;
    const edit = await cli(['edit', '--file', 'orig.ts', '--range', '3-3', '--instruction', 'x', '--model', 'good', '--apply', 'good'], { cwd: dir, env });
    assert.equal(edit.code, 2);
    assert.equal(server.requests.length, before);
    assert.deepEqual(readFileSync(join(dir, 'orig.ts')), latin, 'not a byte changed');
  });

  it('reports a byte-order mark an edited file dropped as a bom finding; an answer that drops it keeps the file\'s', async () => {
    const body = SAMPLE;
    writeFileSync(join(dir, 'bom.ts'), '\uFEFF' + body);
    writeFileSync(join(dir, 'nobom.ts'), body);
    const check = await cli(['check', '--original', 'bom.ts', '--edited', 'nobom.ts', '--format', 'json'], { cwd: dir, env });
    assert.equal(check.code, 1);
    assert.deepEqual(JSON.parse(check.stdout).styleDrift.map((f: { rule: string }) => f.rule), ['bom']);
    assert.match(JSON.parse(check.stdout).styleDrift[0].message, /byte-order mark \(BOM\) the file starts with was dropped/);
    const same = await cli(['check', '--original', 'bom.ts', '--edited', 'bom.ts'], { cwd: dir, env });
    assert.equal(same.code, 0, same.stdout);

    // A model cannot be trusted to copy an invisible character: the mark belongs to the file.
    const dropped = await cli(['edit', '--file', 'bom.ts', '--range', '13-18', '--instruction', 'x', '--model', 'drop-bom', '--format', 'json'], { cwd: dir, env });
    assert.deepEqual(JSON.parse(dropped.stdout).results[0].analysis.styleDrift, []);
    assert.deepEqual(JSON.parse(dropped.stdout).results[0].analysis.hunks.map((h: { originalStart: number }) => h.originalStart), [18]);
    const kept = await cli(['edit', '--file', 'bom.ts', '--range', '13-18', '--instruction', 'x', '--model', 'good', '--apply', 'good', '--format', 'json'], { cwd: dir, env });
    assert.equal(kept.code, 0, kept.stderr);
    assert.deepEqual(JSON.parse(kept.stdout).results[0].analysis.styleDrift, []);
    const bytes = readFileSync(join(dir, 'bom.ts'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(bytes.toString('utf8').slice(1), body.replace('  return sum;\n}', '  return sum;\n  // edited as asked\n}'));
  });

  it('refuses an empty file with a range before paying for an answer', async () => {
    writeFileSync(join(dir, 'empty.ts'), '');
    const before = server.requests.length;
    const r = await cli(['edit', '--file', 'empty.ts', '--range', '1-1', '--instruction', 'write a function', '--model', 'good'], { cwd: dir, env });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'editscope edit: empty.ts is empty: there is no line 1 to edit\n');
    assert.equal(server.requests.length, before);
  });
});
