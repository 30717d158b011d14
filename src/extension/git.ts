import * as vscode from 'vscode';

// The few parts of the built-in Git extension's API (vscode.git, getAPI(1)) used here.
interface GitChange {
  uri: vscode.Uri;
}
interface GitRepository {
  rootUri: vscode.Uri;
  state: {
    HEAD: { commit?: string } | undefined;
    workingTreeChanges: GitChange[];
    indexChanges: GitChange[];
    onDidChange: vscode.Event<void>;
  };
}
interface GitAPI {
  getRepository(uri: vscode.Uri): GitRepository | null;
}

async function gitApi(): Promise<GitAPI | undefined> {
  const ext = vscode.extensions.getExtension<{ getAPI(version: 1): GitAPI }>('vscode.git');
  if (!ext) return undefined;
  try {
    return (ext.isActive ? ext.exports : await ext.activate()).getAPI(1);
  } catch {
    // Git disabled or not installed: there is simply no commit to wait for.
    return undefined;
  }
}

/**
 * Calls `onCommit` with the commit's id each time HEAD moves to a commit that holds the file
 * as it is on disk (the file has no staged or unstaged change left). Nothing happens when
 * the file is not in a Git repository or Git is not available.
 */
export async function watchCommits(uri: vscode.Uri, onCommit: (commit: string) => void): Promise<vscode.Disposable> {
  const api = await gitApi();
  const repo = api?.getRepository(uri);
  if (!repo) return { dispose() {} };
  let head = repo.state.HEAD?.commit;
  const same = (c: GitChange) => c.uri.toString() === uri.toString();
  return repo.state.onDidChange(() => {
    const now = repo.state.HEAD?.commit;
    if (!now || now === head) return;
    head = now;
    if (repo.state.workingTreeChanges.some(same) || repo.state.indexChanges.some(same)) return;
    onCommit(now);
  });
}
