import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Services } from '../services';
import { readSettings, resolveLogPath } from '../settings';

export async function openEvalLog(s: Services): Promise<string | undefined> {
  const logPath = resolveLogPath(readSettings(), s.context);
  if (!fs.existsSync(logPath)) {
    void vscode.window.showInformationMessage(`Edit Scope: no eval log yet at ${logPath}. It is written by the first comparison.`);
    return undefined;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(logPath), { preview: true });
  return logPath;
}

export async function showReport(_s: Services, _args?: unknown): Promise<void> {
  void vscode.window.showInformationMessage('Edit Scope: the report is not available yet.');
}

export async function exportEvalSet(_s: Services, _args?: unknown): Promise<void> {
  void vscode.window.showInformationMessage('Edit Scope: export is not available yet.');
}

export async function replayEvalSet(_s: Services, _args?: unknown): Promise<void> {
  void vscode.window.showInformationMessage('Edit Scope: replay is not available yet.');
}
