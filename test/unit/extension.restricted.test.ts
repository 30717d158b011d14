import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { Secrets } from '../../src/core/redact';
import { redactingLog } from '../../src/extension/redactLog';
import { restrictedLogPath, userOnly } from '../../src/extension/restricted';

describe('extension in a restricted workspace', () => {
  it("keeps the eval log in the extension's storage, one per workspace folder, never inside the folder", () => {
    const storage = join('/home/u/.vscode/globalStorage/editscope.edit-scope');
    const a = restrictedLogPath(storage, '/work/cloned-repo');
    assert.ok(a.startsWith(storage + '/restricted-workspaces/'), a);
    assert.ok(!a.startsWith('/work/cloned-repo'));
    assert.match(a, /restricted-workspaces\/[0-9a-f]{16}\/evals\.jsonl$/);
    assert.notEqual(a, restrictedLogPath(storage, '/work/other-repo'));
    assert.equal(a, restrictedLogPath(storage, '/work/cloned-repo/'));
  });

  it("takes defaultModels from the user's settings only, ignoring the workspace's", () => {
    const inspected = { defaultValue: [] as string[], globalValue: ['openai/gpt-4.1-mini'], workspaceValue: ['evil/expensive'], workspaceFolderValue: ['evil/x'] };
    assert.deepEqual(userOnly(inspected, []), ['openai/gpt-4.1-mini']);
    assert.deepEqual(userOnly({ defaultValue: [] as string[], workspaceValue: ['evil/expensive'] }, []), []);
    assert.deepEqual(userOnly(undefined, ['x']), ['x']);
  });

  it('redacts keys read from secret storage out of the output channel', () => {
    const written: unknown[] = [];
    const channel = { info: (m: string) => void written.push(m), error: (m: string | Error) => void written.push(m), name: 'Edit Scope', show: () => 'shown' };
    const secrets = new Secrets({});
    const log = redactingLog(channel, secrets);
    secrets.add('key-named-nothing-special-42');
    log.info('401: Incorrect API key provided: key-named-nothing-special-42');
    log.error(new Error('bad key-named-nothing-special-42'));
    assert.deepEqual(written.map(String).map((l) => l.split('\n')[0]), ['401: Incorrect API key provided: [redacted]', 'Error: bad [redacted]']);
    assert.equal(log.name, 'Edit Scope');
    assert.equal(log.show(), 'shown');
  });
});
