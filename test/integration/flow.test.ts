import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMockModelServer, type MockModelServer } from '../fixtures/mockModelServer';
import { saveScreenshot } from './screenshot';
import { freshFile, readLog, SAMPLE, undoIn, until } from './workspaceFiles';

interface Summary {
  id: string;
  instruction: string;
  range: { start: number; end: number };
  stale: boolean;
  state: string;
  locality: string;
  dependsOn: Array<{ file: string; symbols: string[] }>;
  contextFiles: string[];
  editFiles: string[];
  models: Array<{ model: string; ok: boolean | null; usage: { inputTokens: number; outputTokens: number } | null; costUsd: number | null; error: { kind: string } | null; outOfScopeHunks: number | null; inScopeHunks: number | null; files: Array<{ file: string; role: string; outOfScopeHunks: number }>; styleFindings: number | null; verdict: string | null }>;
}

const MARKER = '  // edited as asked';
const MONEY = 'export function cents(x: number): number {\n  return Math.round(x * 100);\n}\n';
// The far comment and indented line give an overreaching model something out of scope to touch when the set is replayed.
const PRICE = "import { cents } from './money';\n\nexport function price(x: number): string {\n  return `${cents(x)}c`;\n}\n\n// Doubles.\nexport function twice(x: number): number {\n  return x * 2;\n}\n";

describe('the editor flow against a loopback model server', function () {
  this.timeout(120_000);
  let server: MockModelServer;
  let root: string;
  const original = SAMPLE;

  before(async () => {
    server = await startMockModelServer();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    await vscode.workspace
      .getConfiguration('editscope')
      .update(
        'providers',
        [{ id: 'mock', baseURL: server.url, models: ['good', 'overreach', 'drift-quotes', 'always-500'], prices: { good: { inputPerMTok: 2, outputPerMTok: 8 } } }],
        vscode.ConfigurationTarget.Global,
      );
  });
  after(async () => {
    await vscode.workspace.getConfiguration('editscope').update('providers', undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  async function openAndSelect(uri: vscode.Uri, start: number, end: number): Promise<vscode.TextEditor> {
    const editor = await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One });
    editor.selection = new vscode.Selection(start - 1, 0, end, 0);
    return editor;
  }

  it('compares models side by side, applies only the in-scope hunks as one undoable edit, and logs task and verdict', async () => {
    const f = freshFile('src/compared.ts');
    const editor = await openAndSelect(f.uri, 13, 18);
    const summary = await vscode.commands.executeCommand<Summary>('editscope.editSelection', {
      instruction: 'Mark the function as edited',
      models: ['mock/good', 'mock/overreach', 'mock/drift-quotes', 'mock/always-500'],
    });
    assert.ok(summary, 'the command returns the comparison');
    assert.equal(summary.state, 'done');
    assert.equal(summary.locality, 'local');
    const by = Object.fromEntries(summary.models.map((m) => [m.model, m]));
    assert.deepEqual([by['mock/good'].ok, by['mock/good'].outOfScopeHunks, by['mock/good'].styleFindings], [true, 0, 0]);
    // Cost from the provider's prices in settings; a model without a price has none.
    const { inputTokens, outputTokens } = by['mock/good'].usage!;
    assert.ok(inputTokens > 0 && outputTokens > 0, 'the server reported token usage');
    assert.ok(Math.abs(by['mock/good'].costUsd! - (inputTokens * 2 + outputTokens * 8) / 1e6) < 1e-9, `cost ${by['mock/good'].costUsd}`);
    assert.equal(by['mock/overreach'].costUsd, null);
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
    assert.deepEqual(outcome, { applied: true, accepted: 'in-scope', files: [f.rel] });
    const doc = await vscode.workspace.openTextDocument(f.uri);
    assert.equal(doc.getText(), original.replace('  return sum;\n}', `  return sum;\n${MARKER}\n}`), 'only the in-scope hunk was applied');
    const after = await vscode.commands.executeCommand<Summary>('editscope._getLastComparison');
    assert.equal(after.models.find((m) => m.model === 'mock/overreach')!.verdict, 'in-scope');

    await undoIn(editor);
    assert.equal(doc.getText(), original, 'one undo takes the whole apply back');

    const log = readLog();
    const task = log.find((r) => r.kind === 'task' && r.id === summary.id);
    assert.ok(task, 'the task is in the eval log');
    assert.equal(task.file, f.rel);
    assert.deepEqual(task.ranges, [{ start: 13, end: 18 }]);
    assert.equal(task.source, 'editor');
    assert.deepEqual(task.results.map((r: { model: string }) => r.model), ['mock/good', 'mock/overreach', 'mock/drift-quotes', 'mock/always-500']);
    const verdict = log.find((r) => r.kind === 'verdict' && r.taskId === summary.id)!;
    assert.deepEqual([verdict.model, verdict.accepted], ['mock/overreach', 'in-scope']);
    await doc.save();

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.deepEqual(await vscode.commands.executeCommand('editscope._diagnostics'), [], 'the Problems entries go when the comparison is closed');
  });

  it('refuses to apply once the document has changed, changing nothing, and runs the task again on the same code', async () => {
    const f = freshFile('src/changed.ts');
    const editor = await openAndSelect(f.uri, 13, 18);
    const summary = await vscode.commands.executeCommand<Summary>('editscope.editSelection', { instruction: 'Mark it', models: ['mock/good'] });
    assert.equal(summary.models[0].ok, true);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// a change made meanwhile\n'));
    const changed = editor.document.getText();
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason: string; message: string }>('editscope._comparisonAction', 'applyAll', 'mock/good');
    assert.deepEqual([outcome.applied, outcome.reason], [false, 'changed']);
    assert.match(outcome.message, /src\/changed\.ts has changed since the models were asked.*Nothing was applied/);
    assert.equal(editor.document.getText(), changed);
    const stale = await vscode.commands.executeCommand<Summary>('editscope._getLastComparison');
    assert.equal(stale.stale, true);

    // Run Again: the same instruction and models on the function, now one line further down.
    const again = await vscode.commands.executeCommand<Summary>('editscope._comparisonAction', 'rerun');
    assert.notEqual(again.id, summary.id);
    assert.deepEqual([again.range, again.stale, again.models[0].ok], [{ start: 14, end: 19 }, false, true]);
    assert.deepEqual(await vscode.commands.executeCommand('editscope._comparisonAction', 'applyAll', 'mock/good'), { applied: true, accepted: 'all', files: [f.rel] });
    assert.equal(editor.document.getText(), changed.replace('  return sum;\n}', `  return sum;\n${MARKER}\n}`));

    await undoIn(editor);
    await undoIn(editor);
    assert.equal(editor.document.getText(), original);
    await editor.document.save();
  });

  it('sends context files given as arguments; the task stays local when the selection uses nothing from them', async () => {
    fs.writeFileSync(path.join(root, 'src', 'types.ts'), 'export type Item = number;\n');
    const summary = await vscode.commands.executeCommand<Summary>('editscope.editSelection', {
      file: 'src/sample.ts',
      range: [13, 18],
      instruction: 'Use the Item type',
      models: ['mock/good'],
      context: ['src/types.ts'],
    });
    assert.equal(summary.locality, 'local');
    assert.match(server.requests.at(-1)!.messages[1].content, /<context_file path="src\/types.ts">/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('finds what the selection depends on and, with editscope.context "auto", sends its definitions', async () => {
    freshFile('src/money.ts', MONEY);
    freshFile('src/price.ts', PRICE);
    const config = vscode.workspace.getConfiguration('editscope');
    await config.update('context', 'auto', vscode.ConfigurationTarget.Global);
    try {
      const summary = await vscode.commands.executeCommand<Summary>('editscope.editSelection', { file: 'src/price.ts', range: [3, 5], instruction: 'Tidy', models: ['mock/good'] });
      assert.equal(summary.locality, 'cross-file');
      assert.deepEqual(summary.dependsOn, [{ file: 'src/money.ts', symbols: ['cents'] }]);
      assert.deepEqual(summary.contextFiles, ['src/money.ts']);
      assert.match(server.requests.at(-1)!.messages[1].content, /<context_file path="src\/money.ts">\nexport function cents/);
      const rec = readLog().at(-1)!;
      assert.deepEqual([rec.locality, rec.dependsOn, rec.contextFiles.map((c: { path: string }) => c.path)], ['cross-file', [{ file: 'src/money.ts', symbols: ['cents'] }], ['src/money.ts']]);
    } finally {
      await config.update('context', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('lets the models change a second file, shows each file, and applies both as one edit that one undo takes back', async () => {
    const money = freshFile('src/wallet/money.ts', MONEY);
    const price = freshFile('src/wallet/price.ts', PRICE);

    // Add Files the Model May Change, from the editor: the selected lines of money.ts.
    const moneyEditor = await vscode.window.showTextDocument(money.uri);
    moneyEditor.selection = new vscode.Selection(0, 0, 3, 0);
    assert.equal(await vscode.commands.executeCommand('editscope.addFilesModelMayChange'), 1);
    const viaCommand = await vscode.commands.executeCommand<Summary>('editscope.editSelection', { file: price.rel, range: [3, 5], instruction: 'Both', models: ['mock/multi'] });
    assert.deepEqual([viaCommand.locality, viaCommand.editFiles], ['multi-file', [money.rel]]);
    assert.match(server.requests.at(-1)!.messages[1].content, /<editable_file path="src\/wallet\/money.ts" [^>]*change_lines="1-3">/);
    const next = await vscode.commands.executeCommand<Summary>('editscope.editSelection', { file: price.rel, range: [3, 5], instruction: 'Alone', models: ['mock/good'] });
    assert.deepEqual([next.locality, next.editFiles], ['cross-file', []], 'the files added went to one task');
    const summary = await vscode.commands.executeCommand<Summary>('editscope.editSelection', {
      file: price.rel,
      range: [3, 5],
      instruction: 'Return cents as a string, and say so where cents is defined',
      models: ['mock/multi', 'mock/multi-stray'],
      editFiles: [{ file: money.rel, range: [1, 3] }],
    });
    assert.equal(summary.locality, 'multi-file');
    assert.deepEqual(summary.editFiles, [money.rel]);
    assert.deepEqual(summary.models[0].files.map((f) => [f.file, f.role, f.outOfScopeHunks]), [[price.rel, 'target', 0], [money.rel, 'edit', 0]]);
    assert.deepEqual(summary.models[1].files.map((f) => [f.file, f.role, f.outOfScopeHunks]), [[price.rel, 'target', 0], [money.rel, 'edit', 0], ['src/invented.ts', 'other', 1]]);
    assert.match(server.requests.at(-1)!.messages[1].content, /<editable_file path="src\/wallet\/money.ts" language="typescript" total_lines="3" change_lines="1-3">/);

    // Problems: each file has its own entries; the invented file's, on the model's version of it, is out of scope.
    const problems = vscode.languages.getDiagnostics().filter(([uri]) => uri.scheme === 'editscope-result');
    const invented = problems.find(([uri]) => uri.path === '/src/invented.ts');
    assert.ok(invented && invented[1].some((d) => d.code === 'out-of-scope' && /invented/.test(d.message)), 'the invented file is in Problems');
    // Each file's diff opens on its own.
    await vscode.commands.executeCommand('editscope._comparisonAction', 'viewDiff', 'mock/multi-stray', summary.id, money.rel);
    assert.match(vscode.window.activeTextEditor!.document.getText(), /edited as asked/);
    assert.equal(vscode.window.activeTextEditor!.document.uri.scheme, 'editscope-result');
    await saveScreenshot('multi-file');

    const outcome = await vscode.commands.executeCommand<{ applied: boolean; files: string[] }>('editscope._comparisonAction', 'applyAll', 'mock/multi-stray', summary.id);
    assert.deepEqual(outcome, { applied: true, accepted: 'all', files: [price.rel, money.rel] });
    const priceDoc = await vscode.workspace.openTextDocument(price.uri);
    const moneyDoc = await vscode.workspace.openTextDocument(money.uri);
    assert.match(priceDoc.getText(), /edited as asked/);
    assert.match(moneyDoc.getText(), /edited as asked/);
    assert.ok(!fs.existsSync(path.join(root, 'src', 'invented.ts')), 'a file the task did not allow is never written');
    const rec = readLog().filter((r) => r.kind === 'verdict').at(-1)!;
    assert.deepEqual([rec.taskId, rec.model, rec.accepted], [summary.id, 'mock/multi-stray', 'all']);

    // One undo takes back both files.
    await undoIn(await vscode.window.showTextDocument(priceDoc));
    await until(() => priceDoc.getText() === price.original && moneyDoc.getText() === money.original, 'one undo to restore both files');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('stops the models still running from the panel, keeping the answers already in', async () => {
    const instruction = 'Mark the function, then stop';
    const started = Date.now();
    const running = vscode.commands.executeCommand<Summary>('editscope.editSelection', {
      file: 'src/sample.ts',
      range: [13, 18],
      instruction,
      // The loopback server holds this one's answer back for a minute.
      models: ['mock/good', 'mock/good-60000ms'],
    });
    await until(async () => {
      const c = await vscode.commands.executeCommand<Summary | undefined>('editscope._getLastComparison');
      return c?.instruction === instruction && c.models[0].ok === true;
    }, 'the fast model to answer');
    await vscode.commands.executeCommand('editscope._comparisonAction', 'stop');
    const summary = await running;
    // The held answer would take a minute: well under that means Stop ended the run, however busy the machine.
    assert.ok(Date.now() - started < 45_000, `Stop ended the run (it took ${Date.now() - started} ms)`);
    assert.equal(summary.state, 'cancelled');
    assert.deepEqual(
      summary.models.map((m) => [m.model, m.ok, m.error?.kind ?? null]),
      [
        ['mock/good', true, null],
        ['mock/good-60000ms', false, 'cancelled'],
      ],
    );
    const task = readLog().find((r) => r.kind === 'task' && r.id === summary.id)!;
    assert.deepEqual(task.results.map((r: { ok: boolean }) => r.ok), [true, false], 'the stopped run is logged with what came back');
  });

  it('judges style by the .editorconfig that applies to the file, as editscope check does', async () => {
    const dir = path.join(root, 'styled');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.editorconfig'), '[*.ts]\nquote_type = double\n');
    fs.writeFileSync(path.join(dir, 'sample.ts'), original);
    const run = (file: string) =>
      vscode.commands.executeCommand<Summary>('editscope.editSelection', { file, range: [13, 18], instruction: 'Add a label', models: ['mock/drift-quotes'] });
    // The model adds `const label = "edited";`: drift in a single-quoted file, not where .editorconfig asks for double quotes.
    assert.equal((await run('src/sample.ts')).models[0].styleFindings, 1);
    assert.equal((await run('styled/sample.ts')).models[0].styleFindings, 0);
  });

  it('takes a provider\'s baseUrl spelled as the command line\'s config spells it', async () => {
    const config = vscode.workspace.getConfiguration('editscope');
    const before = config.inspect('providers')?.globalValue;
    await config.update('providers', [{ id: 'cli-style', baseUrl: server.url, models: ['good'] }], vscode.ConfigurationTarget.Global);
    try {
      const sent = server.requests.length;
      const summary = await vscode.commands.executeCommand<Summary>('editscope.editSelection', { file: 'src/sample.ts', range: [13, 18], instruction: 'Mark it', models: ['cli-style/good'] });
      assert.deepEqual([summary.models[0].ok, summary.models[0].error], [true, null]);
      assert.equal(server.requests.length, sent + 1, 'the request went to the configured server');
    } finally {
      await config.update('providers', before, vscode.ConfigurationTarget.Global);
    }
  });

  it('refuses bad input with a message saying what is wrong, and opens no comparison', async () => {
    const last = await vscode.commands.executeCommand<Summary>('editscope._getLastComparison');
    const refused = async (args: object) => {
      const result = await vscode.commands.executeCommand('editscope.editSelection', args);
      assert.equal(result, undefined);
      return (await vscode.commands.executeCommand<{ message: string }>('editscope._lastError')).message;
    };
    const base = { file: 'src/sample.ts', range: [13, 18], instruction: 'Mark it', models: ['mock/good'] };
    assert.match(await refused({ ...base, range: [13, 99] }), /Lines 13-99 are outside sample\.ts, which has 20 lines/);
    assert.match(await refused({ ...base, context: ['src/missing.ts'] }), /^Cannot open a context file, .*missing\.ts: there is no such file\.$/);
    // A selection in another file's editor is not a range for this one.
    const editor = await openAndSelect(vscode.Uri.file(path.join(root, 'src', 'sample.ts')), 13, 18);
    fs.writeFileSync(path.join(root, 'src', 'other.ts'), 'export const other = 1;\n');
    assert.match(await refused({ file: 'src/other.ts', instruction: 'Mark it', models: ['mock/good'] }), /Give a range with the file/);
    assert.equal(editor.document.getText(), original);

    const config = vscode.workspace.getConfiguration('editscope');
    const before = config.inspect('providers')?.globalValue;
    await config.update('providers', [{ id: 'broken', baseURL: 'not a url', models: ['good'] }], vscode.ConfigurationTarget.Global);
    try {
      assert.match(await refused({ ...base, models: ['broken/good'] }), /editscope\.providers.*providers\[0\]\.baseUrl is not a URL/);
    } finally {
      await config.update('providers', before, vscode.ConfigurationTarget.Global);
    }
    assert.equal((await vscode.commands.executeCommand<Summary>('editscope._getLastComparison')).id, last.id, 'no comparison was started');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the report, exports an eval set from the log and replays it against a model', async () => {
    // A task of its own to report on, whatever else the log holds.
    const f = freshFile('src/reported.ts');
    await vscode.commands.executeCommand('editscope.editSelection', { file: f.rel, range: [13, 18], instruction: 'Mark the function as edited', models: ['mock/overreach'] });
    const report = await vscode.commands.executeCommand<{ models: Array<{ model: string; tasks: number; outOfScopeRate: number | null }> }>('editscope.showReport');
    assert.ok(report, `Show Report returned nothing: ${JSON.stringify(await vscode.commands.executeCommand('editscope._lastError'))}`);
    const over = report.models.find((m) => m.model === 'mock/overreach');
    assert.ok(over && over.tasks >= 1 && over.outOfScopeRate === 1, 'the overreaching model is in the report with its out-of-scope rate');
    await vscode.commands.executeCommand('notifications.clearAll');
    await new Promise((r) => setTimeout(r, 3000));
    await saveScreenshot('report');
    // The report's intervals are there beside each rate.
    const intervals = report as unknown as { models: Array<{ model: string; ci: Record<string, [number, number] | null>; n: Record<string, number> }> };
    const overCi = intervals.models.find((m) => m.model === 'mock/overreach')!;
    assert.ok(overCi.ci.outOfScopeRate && overCi.ci.outOfScopeRate[1] === 1 && overCi.n.outOfScopeRate >= 1, JSON.stringify(overCi.ci));

    // Compare Models: the same comparison as `editscope compare`, drawn in its own panel.
    const comparison = await vscode.commands.executeCommand<{ a: string; b: string; tasks: number; metrics: Array<{ name: string; ci: [number, number]; n: number }> }>('editscope.compareModels', { a: 'mock/good', b: 'mock/overreach' });
    assert.ok(comparison, `Compare Models returned nothing: ${JSON.stringify(await vscode.commands.executeCommand('editscope._lastError'))}`);
    assert.ok(comparison.tasks >= 1 && comparison.metrics.some((m) => m.name === 'outOfScopeRate' && m.n >= 1 && m.ci.length === 2), JSON.stringify(comparison));
    await new Promise((r) => setTimeout(r, 1500));
    await saveScreenshot('compare');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

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
  it("asks once per workspace and URL before a stored key goes to a server the workspace's settings chose", async () => {
    const config = vscode.workspace.getConfiguration('editscope');
    const KEY = 'sk-workspace-chosen-5e4d3c2b1a';
    await config.update('providers', [{ id: 'wsprov', baseURL: server.url, models: ['good'] }], vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('editscope.setApiKey', { provider: 'wsprov', key: KEY });
    const run = () => vscode.commands.executeCommand<Summary | undefined>('editscope.editSelection', { file: 'src/sample.ts', range: [13, 18], instruction: 'Mark it', models: ['wsprov/good'] });
    try {
      const asked = (await vscode.commands.executeCommand<{ count: number }>('editscope._lastPrompt')).count;
      const sent = server.requests.length;
      await vscode.commands.executeCommand('editscope._answerPrompts', [null]);
      assert.equal(await run(), undefined, 'declined: nothing runs');
      const prompt = await vscode.commands.executeCommand<{ message: string; count: number }>('editscope._lastPrompt');
      assert.equal(prompt.count, asked + 1);
      assert.equal(prompt.message, `This workspace's settings send provider "wsprov" to ${server.url}. Send your API key for wsprov there?`);
      assert.match((await vscode.commands.executeCommand<{ message: string }>('editscope._lastError')).message, /did not send your wsprov key to .*; nothing was sent/);
      assert.equal(server.requests.length, sent, 'no request went out');
      await vscode.commands.executeCommand('editscope._answerPrompts', ['Send My Key']);
      assert.equal((await run())!.models[0].ok, true);
      assert.equal(server.requests.at(-1)!.authorization, `Bearer ${KEY}`);
      // Asked once: the next run sends without asking.
      assert.equal((await run())!.models[0].ok, true);
      assert.equal((await vscode.commands.executeCommand<{ count: number }>('editscope._lastPrompt')).count, asked + 2);
    } finally {
      await config.update('providers', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('editscope.setApiKey', { provider: 'wsprov', key: '' });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it("shows a set's test commands and runs them only when told to", async () => {
    const exported = await vscode.commands.executeCommand<{ out: string; written: number }>('editscope.exportEvalSet', { to: 'evalset', out: '.editscope/tested-set.jsonl' });
    const [task] = fs.readFileSync(exported.out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    task.graders.test = { command: 'node -e "process.exit(0)"', timeoutSeconds: 20 };
    fs.writeFileSync(exported.out, JSON.stringify(task) + '\n');
    const grades = () => fs.readFileSync(path.join(root, '.editscope', 'evals.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.kind === 'grade');
    const replay = () => vscode.commands.executeCommand<{ models: Array<{ testPassRate: number | null }> } | undefined>('editscope.replayEvalSet', { set: '.editscope/tested-set.jsonl', models: ['mock/good'] });
    await vscode.commands.executeCommand('editscope._answerPrompts', ['Replay Without Tests']);
    const without = await replay();
    const prompt = await vscode.commands.executeCommand<{ message: string; detail: string }>('editscope._lastPrompt');
    assert.equal(prompt.message, "This eval set runs 1 test command on your machine, once per model's answer. Run it?");
    assert.match(prompt.detail, /^  node -e "process\.exit\(0\)"\n/);
    assert.equal(without!.models[0].testPassRate, null, 'no test ran');
    assert.equal(grades().at(-1).test, null);
    await vscode.commands.executeCommand('editscope._answerPrompts', ['Run Tests']);
    assert.equal((await replay())!.models[0].testPassRate, 1);
    assert.equal(grades().at(-1).test.passed, true);
    // Cancelled: no replay at all.
    await vscode.commands.executeCommand('editscope._answerPrompts', [null]);
    const count = grades().length;
    assert.equal(await replay(), undefined);
    assert.equal(grades().length, count);
  });
});
