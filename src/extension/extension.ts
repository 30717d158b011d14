import * as vscode from 'vscode';
import { ComparisonStore, type Comparison } from './comparison';
import { ComparisonPanel } from './comparisonPanel';
import { comparisonAction, rerun } from './commands/comparisonActions';
import { editSelection } from './commands/editSelection';
import { openEvalLog } from './commands/evalLog';
import { exportEvalSet } from './commands/exportEvalSet';
import { replayEvalSet } from './commands/replayEvalSet';
import { reportShown, showReport } from './commands/reportPanel';
import { compareModels, type CompareArgs } from './commands/compareModels';
import { setApiKey } from './commands/keys';
import { manageProviders } from './commands/manageProviders';
import { DiffView } from './diffView';
import { HunkReview } from './hunkReview';
import { applyPickedHunks, goToHunk, pickHunk } from './commands/hunkCommands';
import { addFilesModelMayChange, EditableFiles } from './editableFiles';
import { ApiKeys } from './apiKeys';
import { redactingLog } from './redactLog';
import { Secrets } from '../core/redact';
import { answerPrompts, lastPrompt } from './prompts';
import { resetDiffCodeLensOffer } from './codeLensOffer';
import { COLUMN_ACTIONS, type ColumnAction } from './protocol';
import type { Services } from './services';
import { RetentionWatch } from './retentionWatch';

// Activated only by its commands (contributed commands activate implicitly): nothing
// here runs until a person, a keybinding or a test asks for Edit Scope.
export function activate(context: vscode.ExtensionContext): { activatedAt: number } {
  // Every key in use is redacted from the output channel and from error messages.
  const secrets = new Secrets(process.env);
  const s = createServices(context, secrets);
  let lastError: { command: string; message: string } | undefined;
  for (const [id, handler] of Object.entries(commandTable(s, () => lastError))) {
    const run = async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (err) {
        lastError = { command: id, message: reportFailure(s.log, secrets, id, err) };
        return undefined;
      }
    };
    context.subscriptions.push(vscode.commands.registerCommand(id, run));
  }
  return { activatedAt: Date.now() };
}

export function deactivate(): void {}

type Handler = (...args: unknown[]) => unknown;

/** Every command by id: the palette's, then internal ones for tests and scripts. */
function commandTable(s: Services, lastError: () => unknown): Record<string, Handler> {
  return {
    'editscope.editSelection': (args) => editSelection(s, args),
    'editscope.showLastComparison': () => showLastComparison(s),
    'editscope.addFilesModelMayChange': (uri, uris) => addFilesModelMayChange(s.editable, uri, uris),
    'editscope.clearFilesModelMayChange': () => s.editable.clear(),
    'editscope.manageProviders': () => manageProviders(s),
    'editscope.setApiKey': (args) => setApiKey(s, args),
    'editscope.openEvalLog': () => openEvalLog(s),
    'editscope.showReport': () => showReport(s),
    'editscope.compareModels': (args) => compareModels(s, args as CompareArgs | undefined),
    'editscope.exportEvalSet': (args) => exportEvalSet(s, args),
    'editscope.replayEvalSet': (args) => replayEvalSet(s, args),
    'editscope.nextHunk': () => goToHunk(s, 1),
    'editscope.previousHunk': () => goToHunk(s, -1),
    'editscope.acceptHunk': (args) => pickHunk(s, args, true),
    'editscope.rejectHunk': (args) => pickHunk(s, args, false),
    'editscope.applyPickedHunks': (args) => applyPickedHunks(s, args),
    // Internal (not in package.json, so not in the palette).
    'editscope._getLastComparison': () => s.store.last?.summary(),
    'editscope._lastError': lastError,
    'editscope._comparisonAction': (action, model, id, file) => actOnComparison(s, action, model, id, file),
    'editscope._diagnostics': () => editScopeDiagnostics(),
    // Answers a question meant for the person (send a key, run test commands): registered only
    // when an extension test runs, so a workspace's tasks or another extension cannot say yes.
    ...(s.context.extensionMode === vscode.ExtensionMode.Test
      ? { 'editscope._answerPrompts': (answers: unknown) => answerPrompts(answers), 'editscope._resetCodeLensOffer': () => resetDiffCodeLensOffer(s.context) }
      : {}),
    'editscope._lastPrompt': () => lastPrompt(),
    'editscope._panelDrawn': () => s.panel.drawn,
    'editscope._reportShown': () => reportShown(),
  };
}

/** The output channel, the comparisons and their panel, and the files waiting for the next task. */
function createServices(context: vscode.ExtensionContext, secrets: Secrets): Services {
  const channel = vscode.window.createOutputChannel('Edit Scope', { log: true });
  const log = redactingLog(channel, secrets);
  const store = new ComparisonStore();
  const diff = new DiffView(store);
  const review = new HunkReview(store, diff);
  const editable = new EditableFiles();
  const s: Services = { context, log, keys: new ApiKeys(context.secrets, (k) => secrets.add(k)), store, diff, review, editable, panel: undefined as unknown as ComparisonPanel };
  // A button pressed in the panel has no command around it to report a failure: say it here.
  s.panel = new ComparisonPanel(context.extensionUri, {
    onAction: (c, action, model, file) => void comparisonAction(s, c, action, model, file).catch((err) => reportFailure(log, secrets, `${action} ${model}`, err)),
    onRerun: (c) => void rerun(s, c).catch((err) => reportFailure(log, secrets, 'run again', err)),
    onStop: (c) => stopComparison(s, c),
    // Problems-panel entries belong to the comparison on screen, and go when it goes.
    onShow: (c) => (c && c.state !== 'running' ? diff.showDiagnostics(c) : diff.clearDiagnostics()),
  });
  context.subscriptions.push(channel, diff, review, editable, s.panel, { dispose: () => store.dispose() }, { dispose: () => RetentionWatch.disposeAll() });
  return s;
}

/** Logs and shows a failure, any key in it redacted; returns the message shown. */
function reportFailure(log: Services['log'], secrets: Secrets, what: string, err: unknown): string {
  const message = secrets.redact(err instanceof Error ? err.message : String(err));
  log.error(`${what}: ${message}`);
  void vscode.window.showErrorMessage(`Edit Scope: ${message}`);
  return message;
}

function stopComparison(s: Services, c: Comparison): void {
  if (c.state === 'running') s.log.info(`task ${c.id}: stopped from the comparison panel`);
  c.stop();
}

function showLastComparison(s: Services) {
  const c = s.store.last;
  if (!c) return void vscode.window.showInformationMessage('Edit Scope: no comparison yet in this window. Select some code and run Edit Selection with Models.');
  s.panel.show(c, false);
  return c.summary();
}

/** A panel button pressed by a test or a script: a column action, Stop, or Run Again. */
function actOnComparison(s: Services, action: unknown, model: unknown, id: unknown, file: unknown) {
  const c = typeof id === 'string' ? s.store.get(id) : s.store.last;
  if (!c) throw new Error('no such comparison');
  // The panel's Stop button: not a column action, it ends the whole run.
  if (action === 'stop') return stopComparison(s, c);
  // The stale notice's (and the refusal's) Run Again.
  if (action === 'rerun') return rerun(s, c);
  if (!(COLUMN_ACTIONS as readonly unknown[]).includes(action)) throw new Error(`unknown action ${String(action)}`);
  return comparisonAction(s, c, action as ColumnAction, String(model), typeof file === 'string' ? file : undefined);
}

function editScopeDiagnostics() {
  return vscode.languages
    .getDiagnostics()
    .flatMap(([uri, ds]) => ds.filter((d) => d.source === 'Edit Scope').map((d) => ({ uri: uri.toString(), line: d.range.start.line + 1, endLine: d.range.end.line + 1, message: d.message, code: String(d.code) })));
}
