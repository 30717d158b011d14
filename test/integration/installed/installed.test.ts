import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

describe('the packaged .vsix, installed', () => {
  it('is installed from the .vsix and runs a command', async () => {
    const ext = vscode.extensions.getExtension('editscope.edit-scope');
    assert.ok(ext, 'installed');
    assert.match(path.basename(ext.extensionPath), /^editscope\.edit-scope-\d/, `loaded from the extensions folder: ${ext.extensionPath}`);
    assert.ok(fs.existsSync(path.join(ext.extensionPath, 'dist', 'extension.js')));
    // Libraries the extension requires on first use, from beside its bundle.
    for (const file of ['editorconfig.js', 'one_ini_bg.wasm', 'yaml.js', 'jstat.js']) {
      assert.ok(fs.existsSync(path.join(ext.extensionPath, 'dist', 'vendor', file)), `dist/vendor/${file} is shipped`);
    }
    assert.ok(!fs.existsSync(path.join(ext.extensionPath, 'src')), 'sources are not shipped');
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const log = path.join(root, '.editscope', 'evals.jsonl');
    fs.mkdirSync(path.dirname(log), { recursive: true });
    fs.writeFileSync(log, '');
    assert.equal(await vscode.commands.executeCommand('editscope.openEvalLog'), log);
    assert.equal(ext.isActive, true);
  });
});
