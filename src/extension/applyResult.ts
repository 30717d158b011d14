import * as path from 'node:path';
import * as vscode from 'vscode';
import { planApply, type ApplyHow } from '../core/edit/applyPlan';
import { hunkVerdicts, verdictOfPicks } from '../core/log/hunkVerdicts';
import type { Applied, HunkVerdict } from '../core/log/records';
import type { Comparison } from './comparison';
import { minimalReplacement } from './minimalEdit';
import { folderOf } from './settings';

export type ApplyOutcome =
  | {
      applied: true;
      /** The verdict the hunks written amount to (picks that are all the hunks, say, are `all`). */
      accepted: Applied;
      /** Every hunk of the answer, and whether it was written. */
      hunks: HunkVerdict[];
      files: string[];
      /**
       * One written document just before and just after the edit, to follow through undo and
       * redo: the target when the edit changed it (`target: true`), else the first file written.
       */
      followed: { uri: vscode.Uri; before: string; after: string; target: boolean };
    }
  | { applied: false; reason: 'changed' | 'no-result' | 'no-change' | 'edit-failed' | 'lazy'; message: string };

/**
 * Writes one model's edit (all of it, its in-scope hunks only, or the hunks ticked in review) into the target and every
 * file the task let it change, as ONE workspace edit (one step to undo), but only while each
 * document still holds the text the model was given: hunks are line-addressed against that
 * text, so applying them to anything else would put them in the wrong place. A file the
 * task did not let the model change is never written.
 */
export async function applyResult(c: Comparison, model: string, how: ApplyHow): Promise<ApplyOutcome> {
  const run = c.run(model);
  const result = run?.result;
  if (!result?.ok) return { applied: false, reason: 'no-result', message: `${model} has no edit to apply.` };
  const files = result.files;
  const plan = planApply(files, how, run!.picks ?? []);
  if (!plan.ok) return { applied: false, reason: 'lazy', message: `${model}'s answer ${plan.lazy.text}. Apply In-Scope Only writes the rest of its in-scope edit.` };
  const { picks } = plan;
  const edit = new vscode.WorkspaceEdit();
  const written: string[] = [];
  let followed: { uri: vscode.Uri; before: string; target: boolean } | undefined;
  for (const f of plan.files) {
    const uri = f.role === 'target' ? c.uri : resultFileUri(f.file, c);
    const doc = await vscode.workspace.openTextDocument(uri);
    const current = doc.getText();
    // The target was captured from its document; an editable file from its document too.
    const expected = f.role === 'target' ? c.original : f.original;
    if (current !== expected) {
      return {
        applied: false,
        reason: 'changed',
        message: `${f.file} has changed since the models were asked, so their edits no longer line up with it. Nothing was applied.`,
      };
    }
    const text = f.text;
    if (text === current) continue;
    const r = minimalReplacement(current, text);
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end)), r.text);
    written.push(f.file);
    if (!followed || (f.role === 'target' && !followed.target)) followed = { uri: doc.uri, before: current, target: f.role === 'target' };
  }
  if (!written.length) return { applied: false, reason: 'no-change', message: `${model}'s ${how === 'all' ? 'edit' : how === 'in-scope' ? 'in-scope edit' : 'picked hunks change'} changes nothing.`.replace('change changes', 'change') };
  const ok = await vscode.workspace.applyEdit(edit);
  if (!ok) return { applied: false, reason: 'edit-failed', message: `The editor refused the edit to ${written.join(', ')}.` };
  // Read back rather than assumed: the editor may have changed the line endings of the new text.
  const f = followed!;
  const after = (await vscode.workspace.openTextDocument(f.uri)).getText();
  const accepted = how === 'all' ? 'all' : (verdictOfPicks(files, picks) as Applied);
  return { applied: true, accepted, hunks: hunkVerdicts(files, picks), files: written, followed: { ...f, after } };
}

/**
 * A path as a task's results name files, as the file's URI: one of the files the task let
 * the model change, else a path in the target's own workspace folder.
 */
export function resultFileUri(file: string, c: Pick<Comparison, 'uri' | 'files'>): vscode.Uri {
  const known = c.files.edit.find((e) => vscode.workspace.asRelativePath(e.uri, false) === file);
  if (known) return known.uri;
  const root = folderOf(c.uri);
  return vscode.Uri.file(path.isAbsolute(file) || !root ? file : path.join(root, file));
}

