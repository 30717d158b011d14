import * as vscode from 'vscode';
import { appendRetention, appendVerdict } from '../core/log/evalLog';
import type { Applied } from '../core/log/records';
import type { AppliedEdit } from './appliedEdit';
import type { Comparison } from './comparison';
import { watchCommits } from './git';

export interface RetentionOptions {
  /** The eval log, resolved when a record is written (the setting may change meanwhile). */
  logPath: () => string;
  /** Measure at all (save, minutes, commit); undo and redo are followed either way. */
  measure: boolean;
  /** Minutes after the apply at which to measure; empty for none. */
  minutes: readonly number[];
  log: vscode.LogOutputChannel;
}

/**
 * Keeps the verdict of an applied edit true and records what the person kept of it: an
 * undo writes `reverted` (a redo the apply's verdict again), and the share of applied lines
 * still there is measured at the first save after the person edited the file, after each of
 * the configured minutes and at the first commit that takes the file. Everything goes to the
 * workspace's eval log only.
 */
export class RetentionWatch implements vscode.Disposable {
  /** Every watch still following an edit: an apply's outlives its comparison, not the extension. */
  private static readonly live = new Set<RetentionWatch>();
  static disposeAll(): void {
    for (const w of [...RetentionWatch.live]) w.dispose();
  }

  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers: Array<ReturnType<typeof setTimeout>> = [];
  private saved = false;
  private committed = false;
  private disposed = false;

  constructor(
    private readonly c: Comparison,
    private readonly edit: AppliedEdit,
    private readonly opts: RetentionOptions,
  ) {
    RetentionWatch.live.add(this);
    const uri = edit.uri.toString();
    this.disposables.push(
      edit,
      edit.onDidChangeState((state) => void this.verdict(state === 'applied' ? edit.accepted : 'reverted')),
      // The first save after the person edited the file: auto-save also saves an apply
      // nobody has touched yet, and that save measures nothing they did.
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (doc.uri.toString() !== uri || this.saved || !opts.measure || !edit.editedSince) return;
        this.saved = true;
        void this.record('save');
      }),
      // Closed, the document is no longer followed: later changes could not be told apart.
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.toString() === uri) this.dispose();
      }),
    );
    if (!opts.measure) return;
    for (const m of opts.minutes) this.timers.push(setTimeout(() => void this.record(`${m}min`), m * 60_000));
    void watchCommits(edit.uri, (commit) => {
      if (this.committed) return;
      this.committed = true;
      void this.record('commit', commit);
    }).then((d) => (this.disposed ? d.dispose() : this.disposables.push(d)));
  }

  private async verdict(accepted: Applied | 'reverted'): Promise<void> {
    this.c.setVerdict(this.edit.model, accepted);
    this.opts.log.info(`task ${this.c.id}: ${this.edit.model}'s edit ${accepted === 'reverted' ? 'undone' : 'redone'} in the editor`);
    // Undone, no hunk of it is in the file; redone, the same hunks as the apply.
    const hunks = accepted === 'reverted' ? this.edit.hunks.map((h) => ({ ...h, accepted: false })) : this.edit.hunks;
    try {
      await appendVerdict(this.opts.logPath(), { taskId: this.c.taskIdOf(this.edit.model), model: this.edit.model, accepted, hunks });
    } catch (err) {
      this.opts.log.error(`could not record the verdict: ${(err as Error).message}`);
    }
  }

  /** Measures and logs, unless the edit is undone (its verdict says so) or the document is gone. */
  private async record(checkpoint: string, commit?: string): Promise<void> {
    if (this.disposed || this.edit.state !== 'applied') return;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.edit.uri.toString());
    if (!doc || (checkpoint === 'commit' && doc.isDirty)) return;
    const m = this.edit.measure(doc);
    this.c.setKept(this.edit.model, { checkpoint, appliedLines: m.appliedLines, keptLines: m.keptLines });
    try {
      await appendRetention(this.opts.logPath(), {
        taskId: this.c.taskIdOf(this.edit.model),
        model: this.edit.model,
        accepted: this.edit.accepted,
        checkpoint,
        elapsedMs: m.elapsedMs,
        region: m.region,
        appliedLines: m.appliedLines,
        keptLines: m.keptLines,
        kept: m.kept,
        text: m.text,
        ...(commit ? { commit } : {}),
      });
      this.opts.log.info(`task ${this.c.id}: ${this.edit.model} at ${checkpoint}: ${m.keptLines} of ${m.appliedLines} applied lines kept`);
    } catch (err) {
      this.opts.log.error(`could not record what was kept: ${(err as Error).message}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    RetentionWatch.live.delete(this);
    for (const t of this.timers) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
