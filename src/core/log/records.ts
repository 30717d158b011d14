import type { CheckJson } from '../analysis/checkJson';
import type { LineRange } from '../analysis/analysisTypes';
import type { Dependency, EditError, Locality, PromptWindow, Usage } from '../task/editTask';

/**
 * Bumped only when a reader of the old shape would misread the new one. 2: locality is
 * computed from the code (`dependsOn`) rather than from attached context, and a task may
 * let the model change several files (`editFiles`, `files` per result).
 */
export const SCHEMA_VERSION = 2;

/**
 * What became of a model's edit: applied whole, only its in-scope hunks, only the hunks the
 * person ticked in review (`picked`, with `hunks` saying which), rejected, or applied and
 * then undone (`reverted`). The latest verdict for a result counts.
 */
export type Accepted = 'all' | 'in-scope' | 'picked' | 'none' | 'reverted';
export const ACCEPTED: readonly Accepted[] = ['all', 'in-scope', 'picked', 'none', 'reverted'];
/** The verdicts that mean the edit is in the file. */
export type Applied = 'all' | 'in-scope' | 'picked';
export const isApplied = (a: Accepted | undefined): a is Applied => a === 'all' || a === 'in-scope' || a === 'picked';

/**
 * One hunk of a result as the person judged it, named by the result's own analysis of that
 * file (its coordinates, which are unique within a file's hunks), so a reader matches it
 * against the logged hunks without trusting an index.
 */
export interface HunkVerdict {
  /** Workspace-relative, forward slashes: the task's file or one of the result's `files`. */
  file: string;
  originalStart: number;
  originalLines: number;
  editedStart: number;
  editedLines: number;
  /** The hunk's scope as analysed, so the log says what was accepted against what was flagged. */
  scope: string;
  accepted: boolean;
}

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
  /**
   * A multi-file task's other files (the target is \`output\` and \`analysis\`): each editable
   * file and each other file the model wrote to, with its whole edited text.
   */
  files?: FileResultRecord[];
  latencyMs: number;
  ttftMs: number | null;
  usage: Usage | null;
  costUsd: number | null;
  retries: number;
}

export interface FileResultRecord {
  /** Workspace-relative, forward slashes (an "other" file: as the model wrote it). */
  file: string;
  role: 'edit' | 'other';
  /** False for a file the model invented. */
  exists: boolean;
  output: string;
  analysis: CheckJson;
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
  /**
   * Every hunk of the result and whether it was accepted, when the verdict was given hunk by
   * hunk (the editor writes it with every apply and reject; always with `picked`). Absent in
   * older records: `hunksOfVerdict` then derives it from `accepted`.
   */
  hunks?: HunkVerdict[];
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
  /** sha256 of the eval-set task as replayed: replay resumes only from grades of the same content. */
  taskHash?: string;
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
  /** Supporting hunks that are tests of the changed code (a multi-file task), counted apart so the irrelevant-edit rate can take them or not. */
  testHunks?: number | null;
  styleRules: string[];
  /** Against the accepted output, when the set has one. */
  reference: { exact: boolean; similarity: number } | null;
  /** A multi-file task's grades per file (the task's scope and style hold only if they hold in every file). */
  files?: Array<{ file: string; role: 'target' | 'edit' | 'other'; scope: number; style: number; outOfScopeHunks: number; reference: { exact: boolean; similarity: number } | null }>;
  /** The task's test command, when it has one and it could run. */
  test: { passed: boolean; exitCode: number | null; timedOut: boolean; output: string } | null;
  /** The mean of the scores that apply: scope, style, reference (1 if exact, else the similarity) and test. */
  score: number;
}

/**
 * How much of an applied edit was still there at a checkpoint: the first save after the
 * apply, a number of minutes after it (`2min`, `10min`), the commit that took the file, or
 * `cli` (`editscope verdict --kept`). The latest record for a result is what the person kept.
 */
export interface RetentionRecord {
  schemaVersion: number;
  kind: 'retention';
  time: string;
  taskId: string;
  model: string;
  accepted: Applied;
  checkpoint: string;
  /** Since the apply; null when not known (from the command line). */
  elapsedMs: number | null;
  /**
   * 1-based inclusive lines of the original file the apply replaced (end = start - 1 when
   * it only inserted lines before line start); `text` is what stands there now.
   */
  region: LineRange;
  /** Lines the apply added plus lines it removed. */
  appliedLines: number;
  /** Of those, added lines still there and removed lines still gone. */
  keptLines: number;
  /** keptLines / appliedLines (null when the apply changed no whole line). */
  kept: number | null;
  /** The edited region's text now. */
  text: string;
  /** The commit, at checkpoint `commit`. */
  commit?: string;
}

export type LogRecord = TaskRecord | VerdictRecord | RetentionRecord;

/**
 * A task record of any schema this version reads, in the current shape. Version 1 had no
 * `dependsOn` or `editFiles`, and called a task cross-file when context files were attached:
 * that locality is kept, as it is what was measured then.
 */
export function upgradeTaskRecord(r: TaskRecord): TaskRecord {
  if (Array.isArray(r.dependsOn) && Array.isArray(r.editFiles)) return r;
  return { ...r, dependsOn: Array.isArray(r.dependsOn) ? r.dependsOn : [], editFiles: Array.isArray(r.editFiles) ? r.editFiles : [] };
}

// Shape checks for records read back. A line can be valid JSON and still not a record this
// version wrote (hand-edited, another tool's, a hostile repository's): each reader would then
// crash on `results: [null]` or print a string where a number belongs. What fails these checks
// is skipped with its line number.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
/** A number, not negative and not absurd (sums of many must stay finite): counts, times, tokens and prices. */
export const isCount = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1e12;
const isLineNo = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isRange = (v: unknown) => isObj(v) && isLineNo(v.start) && isLineNo(v.end);
const optional = (v: unknown, check: (x: unknown) => boolean) => v === undefined || v === null || check(v);

function usageProblem(u: unknown): string | null {
  if (u === null || u === undefined) return null;
  if (!isObj(u) || !isCount(u.inputTokens) || !isCount(u.outputTokens)) return 'usage that is not two token counts';
  return null;
}

function analysisProblem(a: unknown): string | null {
  if (a === null || a === undefined) return null;
  if (!isObj(a) || !isCount(a.outOfScopeHunks) || !Array.isArray(a.hunks) || !Array.isArray(a.styleDrift)) return 'an analysis without hunks, outOfScopeHunks or styleDrift';
  for (const h of a.hunks) {
    if (!isObj(h) || !isLineNo(h.originalStart) || !isLineNo(h.originalLines) || !isLineNo(h.editedStart) || !isLineNo(h.editedLines) || (h.scope !== 'in' && h.scope !== 'supporting' && h.scope !== 'out')) return 'a hunk without its lines or scope';
  }
  for (const f of a.styleDrift) if (!isObj(f) || !isStr(f.rule) || !isStr(f.message)) return 'a style finding without rule or message';
  return null;
}

function resultProblem(r: unknown, i: number): string | null {
  const at = `results[${i}]`;
  if (!isObj(r)) return `${at} is not an object`;
  if (!isStr(r.model) || !r.model) return `${at} has no model`;
  if (typeof r.ok !== 'boolean') return `${at}.ok is not true or false`;
  if (!optional(r.error, (e) => isObj(e) && isStr(e.kind) && isStr(e.message))) return `${at}.error is not {kind, message}`;
  if (!optional(r.output, isStr)) return `${at}.output is not text`;
  if (r.ok && !isStr(r.output)) return `${at} is ok without an output`;
  if (!isCount(r.latencyMs)) return `${at}.latencyMs is not a number of milliseconds`;
  if (!optional(r.ttftMs, isCount)) return `${at}.ttftMs is not a number`;
  if (!optional(r.costUsd, isCount)) return `${at}.costUsd is not a number`;
  if (!optional(r.retries, isCount)) return `${at}.retries is not a number`;
  const u = usageProblem(r.usage);
  if (u) return `${at} has ${u}`;
  const a = analysisProblem(r.analysis);
  if (a) return `${at} has ${a}`;
  if (r.files !== undefined) {
    if (!Array.isArray(r.files)) return `${at}.files is not a list`;
    for (const f of r.files) {
      if (!isObj(f) || !isStr(f.file) || (f.role !== 'edit' && f.role !== 'other') || !isStr(f.output) || !isObj(f.analysis)) return `${at}.files has an entry without file, role, output or analysis`;
      const fa = analysisProblem(f.analysis);
      if (fa) return `${at}.files (${f.file}) has ${fa}`;
    }
  }
  return null;
}

/** What is wrong with a task record, or null when every field a reader uses has its type. */
export function taskRecordProblem(t: Obj): string | null {
  if (!isStr(t.id) || !t.id) return 'a task record without an id';
  const id = `task ${t.id}`;
  if (!Array.isArray(t.results)) return `${id}: results is not a list`;
  if (!isStr(t.time)) return `${id}: time is not text`;
  if (!isStr(t.file) || !isStr(t.instruction) || !isStr(t.windowText)) return `${id}: file, instruction or windowText is not text`;
  if (!isRange(t.window)) return `${id}: window is not a line range`;
  if (!Array.isArray(t.ranges) || !t.ranges.length || !t.ranges.every(isRange)) return `${id}: ranges is not a list of line ranges`;
  if (!optional(t.totalLines, isLineNo)) return `${id}: totalLines is not a line count`;
  if (!Array.isArray(t.contextFiles) || !t.contextFiles.every((c) => isObj(c) && isStr(c.path) && isStr(c.text))) return `${id}: contextFiles is not a list of {path, text}`;
  if (!optional(t.dependsOn, (d) => Array.isArray(d) && d.every((x) => isObj(x) && isStr(x.file) && Array.isArray(x.symbols) && x.symbols.every(isStr)))) return `${id}: dependsOn is not a list of {file, symbols}`;
  if (!optional(t.editFiles, (d) => Array.isArray(d) && d.every((x) => isObj(x) && isStr(x.path) && isStr(x.text) && optional(x.range, isRange)))) return `${id}: editFiles is not a list of {path, text, range}`;
  if (t.locality !== 'local' && t.locality !== 'cross-file' && t.locality !== 'multi-file') return `${id}: locality is not local, cross-file or multi-file`;
  if (!isObj(t.promptTemplate) || !isStr(t.promptTemplate.id) || !isCount(t.promptTemplate.version)) return `${id}: promptTemplate is not {id, version}`;
  if (!optional(t.fileHash, isStr) || !optional(t.language, isStr) || !optional(t.source, isStr)) return `${id}: fileHash, language or source is not text`;
  for (let i = 0; i < t.results.length; i++) {
    const p = resultProblem(t.results[i], i);
    if (p) return `${id}: ${p}`;
  }
  return null;
}

/** The same for a grade record (read by replay to resume). */
export function gradeRecordProblem(g: Obj): string | null {
  if (!isStr(g.setTaskId) || !isStr(g.model) || !isCount(g.score) || (g.score as number) > 1) return 'a grade record without setTaskId, model or a score from 0 to 1';
  if (!isCount(g.scope) || !isCount(g.style)) return `grade of ${g.setTaskId}: scope or style is not a number`;
  if (!optional(g.taskHash, isStr)) return `grade of ${g.setTaskId}: taskHash is not text`;
  if (!optional(g.error, (e) => isObj(e) && isStr(e.kind) && isStr(e.message))) return `grade of ${g.setTaskId}: error is not {kind, message}`;
  if (!optional(g.reference, (r) => isObj(r) && typeof r.exact === 'boolean' && isCount(r.similarity))) return `grade of ${g.setTaskId}: reference is not {exact, similarity}`;
  if (!optional(g.test, (r) => isObj(r) && typeof r.passed === 'boolean')) return `grade of ${g.setTaskId}: test is not {passed, ...}`;
  if (!optional(g.files, (fs) => Array.isArray(fs) && fs.every((f) => isObj(f) && isStr(f.file) && isCount(f.scope) && isCount(f.style)))) return `grade of ${g.setTaskId}: files is not a list of per-file grades`;
  return null;
}

/** What is wrong with a verdict record, or null. */
export function verdictRecordProblem(v: Obj): string | null {
  if (!isStr(v.taskId) || !isStr(v.model) || !ACCEPTED.includes(v.accepted as Accepted)) return 'verdict record without taskId, model or a valid accepted';
  if (v.hunks === undefined) return v.accepted === 'picked' ? `verdict of ${v.taskId}: picked without the hunks picked` : null;
  if (!Array.isArray(v.hunks) || !v.hunks.every(isHunkVerdict)) return `verdict of ${v.taskId}: hunks is not a list of {file, originalStart, originalLines, editedStart, editedLines, scope, accepted}`;
  return null;
}

const isHunkVerdict = (h: unknown) =>
  isObj(h) && isStr(h.file) && isLineNo(h.originalStart) && isLineNo(h.originalLines) && isLineNo(h.editedStart) && isLineNo(h.editedLines) && isStr(h.scope) && typeof h.accepted === 'boolean';

/** The same for a retention record. */
export function retentionRecordProblem(k: Obj): string | null {
  if (!isStr(k.taskId) || !isStr(k.model) || !isApplied(k.accepted as Accepted)) return 'a retention record without taskId, model or an applied verdict (all, in-scope or picked)';
  const of = `retention of ${k.taskId}`;
  if (!isStr(k.checkpoint) || !isStr(k.text) || !isStr(k.time)) return `${of}: checkpoint, text or time is not text`;
  if (!isRange(k.region)) return `${of}: region is not a line range`;
  if (!isCount(k.appliedLines) || !isCount(k.keptLines) || !optional(k.kept, isCount) || !optional(k.elapsedMs, isCount)) return `${of}: appliedLines, keptLines, kept or elapsedMs is not a number`;
  if (!optional(k.commit, isStr)) return `${of}: commit is not text`;
  return null;
}
