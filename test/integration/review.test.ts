import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { analyze } from '../../src/core/analysis/analyze';
import { applyHunks } from '../../src/core/analysis/apply';
import { startMockModelServer, type MockModelServer } from '../fixtures/mockModelServer';
import { pressKeys, saveScreenshot } from './screenshot';
import { until } from './workspaceFiles';

interface Summary {
  id: string;
  taskIds: Record<string, string>;
  state: string;
  models: Array<{
    model: string;
    phase: string;
    ok: boolean | null;
    verdict: string | null;
    error: { kind: string; message: string } | null;
    inScopeHunks: number | null;
    outOfScopeHunks: number | null;
    streamedChars: number;
    picks: boolean[][] | null;
    actions: Record<string, boolean>;
  }>;
}
type LogRecord = Record<string, any>;
type Problem = { uri: string; line: number; endLine: number; message: string; code: string };

const MARKER = '  // edited as asked';
const REVIEW = 'src/review.ts';
const LOG = '.editscope/review.jsonl';

describe('review in place: hunk by hunk, the answer as it arrives, and what auto-save cannot fake', function () {
  this.timeout(120_000);
  let server: MockModelServer;
  let root: string;
  let file: string;
  let original: string;
  const config = (section = 'editscope') => vscode.workspace.getConfiguration(section);

  before(async () => {
    server = await startMockModelServer();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    file = path.join(root, REVIEW);
    original = fs.readFileSync(path.join(root, 'src', 'sample.ts'), 'utf8');
    fs.writeFileSync(file, original);
    await config().update('providers', [{ id: 'mock', baseURL: server.url, models: ['good', 'overreach', 'drift-quotes', 'trickle-good', 'trickle-stall-good', 'prose', 'lazy'] }], vscode.ConfigurationTarget.Global);
    // Only the save checkpoint here: no timer may measure behind a test's back.
    await config().update('retentionMinutes', [], vscode.ConfigurationTarget.Global);
    // A log of its own, so these verdicts never move another suite's figures.
    await config().update('logPath', LOG, vscode.ConfigurationTarget.Global);
    // The buttons above each hunk, as a person shows them who said yes to Edit Scope's offer
    // (CodeLens in diff views is theirs to turn on); the test without them turns it off.
    await config('diffEditor').update('codeLens', true, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('providers', undefined, vscode.ConfigurationTarget.Global);
    await config().update('retentionMinutes', undefined, vscode.ConfigurationTarget.Global);
    await config().update('logPath', undefined, vscode.ConfigurationTarget.Global);
    await config('diffEditor').update('codeLens', undefined, vscode.ConfigurationTarget.Global);
    await config('files').update('autoSave', undefined, vscode.ConfigurationTarget.Global);
    await config('files').update('autoSaveDelay', undefined, vscode.ConfigurationTarget.Global);
    await server.close();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  // A test that fails part way must not leave a stalled model running into the next one.
  afterEach(async () => {
    if ((await last())?.state === 'running') await vscode.commands.executeCommand('editscope._comparisonAction', 'stop');
  });
  beforeEach(async () => {
    // A file left edited (an apply not saved) would make closing its editor ask to save it,
    // and an open dialog holds auto-save back: put each one back as it is on disk first.
    for (const d of vscode.workspace.textDocuments.filter((x) => x.isDirty && x.uri.scheme === 'file')) {
      await vscode.window.showTextDocument(d);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.writeFileSync(file, original);
  });

  const readLog = (): LogRecord[] => fs.readFileSync(path.join(root, LOG), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const recordsOf = (id: string, kind: string) => readLog().filter((r) => r.kind === kind && r.taskId === id);
  const last = () => vscode.commands.executeCommand<Summary>('editscope._getLastComparison');
  /**
   * Shows the last comparison and waits for its page to say it has loaded, for a screenshot.
   * On a loaded machine a webview can take long to load; the picture is then late, and what the
   * test asserts does not depend on it, so a page still not drawn is said, not failed.
   */
  async function showPanel(): Promise<void> {
    await vscode.commands.executeCommand('editscope.showLastComparison');
    const id = (await last()).id;
    const drawn = async () => (await vscode.commands.executeCommand<string | undefined>('editscope._panelDrawn')) === id;
    try {
      await until(drawn, 'the comparison panel to draw', 30_000);
    } catch {
      console.log('    (the comparison panel had not drawn after 30 s; the screenshot may show it empty)');
    }
  }
  const problems = () => vscode.commands.executeCommand<Problem[]>('editscope._diagnostics');

  /** Resolves with the first event that passes the filter, or fails naming what it waited for. */
  function nextEvent<T>(event: vscode.Event<T>, filter: (e: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const sub = event((e) => {
        if (!filter(e)) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(e);
      });
    });
  }

  async function compare(models: string[]): Promise<{ editor: vscode.TextEditor; summary: Summary }> {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.One });
    const summary = await vscode.commands.executeCommand<Summary>('editscope.editSelection', { file: REVIEW, range: [13, 18], instruction: 'Mark the function as edited', models });
    return { editor, summary };
  }

  /** The model's side of the diff once View Diff has opened it. */
  async function openDiff(model: string): Promise<vscode.TextEditor> {
    const shown = nextEvent(vscode.window.onDidChangeActiveTextEditor, (e) => !!e && e.document.uri.scheme === 'editscope-result' && new URLSearchParams(e.document.uri.query).get('m') === model, `the diff of ${model}`);
    await vscode.commands.executeCommand('editscope._comparisonAction', 'viewDiff', model);
    const active = vscode.window.activeTextEditor;
    if (active?.document.uri.scheme === 'editscope-result' && new URLSearchParams(active.document.uri.query).get('m') === model) return active;
    return (await shown)!;
  }

  it('accepts and rejects single hunks from the keyboard in the diff, applies only those, and logs each hunk', async () => {
    const { editor, summary } = await compare(['mock/overreach']);
    const m = summary.models[0];
    assert.ok(m.picks, 'the answer has hunks to review');
    const ticks = m.picks![0];
    assert.equal(ticks.length, m.inScopeHunks! + m.outOfScopeHunks!, 'one tick per hunk');
    assert.equal(ticks.filter(Boolean).length, m.inScopeHunks, 'in-scope hunks start ticked, out-of-scope ones not');

    const diff = await openDiff('mock/overreach');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', diff.document.uri);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => /^\$\(check-all\) Apply 1 of 3 picked hunks$/.test(t)), titles.join(' | '));
    assert.ok(titles.some((t) => /Hunk 1 of 3: left out · out of scope/.test(t)), titles.join(' | '));
    assert.deepEqual(titles.filter((t) => t === 'Accept' || t === 'Reject').length, 3, 'an Accept or a Reject on every hunk');
    await saveScreenshot('review-hunks-wide');

    // Keyboard only, from the top of the model's version: accept the first hunk (the cursor
    // moves on), accept the second, reject the third, go back and reject the second again.
    diff.selection = new vscode.Selection(0, 0, 0, 0);
    const pick = (cmd: string) => vscode.commands.executeCommand<{ picks: boolean[][] }>(cmd);
    assert.deepEqual((await pick('editscope.acceptHunk')).picks, [[true, false, true]]);
    assert.deepEqual((await pick('editscope.acceptHunk')).picks, [[true, true, true]]);
    assert.deepEqual((await pick('editscope.rejectHunk')).picks, [[true, true, false]]);
    await vscode.commands.executeCommand('editscope.previousHunk');
    assert.deepEqual((await pick('editscope.rejectHunk')).picks, [[true, false, false]]);
    const card = (await last()).models[0];
    assert.deepEqual(card.picks, [[true, false, false]], 'the card knows the ticks');
    assert.equal(card.actions.applyPicked, true);

    const edited = diff.document.getText();
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; accepted: string }>('editscope.applyPickedHunks');
    assert.deepEqual(outcome, { applied: true, accepted: 'picked', files: [REVIEW] });
    const hunks = analyze(original, edited, { fileName: REVIEW, ranges: [{ start: 13, end: 18 }] }).hunks;
    assert.equal(editor.document.getText(), applyHunks(original, edited, hunks, (_, i) => i === 0), 'exactly the accepted hunk is in the file');
    assert.ok(!editor.document.getText().includes(MARKER), 'the rejected in-scope hunk is not');

    const [v] = await until(() => recordsOf(summary.id, 'verdict').length === 1 && recordsOf(summary.id, 'verdict'), 'the verdict in the log');
    assert.equal(v.accepted, 'picked');
    assert.deepEqual(
      v.hunks.map((h: LogRecord) => [h.file, h.originalStart, h.originalLines, h.editedStart, h.editedLines, h.scope, h.accepted]),
      hunks.map((h, i) => [REVIEW, h.originalStart, h.originalLines, h.editedStart, h.editedLines, h.scope, i === 0]),
    );
    const after = await last();
    assert.equal(after.models[0].verdict, 'picked');
    const settled = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', diff.document.uri);
    assert.deepEqual(settled.map((l) => l.command?.title), ['$(check) Applied: 1 of 3 hunks · undo the apply in the file to review it again'], 'no Accept or Reject left that would do nothing');
    await showPanel();
    await saveScreenshot('review-applied-picked-900', { width: 900 });
    await vscode.window.showTextDocument(editor.document, { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('undo');
    const [, undone] = await until(() => recordsOf(summary.id, 'verdict').length === 2 && recordsOf(summary.id, 'verdict'), 'the undo in the log');
    assert.equal(undone.accepted, 'reverted');
    assert.ok(undone.hunks.every((h: LogRecord) => h.accepted === false), 'undone, no hunk is in the file');
  });

  it('reviews hunk by hunk without CodeLens in diffs: a hover with Accept and Reject links, and a one-time offer that changes the setting only when asked to', async () => {
    await config('diffEditor').update('codeLens', false, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('editscope._resetCodeLensOffer');
    try {
      const { editor, summary } = await compare(['mock/overreach']);
      const asked = (await vscode.commands.executeCommand<{ count: number }>('editscope._lastPrompt')).count;
      await vscode.commands.executeCommand('editscope._answerPrompts', ['Not Now']);
      const diff = await openDiff('mock/overreach');
      const offer = await until(async () => {
        const p = await vscode.commands.executeCommand<{ message: string; count: number }>('editscope._lastPrompt');
        return p.count === asked + 1 && p;
      }, 'the offer to show the buttons on each hunk');
      assert.match(offer.message, /turns on CodeLens in all diff views \(diffEditor\.codeLens\)/);
      assert.equal(config('diffEditor').get('codeLens'), false, '"Not Now" leaves the setting as it was');

      // Hunk 2 is out of scope, so left out: its hover says so and offers to accept it.
      const edited = diff.document.getText();
      const hunks = analyze(original, edited, { fileName: REVIEW, ranges: [{ start: 13, end: 18 }] }).hunks;
      const at = new vscode.Position(hunks[1].editedStart - 1, 2);
      const hover = async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', diff.document.uri, at);
        return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n').replace(/&nbsp;/g, ' ');
      };
      const link = (text: string, label: string) => {
        const m = new RegExp(`\\[\\$\\([\\w-]+\\) ${label}\\]\\(command:([\\w.]+)\\?([^ )]+)`).exec(text);
        assert.ok(m, `a "${label}" link in: ${text}`);
        return () => vscode.commands.executeCommand(m[1], ...JSON.parse(decodeURIComponent(m[2])));
      };
      const before = await hover();
      assert.match(before, /hunk 2 of 3: left out · out of scope/);
      assert.doesNotMatch(before, /Reject hunk/);
      // The hover's link, as a click runs it; the cursor is elsewhere and stays there.
      diff.selection = new vscode.Selection(0, 0, 0, 0);
      await link(before, 'Accept hunk')();
      assert.deepEqual((await last()).models[0].picks, [[false, true, true]]);
      assert.equal(diff.selection.active.line, 0, 'a link acts on its own hunk, not the cursor\'s');
      const after = await hover();
      assert.match(after, /hunk 2 of 3: will apply/);
      assert.doesNotMatch(after, /Accept hunk/);
      diff.selection = new vscode.Selection(at, at);
      await vscode.commands.executeCommand('editor.action.showHover');
      await saveScreenshot('review-hover-900', { width: 900 });
      await link(after, 'Reject hunk')();
      assert.deepEqual((await last()).models[0].picks, [[false, false, true]]);
      // And the keyboard at the cursor: the first hunk accepted with Ctrl+Enter, pressed in the
      // diff as a person presses it (where no launcher can press keys, through its command).
      diff.selection = new vscode.Selection(hunks[0].editedStart - 1, 0, hunks[0].editedStart - 1, 0);
      await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
      const modified = '.monaco-diff-editor .editor.modified .native-edit-context, .monaco-diff-editor .editor.modified textarea';
      if (!(await pressKeys('review-ctrl-enter', [{ into: modified, press: 'ControlOrMeta+Enter' }]))) await vscode.commands.executeCommand('editscope.acceptHunk');
      await until(async () => JSON.stringify((await last()).models[0].picks) === JSON.stringify([[true, false, true]]) || undefined, 'Ctrl+Enter to accept the hunk at the cursor');
      await link(await hover(), 'Apply 2 picked')();
      assert.equal(editor.document.getText(), applyHunks(original, edited, hunks, (_, i) => i !== 1), 'the hunks left ticked are in the file, the rejected one not');
      const [v] = await until(() => recordsOf(summary.id, 'verdict').length === 1 && recordsOf(summary.id, 'verdict'), 'the verdict in the log');
      assert.deepEqual(v.hunks.map((h: LogRecord) => h.accepted), [true, false, true]);
      assert.match(await hover(), /has been applied/, 'a settled answer offers no more links');

      // Asked once a window: the next diff does not ask again.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await openDiff('mock/overreach');
      assert.equal((await vscode.commands.executeCommand<{ count: number }>('editscope._lastPrompt')).count, asked + 1);
      // In a new window, "Show Them in Diffs" is what turns the setting on.
      await vscode.commands.executeCommand('editscope._resetCodeLensOffer');
      await vscode.commands.executeCommand('editscope._answerPrompts', ['Show Them in Diffs']);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await openDiff('mock/overreach');
      await until(() => config('diffEditor').get('codeLens') === true, 'the person\'s yes to turn CodeLens on in diffs');
    } finally {
      await config('diffEditor').update('codeLens', true, vscode.ConfigurationTarget.Global);
    }
  });

  it('runs the common case in one step from the keyboard: Ctrl+Alt+E, the instruction, Enter, with the default models', async function () {
    await config().update('defaultModels', ['mock/good'], vscode.ConfigurationTarget.Global);
    try {
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.One });
      editor.selection = new vscode.Selection(12, 0, 17, 1);
      const before = (await last())?.id;
      await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
      const input = '.quick-input-widget .quick-input-box input';
      const typed = await pressKeys('one-step-open', [
        { into: '.editor-group-container.active .monaco-editor .native-edit-context, .editor-group-container.active .monaco-editor textarea', press: 'ControlOrMeta+Alt+E' },
        { waitFor: '.quick-input-widget .quick-input-title', text: 'Enter runs mock/good', into: input, type: 'Mark the function as edited' },
      ]);
      if (!typed) {
        console.log('    (this launcher cannot press keys: the one-step run is not tried)');
        return this.skip();
      }
      await saveScreenshot('review-one-step-900', { width: 900 });
      await pressKeys('one-step-run', [{ into: input, press: 'Enter' }]);
      const s = await until(async () => {
        const c = await last();
        return c && c.id !== before && c.state === 'done' && c;
      }, 'the comparison the one step started', 30_000);
      assert.deepEqual(s.models.map((m) => [m.model, m.ok]), [['mock/good', true]], 'no model picker: the default models ran');
    } finally {
      await config().update('defaultModels', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('clears a model\'s Problems entries when it is rejected, and every entry once another answer is applied; Reject stays on the cards left', async () => {
    await compare(['mock/overreach', 'mock/drift-quotes', 'mock/good']);
    await vscode.commands.executeCommand('editscope.showLastComparison');
    const before = await until(async () => {
      const p = await problems();
      return p.some((x) => x.message.startsWith('mock/overreach:')) && p.some((x) => x.message.startsWith('mock/drift-quotes:')) && p;
    }, 'both models in Problems');
    assert.ok(before.length >= 2);
    const s0 = await last();
    const rejected = await vscode.commands.executeCommand('editscope._comparisonAction', 'reject', 'mock/overreach');
    assert.deepEqual(rejected, { applied: false, reason: 'rejected' });
    const afterReject = await problems();
    assert.ok(!afterReject.some((x) => x.message.startsWith('mock/overreach:')), 'the rejected model says nothing more');
    assert.ok(afterReject.some((x) => x.message.startsWith('mock/drift-quotes:')), 'the others stay');
    const [v] = await until(() => recordsOf(s0.id, 'verdict').length === 1 && recordsOf(s0.id, 'verdict'), 'the reject in the log');
    assert.equal(v.accepted, 'none');
    assert.ok(v.hunks.length === 3 && v.hunks.every((h: LogRecord) => h.accepted === false), 'every hunk rejected');

    await vscode.commands.executeCommand('editscope._comparisonAction', 'applyAll', 'mock/drift-quotes');
    assert.deepEqual(await problems(), [], 'an applied answer settles the comparison: no entry is left');
    const s1 = await last();
    assert.equal(s1.models[2].actions.reject, true, 'the card not yet judged can still be rejected');
    assert.equal(s1.models[2].actions.applyAll, false, 'but not applied on top');
    await vscode.commands.executeCommand('editscope._comparisonAction', 'reject', 'mock/good');
    await until(() => recordsOf(s0.id, 'verdict').length === 3, 'the loser\'s reject in the log');
  });

  for (const autoSave of ['afterDelay', 'off'] as const) {
    it(`measures what was kept at the first save after the person's edit, not at a save of the untouched apply (files.autoSave: ${autoSave})`, async () => {
      await config('files').update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
      await config('files').update('autoSaveDelay', 300, vscode.ConfigurationTarget.Global);
      try {
        const { editor, summary } = await compare(['mock/good']);
        const doc = editor.document;
        // Auto-save waits for the editor to be idle: on a loaded machine that can take a while.
        const saved = (what: string) => nextEvent(vscode.workspace.onDidSaveTextDocument, (d) => d.uri.toString() === doc.uri.toString(), what, 45_000);
        // The apply, saved with nobody's edit: by auto-save a moment later, or by hand.
        const untouchedSave = saved('the save of the untouched apply');
        await vscode.commands.executeCommand('editscope._comparisonAction', 'applyAll', 'mock/good');
        if (autoSave === 'off') await doc.save();
        await untouchedSave;
        // The person then edits the line the model added, and the file is saved again.
        const personSave = saved('the save after the person\'s edit');
        const line = doc.getText().split('\n').indexOf(MARKER);
        assert.ok(line > 0);
        const shown = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
        await shown.edit((b) => b.replace(new vscode.Range(line, 0, line, MARKER.length), '  // edited as asked, then reworded'));
        if (autoSave === 'off') await doc.save();
        await personSave;
        const records = await until(() => recordsOf(summary.id, 'retention').length >= 1 && recordsOf(summary.id, 'retention'), 'the save checkpoint');
        assert.equal(records.length, 1, 'one save checkpoint');
        assert.deepEqual([records[0].checkpoint, records[0].keptLines, records[0].appliedLines, records[0].text], ['save', 0, 1, '  // edited as asked, then reworded\n'], 'measured at the person\'s save');
      } finally {
        await config('files').update('autoSave', undefined, vscode.ConfigurationTarget.Global);
        await config('files').update('autoSaveDelay', undefined, vscode.ConfigurationTarget.Global);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
    });
  }

  it('shows the answer as it arrives, and keeps what had arrived when Stop ends a model', async () => {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.One });
    assert.ok(editor);
    const running = vscode.commands.executeCommand<Summary>('editscope.editSelection', { file: REVIEW, range: [13, 18], instruction: 'Mark the function as edited', models: ['mock/trickle-good', 'mock/trickle-stall-good'] });
    const streaming = await until(async () => {
      const s = await last();
      return s?.state === 'running' && s.models[0].streamedChars > 0 && s.models[0].ok === null && s;
    }, 'the first characters to arrive');
    assert.equal(streaming.models[0].actions.viewDiff, true, 'the answer can be watched before it is whole');
    // The preview follows the stream: it grows while the model is still answering.
    const opened = nextEvent(vscode.workspace.onDidOpenTextDocument, (d) => d.uri.scheme === 'editscope-result' && new URLSearchParams(d.uri.query).get('k') === 'stream', 'the answer preview');
    await vscode.commands.executeCommand('editscope._comparisonAction', 'viewDiff', 'mock/trickle-good');
    const preview = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'editscope-result' && new URLSearchParams(d.uri.query).get('k') === 'stream') ?? (await opened);
    const first = preview.getText().length;
    await nextEvent(vscode.workspace.onDidChangeTextDocument, (e) => e.document === preview && e.document.getText().length > first, 'the preview to grow');
    assert.ok((await last()).models[0].ok === null, 'it grew before the answer was whole');
    await showPanel();
    await saveScreenshot('review-streaming-wide');
    const done = await until(async () => (await last()).models[0].ok === true && (await last()), 'the whole answer');
    await until(() => preview.getText().includes(MARKER) && preview.getText().length === done.models[0].streamedChars, 'the preview to hold the whole answer');
    const whole = preview.getText();

    // The other model stalls half-way; Stop ends it and what it sent stays readable.
    await until(async () => (await last()).models[1].streamedChars > 0, 'the stalling model to send something');
    await vscode.commands.executeCommand('editscope._comparisonAction', 'stop');
    const stopped = await running;
    const m = stopped.models[1];
    assert.equal(stopped.state, 'cancelled');
    assert.equal(m.error?.kind, 'cancelled');
    assert.ok(m.streamedChars > 0 && m.actions.viewDiff, 'the partial answer is kept, and viewable');
    const partialOpened = nextEvent(vscode.workspace.onDidOpenTextDocument, (d) => new URLSearchParams(d.uri.query).get('k') === 'stream' && new URLSearchParams(d.uri.query).get('m') === 'mock/trickle-stall-good', 'the partial answer');
    await vscode.commands.executeCommand('editscope._comparisonAction', 'viewDiff', 'mock/trickle-stall-good');
    const partial = await partialOpened;
    assert.equal(partial.getText().length, m.streamedChars);
    assert.ok(whole.startsWith(partial.getText()), 'what arrived is the start of the same answer');
    await showPanel();
    await saveScreenshot('review-stopped-900', { width: 900 });
  });

  it('retries a failed model on its card: the same task, logged as one of its own, the other cards as they were', async () => {
    const { summary } = await compare(['mock/good', 'mock/prose']);
    assert.equal(summary.models[1].ok, false);
    assert.equal(summary.models[1].actions.retry, true, 'a failed card offers Retry');
    assert.equal(summary.models[0].actions.retry, false, 'a good one does not');
    // The model answers properly the second time.
    const lines = original.split('\n');
    lines.splice(18, 0, MARKER);
    server.answerWith('prose', '```ts\n' + lines.join('\n') + '```\n');
    await vscode.commands.executeCommand('editscope._comparisonAction', 'retry', 'mock/prose');
    const after = await last();
    assert.equal(after.id, summary.id, 'the same card');
    assert.deepEqual([after.models[0].ok, after.models[1].ok], [true, true]);
    const retryId = after.taskIds['mock/prose'];
    assert.notEqual(retryId, summary.id);
    const task = readLog().find((r) => r.kind === 'task' && r.id === retryId)!;
    assert.deepEqual(task.results.map((r: LogRecord) => [r.model, r.ok]), [['mock/prose', true]], 'logged as a task of its own');
    await vscode.commands.executeCommand('editscope._comparisonAction', 'applyAll', 'mock/prose');
    const [v] = await until(() => recordsOf(retryId, 'verdict').length === 1 && recordsOf(retryId, 'verdict'), 'the verdict on the retry');
    assert.equal(v.accepted, 'all');
  });

  it('redraws the open report when a comparison lands', async () => {
    await vscode.commands.executeCommand('editscope.showReport');
    const before = await vscode.commands.executeCommand<number>('editscope._reportShown');
    assert.ok(typeof before === 'number');
    await compare(['mock/good']);
    await until(async () => (await vscode.commands.executeCommand<number>('editscope._reportShown')) === before + 1, 'the report to count the new task');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('editscope.showReport');
    await saveScreenshot('review-report-900', { width: 900 });
  });

  it('lists a lazy answer\'s placeholder on one line in Problems, not over all the lines it would delete', async () => {
    // Lines 7-11 (a comment and a function) given back as a placeholder comment, the selection edited as asked.
    const lines = original.split('\n');
    const answer = [...lines.slice(0, 6), '// ... existing code ...', ...lines.slice(11, 18), MARKER, ...lines.slice(18)];
    server.answerWith('lazy', '```ts\n' + answer.join('\n') + '```\n');
    const { summary } = await compare(['mock/lazy']);
    assert.equal(summary.models[0].ok, true, JSON.stringify(summary.models[0].error));
    assert.equal(summary.models[0].actions.applyAll, false, 'never applied whole');
    const out = await until(async () => (await problems()).filter((p) => p.code === 'out-of-scope' && p.message.startsWith('mock/lazy:')).length > 0 && (await problems()).filter((p) => p.code === 'out-of-scope'), 'its Problems entries');
    const lazy = out.find((p) => /placeholder comment would delete/.test(p.message));
    assert.ok(lazy, out.map((p) => p.message).join(' | '));
    assert.equal(lazy.endLine, lazy.line, 'one line, not a squiggle over the file');
    assert.match(lazy.message, /lines 7–11/);
  });

  it('looks right in light and dark, at 900 px and wide (screenshots of the review)', async () => {
    const workbench = vscode.workspace.getConfiguration('workbench');
    await compare(['mock/overreach', 'mock/good', 'mock/drift-quotes']);
    try {
      for (const theme of ['Default Light Modern', 'Default Dark Modern']) {
        await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        const tag = theme.includes('Dark') ? 'dark' : 'light';
        await showPanel();
        await saveScreenshot(`review-panel-${tag}-wide`);
        await saveScreenshot(`review-panel-${tag}-900`, { width: 900 });
        const diff = await openDiff('mock/overreach');
        diff.selection = new vscode.Selection(0, 0, 0, 0);
        await vscode.commands.executeCommand('editscope.acceptHunk');
        await saveScreenshot(`review-diff-${tag}-wide`);
        await saveScreenshot(`review-diff-${tag}-900`, { width: 900 });
        await vscode.commands.executeCommand('editscope.rejectHunk', { model: 'mock/overreach', hunk: 0 });
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      }
    } finally {
      await workbench.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
