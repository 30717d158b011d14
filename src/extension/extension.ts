import * as vscode from 'vscode';
import { ComparisonStore, type Comparison } from './comparison';
import { ComparisonPanel } from './comparisonPanel';
import { comparisonAction, rerun } from './commands/comparisonActions';
import { editSelection } from './commands/editSelection';
import { exportEvalSet, openEvalLog, replayEvalSet, showReport } from './commands/evalLogCommands';
import { setApiKey } from './commands/keys';
import { manageProviders } from './commands/manageProviders';
import { DiffView } from './diffView';
import { addFilesModelMayChange, EditableFiles } from './editableFiles';
import { ApiKeys } from './apiKeys';
import { redactingLog } from './redactLog';
import { Secrets } from '../core/redact';
import { COLUMN_ACTIONS, type ColumnAction } from './protocol';
import type { Services } from './services';
import { RetentionWatch } from './retentionWatch';

// Activated only by its commands (contributed commands activate implicitly): nothing
// here runs until a person, a keybinding or a test asks for Edit Scope.
export function activate(context: vscode.ExtensionContext): { activatedAt: number } {
  // Every key in use is redacted from the output channel and from error messages.
  const secrets = new Secrets(process.env);
  const channel = vscode.window.createOutputChannel('Edit Scope', { log: true });
  const log = redactingLog(channel, secrets);
  const store = new ComparisonStore();
  const diff = new DiffView(store);
  // A button pressed in the panel has no command around it to report a failure: say it here.
  const fail = (what: string, err: unknown) => {
    const message = secrets.redact(err instanceof Error ? err.message : String(err));
    log.error(`${what}: ${message}`);
    void vscode.window.showErrorMessage(`Edit Scope: ${message}`);
  };
  const stop = (c: Comparison) => {
    if (c.state === 'running') log.info(`task ${c.id}: stopped from the comparison panel`);
    c.stop();
  };
  const editable = new EditableFiles();
  const s: Services = { context, log, keys: new ApiKeys(context.secrets, (k) => secrets.add(k)), store, diff, editable, panel: undefined as unknown as ComparisonPanel };
  s.panel = new ComparisonPanel(context.extensionUri, {
    onAction: (c, action, model, file) => void comparisonAction(s, c, action, model, file).catch((err) => fail(`${action} ${model}`, err)),
    onRerun: (c) => void rerun(s, c).catch((err) => fail('run again', err)),
    onStop: (c) => stop(c),
    // Problems-panel entries belong to the comparison on screen, and go when it goes.
    onShow: (c) => (c && c.state !== 'running' ? diff.showDiagnostics(c) : diff.clearDiagnostics()),
  });
  context.subscriptions.push(channel, diff, editable, s.panel, { dispose: () => store.dispose() }, { dispose: () => RetentionWatch.disposeAll() });

  let lastError: { command: string; message: string } | undefined;
  const command = (id: string, fn: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (err) {
          const message = secrets.redact(err instanceof Error ? err.message : String(err));
          log.error(`${id}: ${message}`);
          lastError = { command: id, message };
          void vscode.window.showErrorMessage(`Edit Scope: ${message}`);
          return undefined;
        }
      }),
    );

  command('editscope.editSelection', (args) => editSelection(s, args));
  command('editscope.showLastComparison', () => {
    const c = store.last;
    if (!c) return void vscode.window.showInformationMessage('Edit Scope: no comparison yet in this window. Select some code and run Edit Selection with Models.');
    s.panel.show(c, false);
    return c.summary();
  });
  command('editscope.addFilesModelMayChange', (uri, uris) => addFilesModelMayChange(editable, uri, uris));
  command('editscope.clearFilesModelMayChange', () => editable.clear());
  command('editscope.manageProviders', () => manageProviders(s));
  command('editscope.setApiKey', (args) => setApiKey(s, args));
  command('editscope.openEvalLog', () => openEvalLog(s));
  command('editscope.showReport', () => showReport(s));
  command('editscope.exportEvalSet', (args) => exportEvalSet(s, args));
  command('editscope.replayEvalSet', (args) => replayEvalSet(s, args));

  // Internal, for tests and scripts (not in package.json, so not in the palette).
  command('editscope._getLastComparison', () => store.last?.summary());
  command('editscope._lastError', () => lastError);
  command('editscope._comparisonAction', async (action, model, id, file) => {
    const c = typeof id === 'string' ? store.get(id) : store.last;
    if (!c) throw new Error('no such comparison');
    // The panel's Stop button: not a column action, it ends the whole run.
    if (action === 'stop') return stop(c);
    // The stale notice's (and the refusal's) Run Again.
    if (action === 'rerun') return rerun(s, c);
    if (!(COLUMN_ACTIONS as readonly unknown[]).includes(action)) throw new Error(`unknown action ${String(action)}`);
    return comparisonAction(s, c, action as ColumnAction, String(model), typeof file === 'string' ? file : undefined);
  });
  command('editscope._diagnostics', () =>
    vscode.languages
      .getDiagnostics()
      .flatMap(([uri, ds]) => ds.filter((d) => d.source === 'Edit Scope').map((d) => ({ uri: uri.toString(), line: d.range.start.line + 1, message: d.message, code: String(d.code) }))),
  );

  return { activatedAt: Date.now() };
}

export function deactivate(): void {}
