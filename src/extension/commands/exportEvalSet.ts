import * as path from 'node:path';
import * as vscode from 'vscode';
import { companionPath, exportLog, EXPORT_FORMATS, type ExportFormat } from '../../core/evalset/exportLog';
import type { VerdictFilter } from '../../core/evalset/fromLog';
import type { Locality } from '../../core/task/editTask';
import type { Services } from '../services';
import { workspaceRoot } from '../settings';
import { plural } from '../../core/text/plural';
import { existingLog } from './evalLog';

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
