import * as fs from 'node:fs';
import { runModelsBatch } from '../edit/runModelsBatch';
import { runModels } from '../edit/runModels';
import { newTaskId } from '../task/createTask';
import { isGraded } from '../task/errorKinds';
import type { EditTask, FailedResult, ModelResult } from '../task/editTask';
import { appendGrade, appendTaskRun, readLog } from '../log/evalLog';
import type { GradeRecord } from '../log/records';
import { templateFor } from '../prompt/build';
import type { ProviderMap } from '../providers/registry';
import { gradeResult, taskHash } from './gradeResult';
import { editTaskFor } from './prompt';
import type { EvalSetTask } from './evalSetTask';
import { scoreModel, type ModelScore } from './modelScore';

export type { ModelScore };
export { taskHash };
import { REPLAY_CONCURRENCY } from '../defaults';
import { runPooled } from '../pool';

export interface ReplayOptions {
  /** The eval set's path, as given (recorded with each grade). */
  set: string;
  models: readonly string[];
  providers: ProviderMap;
  /** Where each run and its grades are appended, and where earlier grades are found to resume. */
  logPath: string;
  /** Tasks in flight at once (each sends to every model in parallel). Default 4. */
  concurrency?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Count a supporting test of the changed code as an irrelevant edit in irrelevantEditRate. */
  countTests?: boolean;
  /**
   * Run the tasks' test commands. Off unless asked: a set is a file anyone can hand over, and
   * its commands are their code.
   */
  runTests?: boolean;
  /** Called just before a test command runs, so the user sees every command executed. */
  onTestCommand?: (e: { task: EvalSetTask; model: string; command: string }) => void;
  /** The environment test commands inherit, less anything key-shaped. */
  env?: NodeJS.ProcessEnv;
  /** Values never to write to the log. */
  secrets?: readonly string[];
  onGrade?: (e: { task: EvalSetTask; grade: GradeRecord; done: number; total: number }) => void;
  onNotGraded?: (e: { task: EvalSetTask; result: FailedResult }) => void;
  onWarning?: (message: string) => void;
  /** Send everything through the OpenAI Batch API (one job per model) instead of interactive calls. */
  batch?: { pollMs?: number; onStatus?: (model: string, status: string, counts: { total: number; completed: number; failed: number }) => void };
}

export interface ReplayResult {
  tasks: number;
  models: ModelScore[];
}

export async function replay(given: readonly EvalSetTask[], opts: ReplayOptions): Promise<ReplayResult> {
  const set = sendableTasks(given, opts.onWarning);
  const models = [...new Set(opts.models)];
  const grades = earlierGrades(set, models, opts.logPath, opts.runTests === true);
  const resumed = new Map<string, number>(models.map((m) => [m, 0]));
  for (const g of grades.values()) resumed.set(g.model, resumed.get(g.model)! + 1);
  const notGraded = new Map<string, Map<string, number>>(models.map((m) => [m, new Map()]));
  const ungraded = (t: EvalSetTask) => models.filter((m) => !grades.has(gradeKey(t.id, m)));
  const pending = set.filter((t) => ungraded(t).length > 0);
  warnOfChangedTemplates(pending, opts.onWarning);

  let done = set.length - pending.length;
  /** Logs one task's run and grades its results; errors that say nothing of the model are left for next time. */
  const record = async (t: EvalSetTask, task: EditTask, results: readonly ModelResult[]) => {
    await appendTaskRun(opts.logPath, task, results, { source: 'replay', secrets: opts.secrets });
    done++;
    for (const r of results) {
      // A failure that says nothing of the model's edit is left for the next run (errorKinds.ts).
      if (!r.ok && !isGraded(r.error.kind)) {
        increment(notGraded.get(r.model)!, r.error.kind);
        opts.onNotGraded?.({ task: t, result: r });
        continue;
      }
      const grade = await appendGrade(opts.logPath, await gradeResult(t, task, r, opts), { secrets: opts.secrets });
      grades.set(gradeKey(t.id, r.model), grade);
      opts.onGrade?.({ task: t, grade, done, total: set.length });
    }
  };
  const started = opts.batch ? await sendBatch(pending, ungraded, record, opts, opts.batch) : await sendInteractive(pending, ungraded, record, opts);
  // Tasks never started (Ctrl+C) are not graded either.
  for (const t of pending.slice(started)) for (const m of ungraded(t)) increment(notGraded.get(m)!, 'cancelled');

  return {
    tasks: set.length,
    models: models.map((model) => scoreModel(model, set, (id) => grades.get(gradeKey(id, model)), resumed.get(model)!, notGraded.get(model)!, opts.countTests === true)),
  };
}

type RecordRun = (t: EvalSetTask, task: EditTask, results: readonly ModelResult[]) => Promise<void>;

const gradeKey = (taskId: string, model: string) => `${taskId}\0${model}`;

function increment(counts: Map<string, number>, kind: string): void {
  counts.set(kind, (counts.get(kind) ?? 0) + 1);
}

/**
 * A task that cannot be sent (a blank instruction, a range outside its file) is left out
 * with a warning rather than stopping the replay of the others.
 */
function sendableTasks(given: readonly EvalSetTask[], onWarning: ReplayOptions['onWarning']): EvalSetTask[] {
  return given.filter((t) => {
    try {
      editTaskFor(t);
      return true;
    } catch (err) {
      onWarning?.(`task ${t.id} skipped: ${(err as Error).message}`);
      return false;
    }
  });
}

/** Earlier grades in this log of these very tasks and models: the latest per task and model wins. */
function earlierGrades(set: readonly EvalSetTask[], models: readonly string[], logPath: string, runTests: boolean): Map<string, GradeRecord> {
  const grades = new Map<string, GradeRecord>();
  if (!fs.existsSync(logPath)) return grades;
  const wanted = new Set(models);
  const hashes = new Map(set.map((t) => [t.id, taskHash(t)]));
  // With --run-tests, a grade made without running a task's test is not its grade: the test runs now.
  const testable = new Set(runTests ? set.filter((t) => t.graders.test && t.original !== null).map((t) => t.id) : []);
  readLog(logPath, {
    onRecord: () => {},
    onGrade: (g) => {
      if (g.taskHash === undefined || hashes.get(g.setTaskId) !== g.taskHash || !wanted.has(g.model)) return;
      if (testable.has(g.setTaskId) && !g.test) return;
      grades.set(gradeKey(g.setTaskId, g.model), g);
    },
  });
  return grades;
}

function warnOfChangedTemplates(pending: readonly EvalSetTask[], onWarning: ReplayOptions['onWarning']): void {
  for (const t of pending) {
    const now = templateFor(t.prompt.format, (t.editFiles ?? []).length > 0);
    if (now.id !== t.prompt.template.id || now.version !== t.prompt.template.version) {
      onWarning?.(`task ${t.id} was recorded with ${t.prompt.template.id} v${t.prompt.template.version}; it is sent with ${now.id} v${now.version}`);
    }
  }
}

/** One Batch API job per model for the whole set, then the same logging and grading. Returns how many tasks were sent. */
async function sendBatch(
  pending: readonly EvalSetTask[],
  ungraded: (t: EvalSetTask) => string[],
  record: RecordRun,
  opts: ReplayOptions,
  batch: NonNullable<ReplayOptions['batch']>,
): Promise<number> {
  const items = pending.map((t) => ({
    t,
    item: { task: editTaskFor(t, newTaskId()), format: t.prompt.format, contextLines: t.prompt.contextLines, models: ungraded(t), readOther: otherFileOf(t) },
  }));
  const results = await runModelsBatch(items.map((x) => x.item), {
    providers: opts.providers,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
    pollMs: batch.pollMs,
    onStatus: batch.onStatus,
    onWarning: opts.onWarning,
    secrets: opts.secrets,
  });
  for (const { t, item } of items) await record(t, item.task, results.get(item.task)!);
  return pending.length;
}

/** Tasks in flight at once, each sent to every model it lacks a grade from. Returns how many were started. */
function sendInteractive(pending: readonly EvalSetTask[], ungraded: (t: EvalSetTask) => string[], record: RecordRun, opts: ReplayOptions): Promise<number> {
  const sendOne = async (i: number) => {
    const t = pending[i];
    const task = editTaskFor(t, newTaskId());
    const results = await runModels(task, ungraded(t), {
      providers: opts.providers,
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
      editFormat: t.prompt.format,
      contextLines: t.prompt.contextLines,
      readOther: otherFileOf(t),
      secrets: opts.secrets,
    });
    await record(t, task, results);
  };
  return runPooled(pending.length, opts.concurrency ?? REPLAY_CONCURRENCY, sendOne, () => !!opts.signal?.aborted);
}

/** A context file (sent whole) a multi-file answer writes to is another file the task did not let it change. */
function otherFileOf(t: EvalSetTask): (p: string) => string | null {
  return (p) => t.contextFiles.find((c) => c.path === p && !c.lines)?.text ?? null;
}
