import * as vscode from 'vscode';
import { appendVerdict } from '../../core/log/evalLog';
import { AppliedEdit } from '../appliedEdit';
import { offerDiffCodeLens } from '../codeLensOffer';
import { applyResult, type ApplyOutcome } from '../applyResult';
import { reviewFiles, type Comparison, type ComparisonSummary } from '../comparison';
import { hunkVerdicts } from '../../core/log/hunkVerdicts';
import type { Applied, HunkVerdict } from '../../core/log/records';
import type { ColumnAction } from '../protocol';
import type { Services } from '../services';
import { RetentionWatch } from '../retentionWatch';
import { readSettings, resolveLogPath } from '../settings';
import { retryModel, runComparison } from './editSelection';
import { refreshReport } from './reportPanel';

export type ActionOutcome =
  | { applied: true; accepted: Applied; files: string[] }
  | Exclude<ApplyOutcome, { applied: true }>
  | { applied: false; reason: 'rejected' | 'shown' | 'retried' };

/** What a button in the comparison panel does; also reachable as a command for tests. */
export async function comparisonAction(s: Services, c: Comparison, action: ColumnAction, model: string, file?: string): Promise<ActionOutcome> {
  if (!c.run(model)) throw new Error(`${model} is not part of this comparison`);
  if (action === 'viewDiff') {
    // An answer still arriving, stopped or unusable has no diff: its text is what there is to see.
    const res = c.run(model)!.result;
    if (res?.ok && res.edited !== null) {
      await s.diff.open(c, model, file);
      void offerDiffCodeLens(s.context);
    } else await s.diff.openAnswer(c, model);
    return { applied: false, reason: 'shown' };
  }
  if (action === 'reject') {
    const res = c.run(model)!.result;
    await verdict(s, c, model, 'none', res ? hunkVerdicts(reviewFiles(res), []) : undefined);
    s.diff.refreshDiagnostics();
    return { applied: false, reason: 'rejected' };
  }
  if (action === 'retry') {
    await retryModel(s, c, model);
    return { applied: false, reason: 'retried' };
  }
  const how = action === 'applyAll' ? 'all' : action === 'applyInScope' ? 'in-scope' : 'picked';
  const outcome = await applyResult(c, model, how);
  if (outcome.applied) {
    const f = outcome.followed;
    const accepted = outcome.accepted;
    follow(s, c, new AppliedEdit(f.uri, model, accepted, outcome.hunks, f.before, f.after), f.target);
    await verdict(s, c, model, accepted, outcome.hunks);
    s.diff.refreshDiagnostics();
    const written = outcome.hunks.filter((h) => h.accepted).length;
    s.log.info(`task ${c.id}: applied ${written} of ${outcome.hunks.length} hunks of ${model} (${accepted})`);
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

async function verdict(s: Services, c: Comparison, model: string, accepted: Applied | 'none', hunks?: HunkVerdict[]): Promise<void> {
  c.setVerdict(model, accepted);
  try {
    await appendVerdict(resolveLogPath(readSettings(), s.context), { taskId: c.taskIdOf(model), model, accepted, ...(hunks?.length ? { hunks } : {}) });
    refreshReport(s);
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
