import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { companionPath, exportLog, EXPORT_FORMATS, type ExportFormat } from '../../core/evalset/exportLog';
import type { VerdictFilter } from '../../core/evalset/fromLog';
import type { Locality } from '../../core/task/editTask';
import { readEvalSet } from '../../core/evalset/read';
import type { EvalSetTask } from '../../core/evalset/evalSetTask';
import { testCommandsOf } from '../consent';
import { askModal } from '../prompts';
import { replay, type ReplayResult } from '../../core/evalset/replayEvalSet';
import { reportFromLog, type Report } from '../../core/report/compute';
import { renderReportHtml } from '../../core/report/html';
import { abortSignalFrom } from '../abort';
import { askModels } from '../quickPicks';
import { availableModels, providersFor } from '../providers';
import type { Services } from '../services';
import { readSettings, resolveLogPath, workspaceRoot } from '../settings';
import { makeNonce } from '../webview/page';
import { plural } from '../../core/text/plural';

export async function openEvalLog(s: Services): Promise<string | undefined> {
  const logPath = resolveLogPath(readSettings(), s.context);
  if (!fs.existsSync(logPath)) {
    void vscode.window.showInformationMessage(`Edit Scope: no eval log yet at ${logPath}. It is written by the first comparison.`);
    return undefined;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(logPath), { preview: true });
  return logPath;
}

export function existingLog(s: Services): string | undefined {
  const logPath = resolveLogPath(readSettings(), s.context);
  if (fs.existsSync(logPath)) return logPath;
  void vscode.window.showInformationMessage(`Edit Scope: no eval log yet at ${logPath}. Compare some models first (Edit Selection with Models).`);
  return undefined;
}

let reportPanel: vscode.WebviewPanel | undefined;
/** Follows the log the report was drawn from, so new results and verdicts redraw it. */
let reportWatch: { logPath: string; disposable: vscode.Disposable } | undefined;
/** What the report on screen was drawn from (for tests): the tasks it counted. */
let reportTasks: number | undefined;

/** The HTML report in a webview: the same page the CLI writes, under a nonce-only CSP. */
export async function showReport(s: Services): Promise<Report | undefined> {
  const logPath = existingLog(s);
  if (!logPath) return undefined;
  if (!reportPanel) {
    // The report needs no script and loads nothing: no local resources at all.
    reportPanel = vscode.window.createWebviewPanel('editscope.report', 'Edit Scope Report', vscode.ViewColumn.Active, { enableScripts: false, localResourceRoots: [] });
    reportPanel.onDidDispose(() => {
      reportPanel = undefined;
      reportTasks = undefined;
      reportWatch?.disposable.dispose();
      reportWatch = undefined;
    });
  } else reportPanel.reveal();
  const report = drawReport(s, logPath, true);
  watchLog(s, logPath);
  s.log.info(`report: ${plural(report.models.length, 'model')} from ${logPath}`);
  return report;
}

/** Redraws the report if it is open: a comparison or a verdict has just been logged. */
export function refreshReport(s: Services): void {
  if (reportPanel && reportWatch && fs.existsSync(reportWatch.logPath)) drawReport(s, reportWatch.logPath, false);
}

/** The tasks the report on screen counts, or undefined when none is open (for tests). */
export function reportShown(): number | undefined {
  return reportTasks;
}

function drawReport(s: Services, logPath: string, warn: boolean): Report {
  let skipped = 0;
  const report = reportFromLog(logPath, { onWarning: (w) => { skipped++; if (warn) s.log.warn(`${logPath} ${w.message}`); } });
  if (skipped && warn) void vscode.window.showWarningMessage(`Edit Scope: ${plural(skipped, 'damaged line')} of the eval log ${skipped === 1 ? 'was' : 'were'} skipped; see the Edit Scope output.`);
  // The page loads nothing (charts are inline SVG), so the webview's own source is not needed in its CSP.
  if (reportPanel) reportPanel.webview.html = renderReportHtml(report, { nonce: makeNonce() });
  reportTasks = report.tasks;
  return report;
}

/** Appends from anywhere (this window, another, the command line) redraw the report, at most every 300 ms. */
function watchLog(s: Services, logPath: string): void {
  if (reportWatch?.logPath === logPath) return;
  reportWatch?.disposable.dispose();
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(logPath)), path.basename(logPath)));
  let pending: ReturnType<typeof setTimeout> | undefined;
  const later = () => {
    clearTimeout(pending);
    pending = setTimeout(() => refreshReport(s), 300);
  };
  reportWatch = { logPath, disposable: vscode.Disposable.from(watcher, watcher.onDidChange(later), watcher.onDidCreate(later), { dispose: () => clearTimeout(pending) }) };
}

export interface ExportArgs {
  to?: ExportFormat;
  out?: string;
  models?: string[];
  locality?: Locality;
  verdict?: VerdictFilter;
  /** sft, dpo, rft: the share of tasks written to `<out>.valid.jsonl` (rft: 0.2 unless given). */
  validation?: number;
}

export async function exportEvalSet(s: Services, rawArgs?: unknown): Promise<{ out: string; written: number } | undefined> {
  const args = (rawArgs && typeof rawArgs === 'object' ? rawArgs : {}) as ExportArgs;
  const logPath = existingLog(s);
  if (!logPath) return undefined;
  const format =
    args.to ??
    ((await vscode.window.showQuickPick(
      EXPORT_FORMATS.map((f) => ({ label: f, description: DESCRIPTIONS[f] })),
      { title: 'Export Eval Set: format', ignoreFocusOut: true },
    ))?.label as ExportFormat | undefined);
  if (!format) return undefined;
  if (!EXPORT_FORMATS.includes(format)) throw new Error(`unknown export format "${format}" (${EXPORT_FORMATS.join(', ')})`);
  const root = workspaceRoot();
  const ext = format === 'promptfoo' ? 'yaml' : 'jsonl';
  const out =
    args.out !== undefined
      ? path.resolve(root ?? '', args.out)
      : (await vscode.window.showSaveDialog({ title: 'Export Eval Set', defaultUri: vscode.Uri.file(path.join(root ?? path.dirname(logPath), `.editscope/${format}.${ext}`)) }))?.fsPath;
  if (!out) return undefined;
  const summary = exportLog(logPath, out, format, {
    filter: { models: args.models, locality: args.locality, verdict: args.verdict },
    workspaceRoot: root,
    // A reinforcement fine-tuning job needs a validation file as well as the training file.
    validation: args.validation ?? (format === 'rft' ? 0.2 : undefined),
    requireAny: true,
    onWarning: (w) => s.log.warn(`${logPath} ${w.message}`),
  });
  s.log.info(`export ${format}: ${summary.written} written from ${plural(summary.tasks, 'task')} to ${out}`);
  if (!summary.written) {
    void vscode.window.showWarningMessage(`Edit Scope: nothing to export as ${format} (${plural(summary.tasks, 'task')} matched; ${format === 'evalset' || format === 'promptfoo' ? 'check the filters' : 'it needs accepted edits'}).`);
    return { out, written: 0 };
  }
  if (args.out === undefined) {
    const beside = [summary.validation ? `${summary.validation} held back in ${path.basename(companionPath(out, '.valid.jsonl'))}` : '', format === 'rft' ? `the grader in ${path.basename(companionPath(out, '.grader.json'))}` : '']
      .filter(Boolean)
      .join('; ');
    const open = await vscode.window.showInformationMessage(`Edit Scope: exported ${plural(summary.written, `${format} item`)} to ${vscode.workspace.asRelativePath(out)}${beside ? ` (${beside})` : ''}.`, 'Open');
    if (open) await vscode.window.showTextDocument(vscode.Uri.file(out));
  }
  return { out, written: summary.written };
}

const DESCRIPTIONS: Record<ExportFormat, string> = {
  evalset: 'replayable tasks for Replay Eval Set and the editscope replay command',
  promptfoo: 'a promptfoo config with its tests',
  'openai-evals': 'openai/evals samples (input, ideal)',
  sft: 'chat fine-tuning data from accepted edits',
  dpo: 'preference data: accepted vs rejected edits',
  rft: 'reinforcement fine-tuning: prompts, a validation share and a grader',
};

export interface ReplayArgs {
  set?: string;
  models?: string[];
  concurrency?: number;
  /** Run the set's test commands (trusted workspaces only); asked, showing the commands, when not given. */
  runTests?: boolean;
}

/**
 * Whether to run the set's test commands: they are code from wherever the set came from, so
 * never in a restricted workspace, and otherwise only once the person has seen them and said
 * so (as --run-tests is asked for on the command line). Undefined when the replay is cancelled.
 */
async function askRunTests(set: readonly EvalSetTask[], given: boolean | undefined): Promise<boolean | undefined> {
  const commands = testCommandsOf(set);
  if (!commands.length || !vscode.workspace.isTrusted) return false;
  if (given !== undefined) return given;
  const run = 'Run Tests';
  const without = 'Replay Without Tests';
  const shown = commands.slice(0, 10).map((c) => `  ${c.length > 200 ? c.slice(0, 199) + '…' : c}`).join('\n') + (commands.length > 10 ? `\n  … and ${commands.length - 10} more` : '');
  const answer = await askModal(
    `This eval set runs ${plural(commands.length, 'test command')} on your machine, once per model's answer. Run ${commands.length === 1 ? 'it' : 'them'}?`,
    `${shown}\n\nOnly run commands you have read and trust: they run as you, in a temporary folder.`,
    run,
    without,
  );
  return answer === run ? true : answer === without ? false : undefined;
}

/** Replays an eval set against models with progress and cancellation; grades go to the eval log. */
export async function replayEvalSet(s: Services, rawArgs?: unknown): Promise<ReplayResult | undefined> {
  const args = (rawArgs && typeof rawArgs === 'object' ? rawArgs : {}) as ReplayArgs;
  const settings = readSettings();
  const root = workspaceRoot();
  const setPath =
    args.set !== undefined
      ? path.resolve(root ?? '', args.set)
      : (await vscode.window.showOpenDialog({ title: 'Replay Eval Set', canSelectMany: false, filters: { 'Eval set': ['jsonl'] }, defaultUri: root ? vscode.Uri.file(path.join(root, '.editscope')) : undefined }))?.[0]?.fsPath;
  if (!setPath) return undefined;
  const set = readEvalSet(setPath, (w) => s.log.warn(`${setPath} ${w.message}`));
  if (!set.length) throw new Error(`${setPath} has no task to replay`);
  const models = args.models ?? (await askModels(s.context.workspaceState, await availableModels(settings), settings.defaultModels));
  if (!models?.length) return undefined;
  const runTests = await askRunTests(set, args.runTests);
  if (runTests === undefined) return undefined;
  const { providers, secrets } = await providersFor(settings, s.keys, s.context);
  const logPath = resolveLogPath(settings, s.context);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Edit Scope: replaying ${plural(set.length, 'task')} on ${plural(models.length, 'model')}`, cancellable: true },
    async (progress, token) => {
      const abort = abortSignalFrom(token);
      const total = set.length * models.length;
      try {
        return await replay(set, {
          set: setPath,
          models,
          providers,
          logPath,
          concurrency: args.concurrency ?? Math.max(1, Math.floor(settings.parallelRequests / models.length)),
          timeoutMs: settings.requestTimeoutSeconds * 1000,
          signal: abort.signal,
          secrets,
          runTests,
          onTestCommand: (e) => s.log.info(`replay: running the test of ${e.task.id} for ${e.model}: ${e.command}`),
          onGrade: (e) => progress.report({ increment: 100 / total, message: `${e.done}/${e.total}` }),
          onWarning: (m) => s.log.warn(m),
        });
      } finally {
        abort.dispose();
      }
    },
  );
  for (const m of result.models) s.log.info(`replay ${path.basename(setPath)}: ${m.model} score ${m.score ?? '—'} over ${plural(m.tasks, 'task')}`);
  const lines = result.models.map((m) => `${m.model}: ${m.score === null ? '—' : m.score.toFixed(2)}`).join(', ');
  if (args.set === undefined) {
    const choice = await vscode.window.showInformationMessage(`Edit Scope: replay done. ${lines}`, 'Show Report');
    if (choice) await showReport(s);
  }
  return result;
}
