import * as vscode from 'vscode';
import { applyHunks } from '../core/analysis/apply';
import type { Comparison } from './comparison';
import { minimalReplacement } from './minimalEdit';

export type ApplyOutcome =
  | { applied: true; accepted: 'all' | 'in-scope' }
  | { applied: false; reason: 'changed' | 'no-result' | 'no-change' | 'edit-failed'; message: string };

/**
 * Writes one model's edit (all of it, or its in-scope hunks only) into the document as one
 * undoable edit, but only while the document still holds the text the model was given:
 * hunks are line-addressed against that text, so applying them to anything else would
 * put them in the wrong place.
 */
export async function applyResult(c: Comparison, model: string, accepted: 'all' | 'in-scope'): Promise<ApplyOutcome> {
  const result = c.run(model)?.result;
  if (!result?.ok || result.edited === null) {
    return { applied: false, reason: 'no-result', message: `${model} has no edit to apply.` };
  }
  const doc = await vscode.workspace.openTextDocument(c.uri);
  const current = doc.getText();
  if (current !== c.original) {
    return {
      applied: false,
      reason: 'changed',
      message: `${c.task.file} has changed since the models were asked, so their edits no longer line up with it. Nothing was applied.`,
    };
  }
  let text: string;
  if (accepted === 'all') text = result.edited;
  else {
    if (!result.analysis) return { applied: false, reason: 'no-result', message: `${model}'s edit was not analysed, so its in-scope part is unknown.` };
    text = applyHunks(c.original, result.edited, result.analysis.hunks, (h) => h.scope === 'in');
  }
  if (text === current) return { applied: false, reason: 'no-change', message: `${model}'s ${accepted === 'all' ? 'edit' : 'in-scope edit'} changes nothing.` };
  const r = minimalReplacement(current, text);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end)), r.text);
  const ok = await vscode.workspace.applyEdit(edit);
  if (!ok) return { applied: false, reason: 'edit-failed', message: `The editor refused the edit to ${c.task.file}.` };
  return { applied: true, accepted };
}
