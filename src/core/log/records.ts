import type { CheckJson } from '../analysis/checkJson';
import type { LineRange } from '../analysis/types';
import type { EditError, Locality, PromptWindow, Usage } from '../edit/types';
import type { Dependency } from '../locality/dependsOn';

/**
 * Bumped only when a reader of the old shape would misread the new one. 2: locality is
 * computed from the code (`dependsOn`) rather than from attached context, and a task may
 * let the model change several files (`editFiles`, `files` per result).
 */
export const SCHEMA_VERSION = 2;

export type Accepted = 'all' | 'in-scope' | 'none';
export const ACCEPTED: readonly Accepted[] = ['all', 'in-scope', 'none'];

export interface ContextRecord {
  /** Workspace-relative, forward slashes. */
  path: string;
  sha256: string;
  /** Kept so the task can be replayed after the file has moved on. */
  text: string;
  /** Set when only these lines of the file were sent; `text` is those lines. */
  lines?: LineRange;
}

/** A file besides the target the model was allowed to change. */
export interface EditFileRecord {
  /** Workspace-relative, forward slashes. */
  path: string;
  sha256: string;
  text: string;
  /** The lines it may change, or null for the whole file. */
  range: LineRange | null;
}

export interface ResultRecord {
  model: string;
  provider: string;
  parameters: Record<string, unknown>;
  ok: boolean;
  error: EditError | null;
  /** The model's version of the window (not the whole file), when it produced one. */
  output: string | null;
  analysis: CheckJson | null;
  latencyMs: number;
  ttftMs: number | null;
  usage: Usage | null;
  costUsd: number | null;
  retries: number;
}

export interface TaskRecord {
  schemaVersion: number;
  kind: 'task';
  id: string;
  time: string;
  /** Workspace-relative, forward slashes. */
  file: string;
  /** sha256 of the whole original file. */
  fileHash: string;
  language: string;
  ranges: LineRange[];
  instruction: string;
  /** The lines of the original that were sent, and their text. */
  window: PromptWindow;
  windowText: string;
  /**
   * Lines in the whole original file, so the prompt can be rebuilt exactly when only a window
   * was sent (absent in logs written before it was recorded).
   */
  totalLines?: number;
  contextFiles: ContextRecord[];
  /** Other workspace files defining names the selection uses (empty in version-1 records). */
  dependsOn: Dependency[];
  /** Files besides the target the model could change (empty unless the task is multi-file). */
  editFiles: EditFileRecord[];
  locality: Locality;
  promptTemplate: { id: string; version: number };
  /** Where the task came from: the editor, the command line, or a replay of an eval set. */
  source?: string;
  results: ResultRecord[];
}

export interface VerdictRecord {
  schemaVersion: number;
  kind: 'verdict';
  time: string;
  taskId: string;
  model: string;
  accepted: Accepted;
}

/**
 * One model's result on one eval-set task, graded by \`editscope replay\`. A task a model has a
 * grade for is skipped when the replay is run again with the same log.
 */
export interface GradeRecord {
  schemaVersion: number;
  kind: 'grade';
  time: string;
  /** The eval-set task (the id of the log task it was exported from). */
  setTaskId: string;
  /** The eval set's path, as given. */
  set: string;
  /** The task record this replay appended, holding the output. */
  taskId: string;
  model: string;
  ok: boolean;
  error: EditError | null;
  /** 1 when the result has no out-of-scope hunk, else 0 (0 when there is no usable result). */
  scope: number;
  /** 1 when the result has no style drift, else 0. */
  style: number;
  outOfScopeHunks: number | null;
  styleRules: string[];
  /** Against the accepted output, when the set has one. */
  reference: { exact: boolean; similarity: number } | null;
  /** The task's test command, when it has one and it could run. */
  test: { passed: boolean; exitCode: number | null; timedOut: boolean; output: string } | null;
  /** The mean of the scores that apply: scope, style, reference (1 if exact, else the similarity) and test. */
  score: number;
}

export type LogRecord = TaskRecord | VerdictRecord;

/**
 * A task record of any schema this version reads, in the current shape. Version 1 had no
 * `dependsOn` or `editFiles`, and called a task cross-file when context files were attached:
 * that locality is kept, as it is what was measured then.
 */
export function upgradeTaskRecord(r: TaskRecord): TaskRecord {
  if (Array.isArray(r.dependsOn) && Array.isArray(r.editFiles)) return r;
  return { ...r, dependsOn: Array.isArray(r.dependsOn) ? r.dependsOn : [], editFiles: Array.isArray(r.editFiles) ? r.editFiles : [] };
}
