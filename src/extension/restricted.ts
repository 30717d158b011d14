import { createHash } from 'node:crypto';
import * as path from 'node:path';

/**
 * What a restricted (untrusted) workspace may not choose. Kept free of `vscode` so the rules
 * are tested in Node; settings.ts applies them.
 */

/**
 * The eval log of a restricted workspace lives in the extension's own storage, one per
 * workspace folder: a log inside the folder could be a planted link, or records shaped to
 * mislead the report, and writing there would change files in a folder not yet trusted.
 */
export function restrictedLogPath(globalStorage: string, workspaceRoot: string | undefined): string {
  const id = workspaceRoot ? createHash('sha256').update(path.resolve(workspaceRoot)).digest('hex').slice(0, 16) : 'no-folder';
  return path.join(globalStorage, 'restricted-workspaces', id, 'evals.jsonl');
}

/** The setting's value without the workspace's say: the user's own (or the default) in a restricted workspace. */
export function userOnly<T>(inspected: { defaultValue?: T; globalValue?: T; workspaceValue?: T; workspaceFolderValue?: T } | undefined, fallback: T): T {
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}
