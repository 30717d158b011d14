import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toCheckJson } from '../analysis/checkJson';
import type { EditTask, ModelResult } from '../task/editTask';
import { InputError } from '../errors';
import { TEMPLATES } from '../prompt/build';
import { windowText } from '../prompt/window';
import { splitLines, joinLines } from '../text/lines';
import { appendRecordLine, checkLogFolder } from './append';
import { describeFsError } from '../io/writeAtomic';
import { isInsideRelative } from '../io/readText';
import { ACCEPTED, gradeRecordProblem, verdictRecordProblem, type HunkVerdict, isApplied, retentionRecordProblem, SCHEMA_VERSION, taskRecordProblem, upgradeTaskRecord, type Accepted, type GradeRecord, type LogRecord, type ResultRecord, type RetentionRecord, type TaskRecord, type VerdictRecord } from './records';


export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A path as the log keeps it: relative to the workspace with forward slashes, when inside it. */
export function workspacePath(file: string, workspaceRoot: string | undefined): string {
  if (!workspaceRoot || !path.isAbsolute(file)) return file.split(path.sep).join('/');
  const rel = path.relative(workspaceRoot, file);
  return (isInsideRelative(rel) ? rel : file).split(path.sep).join('/');
}

/** The task and every model's result as one record: what was sent, what came back, how it scored. */
export function taskRecord(task: EditTask, results: readonly ModelResult[], opts: { workspaceRoot?: string; source?: string } = {}): TaskRecord {
  // One split of the original serves the default window, the record and every result's output.
  const totalLines = splitLines(task.original).lines.length;
  const window = results[0]?.window ?? { start: 1, end: totalLines };
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'task',
    id: task.id,
    time: task.time,
    file: workspacePath(task.file, opts.workspaceRoot),
    fileHash: sha256(task.original),
    language: task.language,
    ranges: [task.range],
    instruction: task.instruction,
    window,
    windowText: windowText(task.original, window),
    totalLines,
    contextFiles: task.contextFiles.map((c) => ({ path: workspacePath(c.path, opts.workspaceRoot), sha256: sha256(c.text), text: c.text, ...(c.lines ? { lines: c.lines } : {}) })),
    dependsOn: task.dependsOn,
    editFiles: task.editFiles.map((f) => ({ path: workspacePath(f.path, opts.workspaceRoot), sha256: sha256(f.text), text: f.text, range: f.range })),
    locality: task.locality,
    promptTemplate: results[0]?.promptTemplate ?? TEMPLATES.whole,
    ...(opts.source ? { source: opts.source } : {}),
    results: results.map((r) => resultRecord(totalLines, r, task.editFiles.length > 0, opts.workspaceRoot)),
  };
}

function resultRecord(originalLines: number, r: ModelResult, multiFile: boolean, root: string | undefined): ResultRecord {
  const files = multiFile && r.files ? r.files.filter((f) => f.role !== 'target') : [];
  return {
    model: r.model,
    provider: r.provider,
    parameters: r.parameters,
    ok: r.ok,
    error: r.error,
    output: r.edited === null ? null : windowOfEdited(originalLines, r.edited, r.window),
    analysis: r.analysis ? toCheckJson(r.analysis) : null,
    ...(multiFile
      ? { files: files.map((f) => ({ file: workspacePath(f.file, root), role: f.role as 'edit' | 'other', exists: f.exists, output: f.edited, analysis: toCheckJson(f.analysis) })) }
      : {}),
    latencyMs: r.latencyMs,
    ttftMs: r.ttftMs,
    usage: r.usage,
    costUsd: r.costUsd,
    retries: r.retries,
  };
}

/** Lines outside the window are the original's by construction, so the window's version is the middle. */
export function editedWindow(original: string, edited: string, w: { start: number; end: number }): string {
  return windowOfEdited(splitLines(original).lines.length, edited, w);
}

function windowOfEdited(originalLines: number, edited: string, w: { start: number; end: number }): string {
  const e = splitLines(edited);
  const tail = originalLines - w.end;
  return joinLines(e.lines.slice(w.start - 1, e.lines.length - tail), e.eols.slice(w.start - 1, e.lines.length - tail));
}

export interface AppendOptions {
  workspaceRoot?: string;
  /** Where the task came from: 'editor', 'cli', 'replay'. */
  source?: string;
  /**
   * Secret values to keep out of the log besides the key-shaped environment variables
   * (the extension passes the keys it holds in SecretStorage).
   */
  secrets?: readonly string[];
}

export async function appendTaskRun(logPath: string, task: EditTask, results: readonly ModelResult[], opts: AppendOptions = {}): Promise<string> {
  await appendRecordLine(logPath, taskRecord(task, results, opts), opts.secrets);
  return task.id;
}

/** Appends a replay's grade of one model's result on one eval-set task. */
/** Appends a grade; returns the record as written (before redaction), for the caller to keep. */
export async function appendGrade(logPath: string, grade: Omit<GradeRecord, 'schemaVersion' | 'kind'>, opts: { secrets?: readonly string[] } = {}): Promise<GradeRecord> {
  const record: GradeRecord = { schemaVersion: SCHEMA_VERSION, kind: 'grade', ...grade };
  await appendRecordLine(logPath, record, opts.secrets);
  return record;
}

export async function appendVerdict(logPath: string, v: { taskId: string; model: string; accepted: Accepted; hunks?: HunkVerdict[]; time?: Date }): Promise<void> {
  if (!ACCEPTED.includes(v.accepted)) throw new InputError(`accepted must be one of ${ACCEPTED.join(', ')} (got "${v.accepted}")`);
  const record: VerdictRecord = {
    schemaVersion: SCHEMA_VERSION,
    kind: 'verdict',
    time: (v.time ?? new Date()).toISOString(),
    taskId: v.taskId,
    model: v.model,
    accepted: v.accepted,
    ...(v.hunks ? { hunks: v.hunks.map(({ file, originalStart, originalLines, editedStart, editedLines, scope, accepted }) => ({ file, originalStart, originalLines, editedStart, editedLines, scope, accepted })) } : {}),
  };
  const problem = verdictRecordProblem(record as unknown as Record<string, unknown>);
  if (problem) throw new InputError(problem);
  await appendRecordLine(logPath, record);
}

/** Appends how much of an applied edit is still there (see RetentionRecord). */
export async function appendRetention(logPath: string, r: Omit<RetentionRecord, 'schemaVersion' | 'kind' | 'time'> & { time?: Date }): Promise<void> {
  if (!isApplied(r.accepted)) throw new InputError(`a retention record needs an applied verdict (all, in-scope or picked; got "${r.accepted}")`);
  const { time, ...rest } = r;
  const record: RetentionRecord = { schemaVersion: SCHEMA_VERSION, kind: 'retention', time: (time ?? new Date()).toISOString(), ...rest };
  await appendRecordLine(logPath, record);
}

export interface LogWarning {
  line: number;
  message: string;
}

export interface ReadLogOptions {
  /** Called for each skipped line; the default collects them in the result. */
  onWarning?: (w: LogWarning) => void;
  /** Called for each record in order instead of keeping them (for large logs). */
  onRecord?: (r: LogRecord, line: number) => void;
  /** Called for each grade record (from \`editscope replay\`); they are not among the records. */
  onGrade?: (g: GradeRecord, line: number) => void;
}

/**
 * Reads a log record by record. A torn or malformed line, or one from a newer schema, is
 * skipped with a warning naming its line number; nothing in the file stops the rest.
 */
export function readLog(logPath: string, opts: ReadLogOptions = {}): { records: LogRecord[]; warnings: LogWarning[] } {
  const records: LogRecord[] = [];
  const warnings: LogWarning[] = [];
  const warn = opts.onWarning ?? ((w: LogWarning) => warnings.push(w));
  const keep = opts.onRecord ?? ((r: LogRecord) => records.push(r));
  const fd = openLog(logPath);
  try {
    if (!fs.fstatSync(fd).isFile()) throw new InputError(`eval log ${logPath} is not a regular file`);
    let newerSeen = false;
    forEachLine(fd, (text, line) => {
      if (text === null) {
        warn({ line, message: `line ${line}: not UTF-8 (a byte of another encoding; skipped)` });
        return;
      }
      if (!text.trim()) return;
      let rec: unknown;
      try {
        rec = JSON.parse(text);
      } catch {
        warn({ line, message: `line ${line}: not a complete JSON record (skipped)` });
        return;
      }
      const r = rec as Partial<LogRecord> | null;
      if (!r || typeof r !== 'object' || typeof r.schemaVersion !== 'number' || (r.kind !== 'task' && r.kind !== 'verdict' && typeof r.kind !== 'string')) {
        warn({ line, message: `line ${line}: not an Edit Scope record (no schemaVersion or kind; skipped)` });
        return;
      }
      if (r.schemaVersion > SCHEMA_VERSION) {
        warn({
          line,
          message: `line ${line}: written by a newer Edit Scope (schema ${r.schemaVersion}; this version reads ${SCHEMA_VERSION})${newerSeen ? '' : '; update Edit Scope to read it'} (skipped)`,
        });
        newerSeen = true;
        return;
      }
      const problem = recordProblem(r);
      if (problem) {
        warn({ line, message: `line ${line}: ${problem} (skipped)` });
        return;
      }
      if ((r.kind as string) === 'grade') {
        opts.onGrade?.(r as unknown as GradeRecord, line);
        return;
      }
      // A kind this version does not know (added by a later version of the same schema): not ours to read.
      if (r.kind !== 'task' && r.kind !== 'verdict' && (r.kind as string) !== 'retention') return;
      keep(r.kind === 'task' ? upgradeTaskRecord(r as TaskRecord) : (r as LogRecord), line);
    });
  } finally {
    fs.closeSync(fd);
  }
  return { records, warnings };
}

/** The log opened for reading, never through a link and never blocking; an error names what is wrong. */
function openLog(logPath: string): number {
  checkLogFolder(logPath);
  try {
    // Never through a link: a planted one would have the report read (and show) any file. Not
    // blocking: a named pipe planted there would otherwise wait for a writer forever.
    return fs.openSync(logPath, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' ? `eval log ${logPath} does not exist` : code === 'ELOOP' ? `eval log ${logPath} is a symbolic link; name the real file with --log` : `cannot read eval log ${logPath} (${describeFsError(err)})`,
    );
  }
}

/** Why a record of a kind this version reads is malformed, or null when it is sound (or of a kind it does not read). */
function recordProblem(r: Partial<LogRecord>): string | null {
  const fields = r as Record<string, unknown>;
  switch (r.kind as string) {
    case 'task':
      return taskRecordProblem(fields);
    case 'verdict':
      return verdictRecordProblem(fields);
    case 'grade':
      return gradeRecordProblem(fields);
    case 'retention':
      return retentionRecordProblem(fields);
    default:
      return null;
  }
}

/**
 * Reads the file in chunks so a log larger than any string V8 allows still reads. A line that
 * is not UTF-8 (saved by an editor in Latin-1) comes as null: decoded lossily it would carry
 * replacement characters into exports and replays as if they were the text.
 *
 * One buffer serves the whole file: the unfinished line at a chunk's end moves to its front and
 * the next read lands behind it. Joining carry and chunk anew for every read copied the whole
 * log once more and allocated a fresh 8 MB each time (a quarter of a large report's time).
 */
function forEachLine(fd: number, onLine: (text: string | null, line: number) => void): void {
  const decode = (b: Buffer) => (isUtf8(b) ? b.toString('utf8') : null);
  let buf = Buffer.allocUnsafe(8 * 1024 * 1024);
  let filled = 0;
  let line = 0;
  for (;;) {
    if (filled === buf.length) {
      // One line longer than the buffer: make room for the rest of it.
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
    const n = fs.readSync(fd, buf, filled, buf.length - filled, null);
    if (n === 0) break;
    const end = filled + n;
    const view = buf.subarray(0, end);
    let start = 0;
    for (;;) {
      const nl = view.indexOf(10, start);
      if (nl < 0) break;
      onLine(decode(view.subarray(start, nl)), ++line);
      start = nl + 1;
    }
    filled = end - start;
    if (filled && start) buf.copy(buf, 0, start, end);
  }
  if (filled) onLine(decode(buf.subarray(0, filled)), ++line);
}
