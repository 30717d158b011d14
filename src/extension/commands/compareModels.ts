import * as vscode from 'vscode';
import { compareFromLog, type Comparison, type Sides } from '../../core/report/compare';
import { renderComparisonHtml } from '../../core/report/compareFormat';
import { reportFromLog } from '../../core/report/compute';
import { plural } from '../../core/text/plural';
import type { Services } from '../services';
import { existingLog } from './evalLog';
import { makeNonce } from '../webview/page';

/** `editscope.compareModels` arguments, so a keybinding or a task needs no picker. */
export interface CompareArgs {
  a?: string;
  b?: string;
  /** With `model` instead of a and b: its runs before this date against its runs since. */
  model?: string;
  before?: string;
}

let panel: vscode.WebviewPanel | undefined;

/**
 * Two models of the eval log on the tasks both answered, as `editscope compare` gives them:
 * the finding, each difference drawn with its interval, and the table.
 */
export async function compareModels(s: Services, args: CompareArgs = {}): Promise<Comparison | undefined> {
  const logPath = existingLog(s);
  if (!logPath) return undefined;
  const sides = await pickSides(logPath, args);
  if (!sides) return undefined;
  const comparison = compareFromLog(logPath, sides, { onWarning: (w) => s.log.warn(`${logPath} ${w.message}`) });
  if (!panel) {
    // Like the report: no script, nothing loaded.
    panel = vscode.window.createWebviewPanel('editscope.compare', 'Edit Scope Comparison', vscode.ViewColumn.Active, { enableScripts: false, localResourceRoots: [] });
    panel.onDidDispose(() => (panel = undefined));
  } else panel.reveal();
  panel.title = `Compare: ${comparison.b} vs ${comparison.a}`;
  panel.webview.html = renderComparisonHtml(comparison, { nonce: makeNonce() });
  s.log.info(`compare: ${comparison.b} against ${comparison.a} on ${plural(comparison.tasks, 'task')} from ${logPath}`);
  return comparison;
}

async function pickSides(logPath: string, args: CompareArgs): Promise<Sides | undefined> {
  if (args.model && args.before) {
    const before = new Date(args.before);
    if (Number.isNaN(before.getTime())) throw new Error(`Compare Models: "${args.before}" is not a date`);
    return { model: args.model, before };
  }
  if (args.a && args.b) return { a: args.a, b: args.b };
  const models = reportFromLog(logPath).models;
  if (models.length < 2) {
    void vscode.window.showInformationMessage('Edit Scope: the eval log has results from fewer than two models; send a task to two models first.');
    return undefined;
  }
  const items = models.map((m) => ({ label: m.model, description: `${plural(m.tasks, 'result')}` }));
  const a = await vscode.window.showQuickPick(items, { title: 'Compare Models (1/2)', placeHolder: 'Model A: the one to compare against' });
  if (!a) return undefined;
  const b = await vscode.window.showQuickPick(items.filter((i) => i.label !== a.label), { title: 'Compare Models (2/2)', placeHolder: `Model B: compared with ${a.label} on the tasks both answered` });
  return b ? { a: a.label, b: b.label } : undefined;
}
