import * as vscode from 'vscode';
import { askNotice } from './prompts';

const NEVER = 'editscope.codeLensOffer.never';
const TURN_ON = 'Show Them in Diffs';
const NOT_NOW = 'Not Now';
const NEVER_ASK = "Don't Ask Again";

let offered = false;

/**
 * Offers, once a window and never after "Don't Ask Again", to show the Accept and Reject
 * buttons on each hunk: they are CodeLens, and CodeLens in diff views is the person's own
 * setting (`diffEditor.codeLens`, off by default), which also shows every other extension's
 * CodeLens in every diff, git's included. So it is asked, never set behind their back; the
 * hover, the keys and the title bar work without it.
 */
export async function offerDiffCodeLens(context: vscode.ExtensionContext): Promise<void> {
  if (offered || context.globalState.get<boolean>(NEVER) || vscode.workspace.getConfiguration('diffEditor').get<boolean>('codeLens')) return;
  offered = true;
  const key = process.platform === 'darwin' ? 'Cmd' : 'Ctrl';
  const choice = await askNotice(
    `Edit Scope: accept or reject a hunk from its hover, or with ${key}+Enter and ${key}+Backspace. ` +
      'Also show Accept and Reject above each hunk? That turns on CodeLens in all diff views (diffEditor.codeLens).',
    TURN_ON,
    NOT_NOW,
    NEVER_ASK,
  );
  if (choice === TURN_ON) await vscode.workspace.getConfiguration('diffEditor').update('codeLens', true, vscode.ConfigurationTarget.Global);
  else if (choice === NEVER_ASK) await context.globalState.update(NEVER, true);
}

/** For extension tests only: as in a new window of a new profile. */
export async function resetDiffCodeLensOffer(context: vscode.ExtensionContext): Promise<void> {
  offered = false;
  await context.globalState.update(NEVER, undefined);
}
