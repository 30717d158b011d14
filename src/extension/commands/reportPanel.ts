import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { reportFromLog, type Report } from '../../core/report/compute';
import { renderReportHtml } from '../../core/report/html';
import type { Services } from '../services';
import { makeNonce } from '../webview/page';
import { plural } from '../../core/text/plural';
import { existingLog } from './evalLog';

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
