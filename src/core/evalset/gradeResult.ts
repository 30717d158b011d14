import { createHash } from 'node:crypto';
import type { EditTask, FileResult, ModelResult } from '../task/editTask';
import { editedWindow } from '../log/evalLog';
import type { GradeRecord } from '../log/records';
import type { EvalSetTask } from './evalSetTask';
import { gradeReference } from './grade';
import { runTest, type TestRunOptions } from './runTest';

/**
 * What a grade is resumed by: the task's whole content, so a grade from another set (or an
 * edited task) that happens to share the id is never taken for this one.
 */
export function taskHash(t: EvalSetTask): string {
  return createHash('sha256').update(JSON.stringify(t)).digest('hex');
}

type GradeFields = Omit<GradeRecord, 'schemaVersion' | 'kind'>;

/** What grading reads of a replay's options. */
export interface GradeOptions extends TestRunOptions {
  /** The eval set's path, as given (recorded with each grade). */
  set: string;
  /** Run the tasks' test commands (off unless asked: a set's commands are its author's code). */
  runTests?: boolean;
  onTestCommand?: (e: { task: EvalSetTask; model: string; command: string }) => void;
  onWarning?: (message: string) => void;
}

/** One model's result on one task of a set, graded by the task's graders: scope, style, reference, test. */
export async function gradeResult(t: EvalSetTask, task: EditTask, r: ModelResult, opts: GradeOptions): Promise<GradeFields> {
  const parts: number[] = [];
  // A multi-file result is graded per file; the task's scope and style hold only if they hold in every file.
  const fileResults = r.ok ? r.files : [];
  const files = t.editFiles?.length ? gradeFiles(t, fileResults) : undefined;
  const oos = r.ok ? (files ? files.reduce((n, f) => n + f.outOfScopeHunks, 0) : r.analysis.outOfScopeHunks) : null;
  const drift = r.ok ? (files ? fileResults.flatMap((f) => f.analysis.styleDrift) : r.analysis.styleDrift) : [];
  const testHunks = r.ok ? fileResults.reduce((n, f) => n + f.analysis.hunks.filter((h) => h.scope === 'supporting' && h.link?.kind === 'test').length, 0) : null;
  const scope = r.ok && oos === 0 ? 1 : 0;
  const style = r.ok && drift.length === 0 ? 1 : 0;
  if (t.graders.scope) parts.push(scope);
  if (t.graders.style) parts.push(style);
  let reference: GradeFields['reference'] = null;
  if (t.graders.reference && t.reference) {
    reference = r.ok ? gradeReference(editedWindow(task.original, r.edited, r.window), t.reference.output) : { exact: false, similarity: 0 };
    parts.push(reference.exact ? 1 : reference.similarity);
  }
  // Every editable file is held against what it must hold, even one the accepted edit left as it was.
  if (t.graders.reference && t.reference) {
    for (const e of t.editFiles ?? []) {
      const g = files?.find((f) => f.file === e.path)?.reference ?? { exact: false, similarity: 0 };
      parts.push(g.exact ? 1 : g.similarity);
    }
  }
  const test = await gradeTest(t, r, opts);
  if (test) parts.push(test.passed ? 1 : 0);
  return {
    time: new Date().toISOString(),
    setTaskId: t.id,
    taskHash: taskHash(t),
    set: opts.set,
    taskId: task.id,
    model: r.model,
    ok: r.ok,
    error: r.error,
    scope,
    style,
    outOfScopeHunks: oos,
    testHunks,
    styleRules: [...new Set(drift.map((f) => f.rule))],
    reference,
    ...(files ? { files } : {}),
    test,
    score: parts.length ? parts.reduce((a, b) => a + b, 0) / parts.length : 0,
  };
}

/**
 * Each file of a multi-file result on its own: scope, style, and, when the task has an
 * accepted edit, an editable file's reference: its accepted edit, or its own text when the
 * accepted edit left it unchanged (an answer that wipes it must not pass).
 */
function gradeFiles(t: EvalSetTask, fileResults: readonly FileResult[]): NonNullable<GradeFields['files']> {
  return fileResults.map((f) => {
    const e = f.role === 'edit' && t.reference ? t.editFiles!.find((x) => x.path === f.file) : undefined;
    const ref = e ? e.reference ?? e.text : null;
    return {
      file: f.file,
      role: f.role,
      scope: f.analysis.outOfScopeHunks === 0 ? 1 : 0,
      style: f.analysis.styleDrift.length === 0 ? 1 : 0,
      outOfScopeHunks: f.analysis.outOfScopeHunks,
      reference: t.graders.reference && ref !== null ? gradeReference(f.edited, ref) : null,
    };
  });
}

/** The set's test command on the edited files, when asked to run tests and the set holds the whole file; null when it did not run. */
async function gradeTest(t: EvalSetTask, r: ModelResult, opts: GradeOptions): Promise<GradeFields['test']> {
  if (!t.graders.test || opts.runTests !== true) return null;
  if (t.original === null) {
    opts.onWarning?.(`task ${t.id}: the eval set holds only the window of ${t.file}, so its test cannot run (not counted)`);
    return null;
  }
  if (!r.ok) return { passed: false, exitCode: null, timedOut: false, output: 'no usable edit to test' };
  opts.onTestCommand?.({ task: t, model: r.model, command: t.graders.test.command });
  const edits = r.files.filter((f) => f.role === 'edit').map((f) => ({ path: f.file, text: f.edited }));
  return runTest(t, r.edited, t.graders.test, opts, edits);
}
