import * as path from 'node:path';
import * as vscode from 'vscode';
import { readEvalSet } from '../../core/evalset/read';
import type { EvalSetTask } from '../../core/evalset/evalSetTask';
import { testCommandsOf } from '../consent';
import { askModal } from '../prompts';
import { replay, type ReplayResult } from '../../core/evalset/replayEvalSet';
import { abortSignalFrom } from '../abort';
import { askModels } from '../quickPicks';
import { availableModels, providersFor } from '../providers';
import type { Services } from '../services';
import { readSettings, resolveLogPath, workspaceRoot } from '../settings';
import { plural } from '../../core/text/plural';
import { showReport } from './reportPanel';

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
