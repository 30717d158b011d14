import * as path from 'node:path';
import * as vscode from 'vscode';
import { runModels, type RunOptions } from '../../core/edit/runModels';
import { createTask, newTaskId } from '../../core/task/createTask';
import type { ContextFile, Dependency, EditableFile, EditTask, ModelResult } from '../../core/task/editTask';
import { loadEditorConfig } from '../../core/io/editorconfig';
import { readWorkspaceText } from '../../core/io/readText';
import type { LineRange } from '../../core/analysis/analysisTypes';
import { autoContext } from '../../core/locality/autoContext';
import { ContextPolicy, redactSecrets } from '../../core/locality/contextSafety';
import { appendTaskRun } from '../../core/log/evalLog';
import { redactor } from '../../core/redact';
import { abortSignalFrom } from '../abort';
import { Comparison, type ComparisonSummary, type TaskFiles } from '../comparison';
import { selectionDependencies } from '../dependencies';
import { askContextFiles, askInstruction, askModels, lastModels, rememberInstruction } from '../quickPicks';
import { availableModels, providersFor } from '../providers';
import type { Services } from '../services';
import { folderOf, readSettings, resolveLogPath, workspaceRoot, type Settings } from '../settings';
import { refreshReport } from './reportPanel';
import { plural } from '../../core/text/plural';
import { sameFile } from '../../core/io/writeAtomic';

/** Everything the command can be given instead of asked, so tests and keybindings need no UI. */
export interface EditSelectionArgs {
  /** A file path or URI string; default: the active editor's document. */
  file?: string;
  /** 1-based inclusive lines; default: the selection. */
  range?: { start: number; end: number } | [number, number];
  instruction?: string;
  models?: string[];
  /** File paths or URI strings of context files, sent whole (with editscope.context "auto", the dependencies too). */
  context?: string[];
  /**
   * Other files the models may change (a multi-file task): paths or URI strings, wholly, or
   * `{ file, range }` for only those 1-based lines. Default: those added with Add Files the
   * Model May Change.
   */
  editFiles?: Array<string | { file: string; range?: { start: number; end: number } | [number, number] }>;
}

export async function editSelection(s: Services, rawArgs?: unknown): Promise<ComparisonSummary | undefined> {
  const args = (rawArgs && typeof rawArgs === 'object' && !(rawArgs instanceof vscode.Uri) ? rawArgs : {}) as EditSelectionArgs;
  const interactive = args.instruction === undefined;
  const settings = readSettings();

  const doc = args.file ? await openDocument(args.file, 'the file to edit') : vscode.window.activeTextEditor?.document;
  if (!doc) throw new Error('Open a file and select the code to edit first.');
  // The selection only counts in the editor showing this document, never another file's.
  const range = args.range ? normaliseRange(args.range) : selectionLines(doc);
  if (!range) {
    throw new Error(
      args.file && !args.range
        ? `Give a range with the file (e.g. "range": [10, 20]) or select the code in ${path.basename(doc.fileName)} first.`
        : 'Select the code to edit first: Edit Scope sends the selected lines and your instruction to the models.',
    );
  }
  if (range.end > doc.lineCount) throw new Error(`Lines ${range.start}-${range.end} are outside ${path.basename(doc.fileName)}, which has ${doc.lineCount} lines.`);

  // One step when the models are known: the last run's (or the default ones), with the
  // context the picker would have pre-picked. The full pickers are one Down (or the gear) away.
  const remembered = lastModels(s.context.workspaceState, settings.defaultModels);
  const deps = await selectionDependencies(doc, range);
  const quick = interactive && !args.models && remembered.length ? { models: remembered, context: contextWords(settings.context, deps) } : undefined;
  const asked = args.instruction === undefined ? await askInstruction(s.context.globalState, quick) : { instruction: args.instruction, full: false };
  if (!asked?.instruction.trim()) return undefined;
  const instruction = asked.instruction;
  if (!interactive) await rememberInstruction(s.context.globalState, instruction);
  const oneStep = !!quick && !asked.full;

  const models = args.models ?? (oneStep ? remembered : await askModels(s.context.workspaceState, await availableModels(settings), settings.defaultModels));
  if (!models?.length) {
    if (interactive) void vscode.window.showInformationMessage('Edit Scope: no models picked. Add a provider with Edit Scope: Manage Providers, or set editscope.defaultModels.');
    return undefined;
  }
  const edit = args.editFiles
    ? args.editFiles.map((f) => (typeof f === 'string' ? { uri: argumentUri(f), range: null } : { uri: argumentUri(f.file), range: f.range ? normaliseRange(f.range) : null }))
    : [...s.editable.list()];
  const files: TaskFiles = { context: args.context?.map(argumentUri) ?? [], dependencies: settings.context === 'auto' || (oneStep && settings.context === 'ask') ? 'all' : [], edit: [] };
  for (const f of edit) addEditable(files, doc.uri, f);
  if (!args.context && interactive && settings.context === 'ask' && !oneStep) {
    const picked = await askContextFiles(doc.uri, deps, folderOf(doc.uri));
    if (!picked) return undefined;
    files.context = picked.uris;
    files.dependencies = picked.dependencies;
    for (const uri of picked.editable) addEditable(files, doc.uri, { uri, range: null });
  }
  // The files waiting are this task's now; a cancelled picker leaves them waiting.
  if (!args.editFiles) s.editable.clear();
  return runComparison(s, doc, range, instruction, models, files, deps);
}

/**
 * Adds a file the model may change unless it is the target or already there, by what the
 * file is rather than its name: a link to the target would have Apply write it twice, the
 * second write losing the first.
 */
function addEditable(files: TaskFiles, target: vscode.Uri, f: TaskFiles['edit'][number]): void {
  const same = (a: vscode.Uri, b: vscode.Uri) => a.toString() === b.toString() || (a.scheme === 'file' && b.scheme === 'file' && sameFile(a.fsPath, b.fsPath));
  if (same(f.uri, target) || files.edit.some((e) => same(e.uri, f.uri))) return;
  files.edit.push(f);
}

/** The context a one-step run sends, as the instruction box says it. */
function contextWords(mode: Settings['context'], deps: readonly Dependency[]): string {
  if (!deps.length) return 'the selection alone (it uses nothing from other files)';
  const files = deps.map((d) => path.posix.basename(d.file)).join(', ');
  return mode === 'off' ? 'no context files' : `the definitions it uses from ${files}`;
}

/** Sends the task, shows the comparison as it fills in, and logs the run. */
export async function runComparison(
  s: Services,
  doc: vscode.TextDocument,
  range: { start: number; end: number },
  instruction: string,
  models: string[],
  files: TaskFiles,
  knownDeps?: Dependency[],
): Promise<ComparisonSummary> {
  const settings = readSettings();
  // Everything that can fail on bad input fails here, before a comparison is on screen,
  // so a bad setting or a missing context file never leaves a panel stuck at "Running".
  const root = folderOf(doc.uri);
  const { providers, secrets } = await providersFor(settings, s.keys, s.context);
  const { contextFiles, editFiles } = await readTaskFiles(s, files, root);
  const original = doc.getText();
  const deps = knownDeps ?? (await selectionDependencies(doc, range));
  contextFiles.push(...dependencyContext(s, settings, files, deps, [...contextFiles, ...editFiles], { text: original, range }));
  const task = createTask({ file: vscode.workspace.asRelativePath(doc.uri, false), original, range, instruction, contextFiles, dependsOn: deps, editFiles });
  // Style is judged by the .editorconfig that applies to the file, as editscope check does.
  const editorConfig = doc.uri.scheme === 'file' ? loadEditorConfig(doc.uri.fsPath) : undefined;
  const comparison = new Comparison(task, doc.uri, original, doc.version, models, files);
  s.store.add(comparison);
  s.panel.show(comparison);
  s.log.info(`task ${task.id}: ${task.file} lines ${range.start}-${range.end} (${task.locality}) → ${models.join(', ')}`);

  const { results, cancelled } = await sendWithProgress(comparison, comparison.task, models, runOptions(settings, providers, editorConfig, secrets, root));
  comparison.finish(results, cancelled);
  await logRun(s, settings, task, results, secrets, root);
  s.panel.show(comparison);
  // Problems entries belong to the comparison on screen, now that it has results.
  if (s.panel.comparison === comparison) s.diff.showDiagnostics(comparison);
  return comparison.summary();
}

/** The run's options from the settings: every model of a comparison, and a retry of one, is asked alike. */
function runOptions(settings: Settings, providers: RunOptions['providers'], editorConfig: RunOptions['editorConfig'], secrets: RunOptions['secrets'], root: string | undefined): Omit<RunOptions, 'signal' | 'onProgress'> {
  return {
    providers,
    timeoutMs: settings.requestTimeoutSeconds * 1000,
    concurrency: settings.parallelRequests,
    editFormat: settings.editFormat,
    contextLines: settings.contextWindowLines,
    editorConfig,
    readOther: (p) => (root ? readWorkspaceText(root, p) : null),
    secrets,
  };
}

/**
 * A failed card's Retry: the same task to that model alone, logged as a task of its own (the
 * first answer stays in the log as it was), while the other cards keep their results.
 */
export async function retryModel(s: Services, c: Comparison, model: string): Promise<void> {
  const settings = readSettings();
  const root = folderOf(c.uri);
  const { providers, secrets } = await providersFor(settings, s.keys, s.context);
  const task: EditTask = { ...c.task, id: newTaskId() };
  const editorConfig = c.uri.scheme === 'file' ? loadEditorConfig(c.uri.fsPath) : undefined;
  c.beginRetry(model, task.id);
  s.log.info(`task ${c.id}: retrying ${model} as task ${task.id}`);
  const { results, cancelled } = await sendWithProgress(c, task, [model], runOptions(settings, providers, editorConfig, secrets, root));
  c.finish(results, cancelled);
  await logRun(s, settings, task, results, secrets, root);
  if (s.panel.comparison === c) s.diff.showDiagnostics(c);
}

async function readTaskFiles(s: Services, files: TaskFiles, root: string | undefined): Promise<{ contextFiles: ContextFile[]; editFiles: EditableFile[] }> {
  const contextFiles: ContextFile[] = [];
  const policy = root ? new ContextPolicy(root) : null;
  const refused: string[] = [];
  for (const uri of files.context) {
    const file = vscode.workspace.asRelativePath(uri, false);
    // Picked or not, a credentials file is never sent; secret values in a file sent are redacted.
    const refusal = policy?.refusal(uri.scheme === 'file' && root ? path.relative(root, uri.fsPath) : file);
    if (refusal) {
      refused.push(`${file} (${refusal})`);
      continue;
    }
    const d = await openDocument(uri, 'a context file');
    contextFiles.push({ path: file, text: redactSecrets(d.getText()) });
  }
  if (refused.length) {
    s.log.warn(`context not sent: ${refused.join(', ')}`);
    void vscode.window.showWarningMessage(`Edit Scope: not sent as context: ${refused.join(', ')}. Edit Scope never sends these to a model.`);
  }
  const editFiles: EditableFile[] = [];
  for (const f of files.edit) {
    const d = await openDocument(f.uri, 'a file the model may change');
    editFiles.push({ path: vscode.workspace.asRelativePath(f.uri, false), text: d.getText(), range: f.range });
  }
  return { contextFiles, editFiles };
}

/** The definitions the selection uses that the user chose to send, within the context budget. */
function dependencyContext(s: Services, settings: Settings, files: TaskFiles, deps: Dependency[], alreadySent: ContextFile[], selection: { text: string; range: LineRange }): ContextFile[] {
  const root = workspaceRoot();
  const wanted = files.dependencies === 'all' ? deps : deps.filter((d) => files.dependencies.includes(d.file));
  if (!root || !wanted.length) return [];
  const auto = autoContext(wanted, { root, budgetTokens: settings.contextBudgetTokens, alreadySent, selection });
  for (const sk of auto.skipped) s.log.info(`context: ${sk.file} not sent (${sk.reason})`);
  return auto.files;
}

/** Runs the models under a cancellable notification; its Cancel and the panel's Stop end the same run. */
async function sendWithProgress(comparison: Comparison, task: EditTask, models: string[], opts: Omit<RunOptions, 'signal' | 'onProgress'>): Promise<{ results: ModelResult[]; cancelled: boolean }> {
  let cancelled = false;
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Edit Scope: asking ${plural(models.length, 'model')}`, cancellable: true },
    async (progress, token) => {
      const link = token.onCancellationRequested(() => comparison.stop());
      const abort = abortSignalFrom(comparison.token);
      let done = 0;
      try {
        return await runModels(task, models, {
          ...opts,
          signal: abort.signal,
          onProgress: (e) => {
            if (e.state === 'done') {
              done++;
              progress.report({ increment: 100 / models.length, message: `${done}/${models.length} · ${e.model} ${e.result?.ok ? 'done' : e.result?.error?.kind}` });
              comparison.progress(e.model, 'done', undefined, e.result);
            } else if (e.state === 'retrying' && e.retry) {
              progress.report({ message: `${e.model}: ${e.retry.error.kind} error, retry ${e.retry.retry} of ${e.retry.maxRetries}` });
              comparison.progress(e.model, 'retrying', undefined, undefined, e.retry);
            } else comparison.progress(e.model, e.state, e.received, undefined, undefined, e.delta);
          },
        });
      } finally {
        cancelled = comparison.token.isCancellationRequested;
        abort.dispose();
        link.dispose();
      }
    },
  );
  return { results, cancelled };
}

/** Each result to the output channel, the run to the eval log; a log that cannot be written is said, the results stay shown. */
async function logRun(s: Services, settings: Settings, task: EditTask, results: ModelResult[], secrets: string[], root: string | undefined): Promise<void> {
  const redact = redactor(process.env, secrets) ?? ((t: string) => t);
  for (const r of results) s.log.info(redact(`task ${task.id}: ${describe(r)}`));
  try {
    await appendTaskRun(resolveLogPath(settings, s.context), task, results, { workspaceRoot: root, source: 'editor', secrets });
    refreshReport(s);
  } catch (err) {
    s.log.error(`could not write the eval log: ${(err as Error).message}`);
    void vscode.window.showWarningMessage(`Edit Scope: the results are shown but could not be written to the eval log: ${(err as Error).message}`);
  }
}

function describe(r: ModelResult): string {
  const head = `${r.model} ${r.ok ? 'ok' : `failed (${r.error.kind}: ${r.error.message})`} in ${r.latencyMs} ms`;
  if (!r.ok) return head;
  const usage = r.usage ? `, ${r.usage.inputTokens}+${r.usage.outputTokens} tokens` : '';
  return `${head}${usage}, ${plural(r.analysis.outOfScopeHunks, 'out-of-scope hunk')}, ${plural(r.analysis.styleDrift.length, 'style finding')}`;
}

/** Opens a file given by path or URI, saying which file could not be opened and why. */
async function openDocument(file: string | vscode.Uri, what: string): Promise<vscode.TextDocument> {
  const uri = typeof file === 'string' ? argumentUri(file) : file;
  const shown = uri.scheme === 'file' ? uri.fsPath : uri.toString();
  try {
    return await vscode.workspace.openTextDocument(uri);
  } catch (err) {
    // The editor's own message repeats the URI three times; a missing file needs one line.
    const missing = await Promise.resolve(vscode.workspace.fs.stat(uri)).then(() => false, (e) => e instanceof vscode.FileSystemError && e.code === 'FileNotFound');
    throw new Error(`Cannot open ${what}, ${shown}: ${missing ? 'there is no such file' : err instanceof Error ? err.message : String(err)}.`);
  }
}

/** A file as a command's arguments name it (a URI, or a path absolute or relative to the workspace) as its URI. */
function argumentUri(file: string): vscode.Uri {
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(file)) return vscode.Uri.parse(file);
  const root = workspaceRoot();
  return vscode.Uri.file(path.isAbsolute(file) || !root ? file : path.join(root, file));
}

function normaliseRange(r: EditSelectionArgs['range']): { start: number; end: number } {
  const [start, end] = Array.isArray(r) ? r : [r!.start, r!.end];
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end < start) throw new Error(`range must be 1-based lines with start <= end (got ${start}-${end})`);
  return { start, end };
}

/** The selected lines of `doc`; a selection ending at the start of a line does not include that line. */
function selectionLines(doc: vscode.TextDocument): { start: number; end: number } | undefined {
  const editor = vscode.window.activeTextEditor?.document === doc ? vscode.window.activeTextEditor : vscode.window.visibleTextEditors.find((e) => e.document === doc);
  const sel = editor?.selection;
  if (!sel || sel.isEmpty) return undefined;
  const endLine = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line - 1 : sel.end.line;
  return { start: sel.start.line + 1, end: endLine + 1 };
}
