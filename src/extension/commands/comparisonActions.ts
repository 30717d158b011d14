import * as vscode from 'vscode';
import { appendVerdict } from '../../core/log/evalLog';
import { AppliedEdit } from '../appliedEdit';
import { applyResult, type ApplyOutcome } from '../applyResult';
import type { Comparison, ComparisonSummary } from '../comparison';
import type { ColumnAction } from '../protocol';
import type { Services } from '../services';
import { RetentionWatch } from '../retentionWatch';
import { readSettings, resolveLogPath } from '../settings';
import { runComparison } from './editSelection';

export type ActionOutcome =
  | { applied: true; accepted: 'all' | 'in-scope'; files: string[] }
  | Exclude<ApplyOutcome, { applied: true }>
  | { applied: false; reason: 'rejected' | 'shown' };

/** What a button in the comparison panel does; also reachable as a command for tests. */
export async function comparisonAction(s: Services, c: Comparison, action: ColumnAction, model: string, file?: string): Promise<ActionOutcome> {
  if (!c.run(model)) throw new Error(`${model} is not part of this comparison`);
  if (action === 'viewDiff') {
    await s.diff.open(c, model, file);
    return { applied: false, reason: 'shown' };
  }
  if (action === 'reject') {
    await verdict(s, c, model, 'none');
    return { applied: false, reason: 'rejected' };
  }
  const accepted = action === 'applyAll' ? 'all' : 'in-scope';
  const outcome = await applyResult(c, model, accepted);
  if (outcome.applied) {
    const f = outcome.followed;
    follow(s, c, new AppliedEdit(f.uri, model, accepted, f.before, f.after), f.target);
    await verdict(s, c, model, accepted);
    s.log.info(`task ${c.id}: applied ${accepted === 'all' ? 'all of' : 'the in-scope hunks of'} ${model}`);
    return { applied: true, accepted, files: outcome.files };
  } else if (outcome.reason === 'changed') {
    void vscode.window.showWarningMessage(`Edit Scope: ${outcome.message}`, 'Run Again').then((choice) => {
      if (choice) void rerun(s, c);
    });
  } else void vscode.window.showWarningMessage(`Edit Scope: ${outcome.message}`);
  return outcome;
}

/**
 * Follows the applied edit (undo, redo, what is kept) in place of any earlier one from this
 * comparison. What is kept is measured on the target file only: the log's region is its lines.
 */
function follow(s: Services, c: Comparison, edit: AppliedEdit, target: boolean): void {
  c.retention?.dispose();
  c.applied = edit;
  const settings = readSettings();
  const measure = settings.recordRetention && target;
  c.retention = new RetentionWatch(c, edit, {
    logPath: () => resolveLogPath(readSettings(), s.context),
    minutes: measure ? settings.retentionMinutes : [],
    measure,
    log: s.log,
  });
}

async function verdict(s: Services, c: Comparison, model: string, accepted: 'all' | 'in-scope' | 'none'): Promise<void> {
  c.setVerdict(model, accepted);
  try {
    await appendVerdict(resolveLogPath(readSettings(), s.context), { taskId: c.id, model, accepted });
  } catch (err) {
    s.log.error(`could not record the verdict: ${(err as Error).message}`);
  }
}

/** The same instruction and models on the same code (wherever edits since have moved it) as it is now. */
export async function rerun(s: Services, c: Comparison): Promise<ComparisonSummary> {
  const doc = await vscode.workspace.openTextDocument(c.uri);
  const end = Math.min(c.currentLines.end, doc.lineCount);
  const range = { start: Math.min(c.currentLines.start, end), end };
  s.log.info(`task ${c.id}: run again on lines ${range.start}-${range.end} of the document as it is now`);
  return runComparison(s, doc, range, c.task.instruction, c.models, c.files);
}
