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

export function existingLog(s: Services): string | undefined {
  const logPath = resolveLogPath(readSettings(), s.context);
  if (fs.existsSync(logPath)) return logPath;
  void vscode.window.showInformationMessage(`Edit Scope: no eval log yet at ${logPath}. Compare some models first (Edit Selection with Models).`);
  return undefined;
}
