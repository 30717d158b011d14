import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMockModelServer } from '../fixtures/mockModelServer';

const EXTENSION_ID = 'editscope.edit-scope';
const COMMANDS = [
  'editscope.editSelection',
  'editscope.showLastComparison',
  'editscope.addFilesModelMayChange',
  'editscope.clearFilesModelMayChange',
  'editscope.manageProviders',
  'editscope.setApiKey',
  'editscope.openEvalLog',
  'editscope.showReport',
  'editscope.exportEvalSet',
  'editscope.replayEvalSet',
  'editscope.compareModels',
  'editscope.nextHunk',
  'editscope.previousHunk',
  'editscope.acceptHunk',
  'editscope.rejectHunk',
  'editscope.applyPickedHunks',
];

describe('Edit Scope in a real VS Code', () => {
  it('is installed but not active until one of its commands runs', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    assert.equal(ext.isActive, false, 'activation only through its commands and views');
  });

  it('activates and registers every command in the palette', async () => {
    const started = performance.now();
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    // What `npm run bench` reports as the activation time in a real editor.
    const activateMs = performance.now() - started;
    fs.mkdirSync(path.resolve(__dirname, '../../../test-results'), { recursive: true });
    fs.writeFileSync(path.resolve(__dirname, '../../../test-results/activation.json'), JSON.stringify({ activateMs, vscodeVersion: vscode.version, time: new Date().toISOString() }));
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of COMMANDS) assert.ok(all.has(id), `${id} is registered`);
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as Array<{ command: string; category: string }>);
    assert.deepEqual(contributed.map((c) => c.command).sort(), [...COMMANDS].sort());
    assert.ok(contributed.every((c) => c.category === 'Edit Scope'));
  });

  it('opens the eval log when a command runs with the workspace log present', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const log = path.join(root, '.editscope', 'evals.jsonl');
    fs.mkdirSync(path.dirname(log), { recursive: true });
    if (!fs.existsSync(log)) fs.writeFileSync(log, '');
    const opened = await vscode.commands.executeCommand<string>('editscope.openEvalLog');
    assert.equal(opened, log);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, log);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('keeps a key given to Set API Key as arguments for that provider only, out of settings and the eval log', async () => {
    const KEY = 'sk-editscope-integration-0123456789';
    const server = await startMockModelServer();
    const config = vscode.workspace.getConfiguration('editscope');
    await config.update('providers', [{ id: 'keyed', baseURL: server.url, models: ['good'] }], vscode.ConfigurationTarget.Global);
    const edit = () =>
      vscode.commands.executeCommand<{ models: Array<{ ok: boolean | null }> }>('editscope.editSelection', {
        file: 'src/sample.ts',
        range: [13, 18],
        instruction: 'Mark the function as edited',
        models: ['keyed/good'],
      });
    try {
      assert.deepEqual(await vscode.commands.executeCommand('editscope.setApiKey', { provider: 'keyed', key: KEY }), { provider: 'keyed' });
      const withKey = await edit();
      assert.equal(withKey.models[0].ok, true);
      assert.equal(server.requests.at(-1)!.authorization, `Bearer ${KEY}`, 'the stored key reaches its provider');
      assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('editscope').inspect('providers')).includes(KEY), 'the key is not in settings');
      const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
      assert.ok(!fs.readFileSync(path.join(root, '.editscope', 'evals.jsonl'), 'utf8').includes(KEY), 'the key is not in the eval log');

      assert.deepEqual(await vscode.commands.executeCommand('editscope.setApiKey', { provider: 'keyed', key: '' }), { provider: 'keyed' });
      await edit();
      assert.notEqual(server.requests.at(-1)!.authorization, `Bearer ${KEY}`, 'an empty key removes the stored one');
    } finally {
      await config.update('providers', undefined, vscode.ConfigurationTarget.Global);
      await server.close();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
