import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMockModelServer, type MockModelServer } from '../fixtures/mockModelServer';
import { saveScreenshot } from './screenshot';

interface Summary {
  id: string;
  state: string;
  locality: string;
  models: Array<{ model: string; ok: boolean | null; error: { kind: string } | null; outOfScopeHunks: number | null; inScopeHunks: number | null; styleFindings: number | null; verdict: string | null }>;
}

const MARKER = '  // edited as asked';

describe('the editor flow against a loopback model server', function () {
  this.timeout(120_000);
  let server: MockModelServer;
  let root: string;
  let file: string;
  let original: string;

  before(async () => {
    server = await startMockModelServer();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    file = path.join(root, 'src', 'sample.ts');
    original = fs.readFileSync(file, 'utf8');
    await vscode.workspace
      .getConfiguration('editscope')
      .update('providers', [{ id: 'mock', baseURL: server.url, models: ['good', 'overreach', 'drift-quotes', 'always-500'] }], vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('editscope').update('providers', undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  async function openAndSelect(start: number, end: number): Promise<vscode.TextEditor> {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.One });
    editor.selection = new vscode.Selection(start - 1, 0, end, 0);
    return editor;
  }

  it('compares models side by side, applies only the in-scope hunks as one undoable edit, and logs task and verdict', async () => {
    const editor = await openAndSelect(13, 18);
    const summary = await vscode.commands.executeCommand<Summary>('editscope.editSelection', {
      instruction: 'Mark the function as edited',
      models: ['mock/good', 'mock/overreach', 'mock/drift-quotes', 'mock/always-500'],
    });
    assert.ok(summary, 'the command returns the comparison');
    assert.equal(summary.state, 'done');
    assert.equal(summary.locality, 'local');
    const by = Object.fromEntries(summary.models.map((m) => [m.model, m]));
    assert.deepEqual([by['mock/good'].ok, by['mock/good'].outOfScopeHunks, by['mock/good'].styleFindings], [true, 0, 0]);
    assert.deepEqual([by['mock/overreach'].ok, by['mock/overreach'].inScopeHunks, by['mock/overreach'].outOfScopeHunks], [true, 1, 2]);
    assert.deepEqual([by['mock/drift-quotes'].outOfScopeHunks, by['mock/drift-quotes'].styleFindings], [0, 1]);
    assert.deepEqual([by['mock/always-500'].ok, by['mock/always-500'].error?.kind], [false, 'server']);
    assert.equal(editor.document.getText(), original, 'nothing is written before an explicit accept');

    const problems = await vscode.commands.executeCommand<Array<{ message: string; code: string }>>('editscope._diagnostics');
    assert.ok(problems.some((p) => p.code === 'out-of-scope' && p.message.includes('mock/overreach')), 'out-of-scope hunks are in the Problems panel');

    await vscode.commands.executeCommand('editscope._comparisonAction', 'viewDiff', 'mock/overreach');
    await new Promise((r) => setTimeout(r, 1500));
    await saveScreenshot('diff');
    await vscode.commands.executeCommand('editscope.showLastComparison');
    await new Promise((r) => setTimeout(r, 1500));
    await saveScreenshot('comparison');

    const outcome = await vscode.commands.executeCommand<{ applied: boolean }>('editscope._comparisonAction', 'applyInScope', 'mock/overreach');
    assert.deepEqual(outcome, { applied: true, accepted: 'in-scope' });
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    assert.equal(doc.getText(), original.replace('  return sum;\n}', `  return sum;\n${MARKER}\n}`), 'only the in-scope hunk was applied');
    const after = await vscode.commands.executeCommand<Summary>('editscope._getLastComparison');
    assert.equal(after.models.find((m) => m.model === 'mock/overreach')!.verdict, 'in-scope');

    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original, 'one undo takes the whole apply back');

    const log = fs.readFileSync(path.join(root, '.editscope', 'evals.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const task = log.find((r) => r.kind === 'task' && r.id === summary.id);
    assert.ok(task, 'the task is in the eval log');
    assert.equal(task.file, 'src/sample.ts');
    assert.deepEqual(task.ranges, [{ start: 13, end: 18 }]);
    assert.equal(task.source, 'editor');
    assert.deepEqual(task.results.map((r: { model: string }) => r.model), ['mock/good', 'mock/overreach', 'mock/drift-quotes', 'mock/always-500']);
    const verdict = log.find((r) => r.kind === 'verdict' && r.taskId === summary.id);
    assert.deepEqual([verdict.model, verdict.accepted], ['mock/overreach', 'in-scope']);
    await doc.save();
  });

  it('refuses to apply once the document has changed, and changes nothing', async () => {
    const editor = await openAndSelect(13, 18);
    const summary = await vscode.commands.executeCommand<Summary>('editscope.editSelection', { instruction: 'Mark it', models: ['mock/good'] });
    assert.equal(summary.models[0].ok, true);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// a change made meanwhile\n'));
    const changed = editor.document.getText();
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason: string }>('editscope._comparisonAction', 'applyAll', 'mock/good');
    assert.equal(outcome.applied, false);
    assert.equal(outcome.reason, 'changed');
    assert.equal(editor.document.getText(), changed);
    const stale = await vscode.commands.executeCommand<{ stale: boolean }>('editscope._getLastComparison');
    assert.equal(stale.stale, true);
    await vscode.commands.executeCommand('undo');
    await editor.document.save();
  });

  it('sends context files for a cross-file task, given as arguments', async () => {
    fs.writeFileSync(path.join(root, 'src', 'types.ts'), 'export type Item = number;\n');
    const summary = await vscode.commands.executeCommand<Summary>('editscope.editSelection', {
      file: 'src/sample.ts',
      range: [13, 18],
      instruction: 'Use the Item type',
      models: ['mock/good'],
      context: ['src/types.ts'],
    });
    assert.equal(summary.locality, 'cross-file');
    assert.match(server.requests.at(-1)!.messages[1].content, /<context_file path="src\/types.ts">/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the report, exports an eval set from the log and replays it against a model', async () => {
    const report = await vscode.commands.executeCommand<{ models: Array<{ model: string; tasks: number; outOfScopeRate: number | null }> }>('editscope.showReport');
    assert.ok(report, `Show Report returned nothing: ${JSON.stringify(await vscode.commands.executeCommand('editscope._lastError'))}`);
    const over = report.models.find((m) => m.model === 'mock/overreach');
    assert.ok(over && over.tasks >= 1 && over.outOfScopeRate === 1, 'the overreaching model is in the report with its out-of-scope rate');
    await vscode.commands.executeCommand('notifications.clearAll');
    await new Promise((r) => setTimeout(r, 3000));
    await saveScreenshot('report');

    const exported = await vscode.commands.executeCommand<{ out: string; written: number }>('editscope.exportEvalSet', { to: 'evalset', out: '.editscope/set.jsonl' });
    assert.ok(exported.written >= 1, 'tasks exported');
    const set = fs.readFileSync(exported.out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(set.some((t) => t.instruction === 'Mark the function as edited'));

    const replayed = await vscode.commands.executeCommand<{ models: Array<{ model: string; tasks: number; scopeScore: number | null }> }>('editscope.replayEvalSet', { set: '.editscope/set.jsonl', models: ['mock/overreach'] });
    assert.equal(replayed.models[0].model, 'mock/overreach');
    assert.equal(replayed.models[0].tasks, set.length);
    assert.equal(replayed.models[0].scopeScore, 0, 'an overreaching model scores 0 on scope');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
