import * as vscode from 'vscode';
import type { EditTask, FileResult, ModelResult } from '../core/task/editTask';
import type { RetryNotice } from '../core/providers/chatProvider';
import type { AppliedEdit } from './appliedEdit';
import { shiftLinesAll, type Lines } from './rangeTracking';
import type { ColumnAction } from './protocol';
import type { ProgressState } from '../core/edit/runModels';
import { isApplied, type Accepted } from '../core/log/records';
import { initialPicks } from '../core/analysis/apply';
import { actionsOf, type ComparisonView, type KeptView, type ModelRunView } from './webview/comparisonView';

/** What a task sends besides its target: files whole, and which of the selection's dependencies (as definitions). */
export interface TaskFiles {
  context: vscode.Uri[];
  /** `all`, or the workspace-relative paths of the dependencies picked. */
  dependencies: 'all' | string[];
  /** Other files the models may change (a multi-file task): wholly, or only these lines. */
  edit: Array<{ uri: vscode.Uri; range: { start: number; end: number } | null }>;
}

/** Every file of a result, the target first: what an apply writes (less any `other` file) and a review ticks. */
export function reviewFiles(res: ModelResult): FileResult[] {
  return res.ok ? res.files : [];
}

/** One request to several models and everything that followed from it. */
export class Comparison {
  readonly runs: ModelRunView[];
  state: ComparisonView['state'] = 'running';
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** Cancelled by the notification's Cancel or the panel's Stop; the run's one AbortSignal follows it. */
  private cancellation = new vscode.CancellationTokenSource();
  /** A model retried from its card is logged as a task of its own: its verdicts name that task. */
  private readonly retriedAs = new Map<string, string>();
  /** Where the task's lines are in the document now, followed through every edit since (for Run Again). */
  currentLines: Lines;
  private readonly following: vscode.Disposable;
  /** The edit applied from this comparison, followed through undo, redo and later edits. */
  applied: AppliedEdit | undefined;
  /** What follows it: undo, redo and the retention checkpoints. */
  retention: vscode.Disposable | undefined;

  constructor(
    readonly task: EditTask,
    readonly uri: vscode.Uri,
    /** The document's text and version when the models were asked: Apply refuses if either moved on. */
    readonly original: string,
    readonly version: number,
    readonly models: string[],
    /** The files chosen besides the target, so Run Again asks the same. */
    readonly files: TaskFiles,
  ) {
    this.runs = models.map((model) => ({ model, phase: 'queued' as ProgressState, chars: 0, streamed: '', result: null, verdict: null, retry: null, kept: null, picks: null }));
    this.currentLines = { ...task.range };
    this.following = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.toString() !== uri.toString() || e.contentChanges.length === 0) return;
      this.currentLines = shiftLinesAll(
        this.currentLines,
        e.contentChanges.map((c) => ({ startLine: c.range.start.line, startCharacter: c.range.start.character, endLine: c.range.end.line, endCharacter: c.range.end.character, text: c.text })),
      );
    });
  }

  get id(): string {
    return this.task.id;
  }

  get token(): vscode.CancellationToken {
    return this.cancellation.token;
  }

  /** The logged task a model's result belongs to: this comparison's, or its retry's. */
  taskIdOf(model: string): string {
    return this.retriedAs.get(model) ?? this.id;
  }

  /** Starts a failed model over on the same task, logged as `taskId`; the other cards stay as they are. */
  beginRetry(model: string, taskId: string): void {
    const r = this.run(model);
    if (!r || this.state === 'running') return;
    this.retriedAs.set(model, taskId);
    Object.assign(r, { phase: 'queued', chars: 0, streamed: '', result: null, verdict: null, retry: null, kept: null, picks: null });
    this.cancellation.dispose();
    this.cancellation = new vscode.CancellationTokenSource();
    this.state = 'running';
    this.changed.fire();
  }

  /** Stops every model still running; those already answered keep their results. */
  stop(): void {
    if (this.state === 'running') this.cancellation.cancel();
  }

  run(model: string): ModelRunView | undefined {
    return this.runs.find((r) => r.model === model);
  }

  progress(model: string, phase: ProgressState, chars?: number, result?: ModelResult, retry?: RetryNotice, delta?: string): void {
    const r = this.run(model);
    if (!r) return;
    r.phase = phase;
    if (chars !== undefined) r.chars = chars;
    if (delta) r.streamed = (r.streamed ?? '') + delta;
    if (result) this.settle(r, result);
    // The notice stays up until the next attempt answers: it says why the wait is long.
    if (retry) {
      r.retry = retry;
      // A retried answer starts over.
      r.streamed = '';
    } else if (phase === 'streaming' || phase === 'done') r.retry = null;
    this.changed.fire();
    this.streamChanged.fire(model);
  }

  private readonly streamChanged = new vscode.EventEmitter<string>();
  /** A model's streamed text grew, started over or was replaced by its result. */
  readonly onDidStream = this.streamChanged.event;

  finish(results: ModelResult[], cancelled: boolean): void {
    for (const res of results) {
      const r = this.run(res.model);
      if (r) {
        this.settle(r, res);
        r.phase = 'done';
      }
    }
    this.state = cancelled ? 'cancelled' : 'done';
    this.changed.fire();
  }

  /** A model's result, with the hunks a review starts from ticked (Apply In-Scope Only's). */
  private settle(r: ModelRunView, result: ModelResult): void {
    if (r.result === result) return;
    r.result = result;
    if (result.raw !== null) r.streamed = result.raw;
    r.picks = result.ok && result.analysis ? reviewFiles(result).map((f) => (f.role === 'other' ? f.analysis.hunks.map(() => false) : initialPicks(f.analysis))) : null;
  }

  /** Ticks or unticks hunks of a model's answer for Apply Picked; a file never written stays unticked. */
  pick(model: string, file: string, hunks: readonly number[] | 'all', accepted: boolean): void {
    const r = this.run(model);
    const files = r?.result ? reviewFiles(r.result) : [];
    const i = files.findIndex((f) => f.file === file);
    if (!r?.picks || i < 0 || files[i].role === 'other') return;
    const row = r.picks[i];
    for (const j of hunks === 'all' ? row.keys() : hunks) if (j >= 0 && j < row.length) row[j] = accepted;
    this.changed.fire();
  }

  setVerdict(model: string, accepted: Accepted): void {
    const r = this.run(model);
    if (r) {
      r.verdict = accepted;
      if (!isApplied(accepted)) r.kept = null;
    }
    this.changed.fire();
  }

  setKept(model: string, kept: KeptView): void {
    const r = this.run(model);
    if (r) r.kept = kept;
    this.changed.fire();
  }

  /**
   * True once the document no longer holds the text the models were given, other than
   * through an apply from this comparison that is still in place: the document changing
   * because of our own apply is not news to the person who pressed Apply.
   */
  isStale(): boolean {
    if (this.applied?.state === 'applied') return false;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
    if (!doc) return false;
    return doc.version !== this.version && doc.getText() !== this.original;
  }

  view(): ComparisonView {
    return {
      file: this.task.file,
      range: this.task.range,
      instruction: this.task.instruction,
      locality: this.task.locality,
      contextFiles: [...new Set(this.task.contextFiles.map((f) => f.path))],
      editFiles: this.task.editFiles.map((f) => f.path),
      state: this.state,
      stale: this.isStale(),
      runs: this.runs,
    };
  }

  /** A plain, JSON-safe summary: what commands return, so tests and scripts can check it. */
  summary(): ComparisonSummary {
    const stale = this.isStale();
    return {
      id: this.id,
      taskIds: Object.fromEntries(this.runs.map((r) => [r.model, this.taskIdOf(r.model)])),
      uri: this.uri.toString(),
      file: this.task.file,
      range: this.task.range,
      instruction: this.task.instruction,
      locality: this.task.locality,
      dependsOn: this.task.dependsOn,
      contextFiles: [...new Set(this.task.contextFiles.map((f) => f.path))],
      editFiles: this.task.editFiles.map((f) => f.path),
      state: this.state,
      stale,
      models: this.runs.map((r) => ({
        model: r.model,
        phase: r.phase,
        ok: r.result?.ok ?? null,
        error: r.result?.error ?? null,
        inScopeHunks: r.result?.analysis ? r.result.analysis.hunks.filter((h) => h.scope === 'in').length : null,
        supportingHunks: r.result?.analysis ? r.result.analysis.hunks.filter((h) => h.scope === 'supporting').length : null,
        outOfScopeHunks: r.result?.analysis?.outOfScopeHunks ?? null,
        files: (r.result?.files ?? []).map((f) => ({
          file: f.file,
          role: f.role,
          inScopeHunks: f.analysis.hunks.filter((h) => h.scope === 'in').length,
          supportingHunks: f.analysis.hunks.filter((h) => h.scope === 'supporting').length,
          outOfScopeHunks: f.analysis.outOfScopeHunks,
        })),
        styleFindings: r.result?.analysis?.styleDrift.length ?? null,
        latencyMs: r.result?.latencyMs ?? null,
        usage: r.result?.usage ?? null,
        costUsd: r.result?.costUsd ?? null,
        retries: r.result?.retries ?? null,
        verdict: r.verdict,
        kept: r.kept ?? null,
        streamedChars: r.streamed?.length ?? 0,
        picks: r.picks ?? null,
        actions: actionsOf(r, { runs: this.runs, stale, file: this.task.file, state: this.state }),
      })),
    };
  }

  dispose(): void {
    this.changed.dispose();
    this.streamChanged.dispose();
    this.cancellation.dispose();
    this.following.dispose();
  }
}

export interface ComparisonSummary {
  id: string;
  /** The logged task of each model's result: the comparison's, or its retry's. */
  taskIds: Record<string, string>;
  uri: string;
  file: string;
  range: { start: number; end: number };
  instruction: string;
  locality: string;
  dependsOn: Array<{ file: string; symbols: string[] }>;
  contextFiles: string[];
  editFiles: string[];
  state: ComparisonView['state'];
  stale: boolean;
  models: Array<{
    model: string;
    phase: ProgressState;
    ok: boolean | null;
    error: { kind: string; message: string } | null;
    inScopeHunks: number | null;
    supportingHunks: number | null;
    outOfScopeHunks: number | null;
    /** Every file of the result, the target first (multi-file tasks: the editable and any other files). */
    files: Array<{ file: string; role: string; inScopeHunks: number; supportingHunks: number; outOfScopeHunks: number }>;
    styleFindings: number | null;
    latencyMs: number | null;
    usage: { inputTokens: number; outputTokens: number } | null;
    costUsd: number | null;
    retries: number | null;
    verdict: Accepted | null;
    kept: KeptView | null;
    /** Characters of the answer that arrived (while streaming, and kept when it was stopped). */
    streamedChars: number;
    /** Per file, per hunk: ticked for Apply Picked. */
    picks: boolean[][] | null;
    /** The card's buttons that work now, as the panel shows them. */
    actions: Record<ColumnAction, boolean>;
  }>;
}

/** The comparisons of this window, newest last; old ones are dropped to bound memory. */
export class ComparisonStore {
  private readonly items: Comparison[] = [];

  add(c: Comparison): void {
    this.items.push(c);
    while (this.items.length > 20) this.items.shift()?.dispose();
    void vscode.commands.executeCommand('setContext', 'editscope.hasComparison', true);
  }

  get(id: string): Comparison | undefined {
    return this.items.find((c) => c.id === id);
  }

  get last(): Comparison | undefined {
    return this.items[this.items.length - 1];
  }

  dispose(): void {
    for (const c of this.items) c.dispose();
    this.items.length = 0;
  }
}
