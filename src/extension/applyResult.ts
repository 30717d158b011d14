import * as path from 'node:path';
import * as vscode from 'vscode';
import { applyHunks, inScopeApplicable, lazyAnswer } from '../core/analysis/apply';
import type { Comparison } from './comparison';
import { minimalReplacement } from './minimalEdit';
import { folderOf } from './settings';

export type ApplyOutcome =
  | {
      applied: true;
      accepted: 'all' | 'in-scope';
      files: string[];
      /**
       * One written document just before and just after the edit, to follow through undo and
       * redo: the target when the edit changed it (`target: true`), else the first file written.
       */
      followed: { uri: vscode.Uri; before: string; after: string; target: boolean };
    }
  | { applied: false; reason: 'changed' | 'no-result' | 'no-change' | 'edit-failed' | 'lazy'; message: string };

/**
 * Writes one model's edit (all of it, or its in-scope hunks only) into the target and every
 * file the task let it change, as ONE workspace edit (one step to undo), but only while each
 * document still holds the text the model was given: hunks are line-addressed against that
 * text, so applying them to anything else would put them in the wrong place. A file the
 * task did not let the model change is never written.
 */
export async function applyResult(c: Comparison, model: string, accepted: 'all' | 'in-scope'): Promise<ApplyOutcome> {
  const result = c.run(model)?.result;
  if (!result?.ok) return { applied: false, reason: 'no-result', message: `${model} has no edit to apply.` };
  const files = result.files;
  const lazy = lazyAnswer(files);
  if (accepted === 'all' && lazy) return { applied: false, reason: 'lazy', message: `${model}'s answer ${lazy.text}. Apply In-Scope Only writes the rest of its in-scope edit.` };
  const edit = new vscode.WorkspaceEdit();
  const written: string[] = [];
  let followed: { uri: vscode.Uri; before: string; target: boolean } | undefined;
  for (const f of files) {
    if (f.role === 'other') continue;
    const uri = f.role === 'target' ? c.uri : uriOf(f.file, c);
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
    const text = accepted === 'all' ? f.edited : applyHunks(f.original, f.edited, f.analysis.hunks, inScopeApplicable(f.analysis));
    if (text === current) continue;
    const r = minimalReplacement(current, text);
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end)), r.text);
    written.push(f.file);
    if (!followed || (f.role === 'target' && !followed.target)) followed = { uri: doc.uri, before: current, target: f.role === 'target' };
  }
  if (!written.length) return { applied: false, reason: 'no-change', message: `${model}'s ${accepted === 'all' ? 'edit' : 'in-scope edit'} changes nothing.` };
  const ok = await vscode.workspace.applyEdit(edit);
  if (!ok) return { applied: false, reason: 'edit-failed', message: `The editor refused the edit to ${written.join(', ')}.` };
  // Read back rather than assumed: the editor may have changed the line endings of the new text.
  const f = followed!;
  const after = (await vscode.workspace.openTextDocument(f.uri)).getText();
  return { applied: true, accepted, files: written, followed: { ...f, after } };
}

/**
 * A path as a task's results name files, as the file's URI: one of the files the task let
 * the model change, else a path in the target's own workspace folder.
 */
export function uriOf(file: string, c: Pick<Comparison, 'uri' | 'files'>): vscode.Uri {
  const known = c.files.edit.find((e) => vscode.workspace.asRelativePath(e.uri, false) === file);
  if (known) return known.uri;
  const root = folderOf(c.uri);
  return vscode.Uri.file(path.isAbsolute(file) || !root ? file : path.join(root, file));
}

