import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'editscope.edit-scope';
const COMMANDS = [
  'editscope.editSelection',
  'editscope.showLastComparison',
  'editscope.manageProviders',
  'editscope.setApiKey',
  'editscope.openEvalLog',
  'editscope.showReport',
  'editscope.exportEvalSet',
  'editscope.replayEvalSet',
];

describe('Edit Scope in a real VS Code', () => {
  it('is installed but not active until one of its commands runs', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    assert.equal(ext.isActive, false, 'activation only through its commands and views');
  });

  it('activates and registers every command in the palette', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
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
});
