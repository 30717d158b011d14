import { isUtf8 } from 'node:buffer';
import { readRegularFile } from '../io/readText';
import type { LogWarning } from '../log/evalLog';
import { EDIT_FORMATS } from '../prompt/build';
import { EVALSET_SCHEMA_VERSION, type EvalSetTask } from './evalSetTask';

/** Larger sets are refused rather than read into memory whole. */
const MAX_EVALSET_BYTES = 512 * 1024 * 1024;

/**
 * Reads an eval set (JSONL of evalset tasks). A damaged line, a line that is not an evalset
 * task, or one from a newer schema is skipped with a warning naming its line; a repeated
 * task id keeps the first.
 */
export function readEvalSet(setPath: string, onWarning: (w: LogWarning) => void = () => {}): EvalSetTask[] {
  // A regular file only, within a limit: a set named through a link to /dev/zero or a FIFO must not fill memory or hang.
  const bytes = readRegularFile(setPath, 'eval set', MAX_EVALSET_BYTES);
  const tasks: EvalSetTask[] = [];
  const seen = new Set<string>();
  let newer = false;
  splitBytes(bytes).forEach((rawBytes, i) => {
    const line = i + 1;
    // A line saved in Latin-1 decoded lossily would send replacement characters as the task.
    if (!isUtf8(rawBytes)) {
      onWarning({ line, message: `line ${line}: not UTF-8 (a byte of another encoding; skipped)` });
      return;
    }
    const raw = rawBytes.toString('utf8');
    if (!raw.trim()) return;
    let t: Partial<EvalSetTask>;
    try {
      t = JSON.parse(raw);
    } catch {
      onWarning({ line, message: `line ${line}: not a complete JSON record (skipped)` });
      return;
    }
    if (!t || typeof t !== 'object' || t.kind !== 'evalset-task' || typeof t.schemaVersion !== 'number') {
      onWarning({ line, message: `line ${line}: not an eval-set task (skipped)` });
      return;
    }
    if (t.schemaVersion > EVALSET_SCHEMA_VERSION) {
      onWarning({ line, message: `line ${line}: written by a newer Edit Scope (eval-set schema ${t.schemaVersion}; this version reads ${EVALSET_SCHEMA_VERSION})${newer ? '' : '; update Edit Scope to replay it'} (skipped)` });
      newer = true;
      return;
    }
    const problem = invalid(t);
    if (problem) {
      onWarning({ line, message: `line ${line}: ${problem} (skipped)` });
      return;
    }
    if (seen.has(t.id!)) {
      onWarning({ line, message: `line ${line}: task ${t.id} appears again (skipped)` });
      return;
    }
    seen.add(t.id!);
    tasks.push(t as EvalSetTask);
  });
  return tasks;
}

function invalid(t: Partial<EvalSetTask>): string | null {
  if (typeof t.id !== 'string' || !t.id) return 'task without an id';
  if (typeof t.file !== 'string' || typeof t.instruction !== 'string' || typeof t.windowText !== 'string') return `task ${t.id} lacks its file, instruction or window text`;
  const w = t.window;
  if (!w || !Number.isInteger(w.start) || !Number.isInteger(w.end) || w.start < 1 || w.end < w.start - 1) return `task ${t.id} has no valid window`;
  const r = t.ranges?.[0];
  if (!r || !Number.isInteger(r.start) || !Number.isInteger(r.end) || r.start < w.start || r.end > w.end || r.end < r.start) return `task ${t.id} has no range inside its window`;
  if (!t.prompt || !EDIT_FORMATS.includes(t.prompt.format) || !(t.prompt.contextLines >= 0)) return `task ${t.id} has no valid prompt format`;
  if (!t.prompt.template || typeof t.prompt.template.id !== 'string' || typeof t.prompt.template.version !== 'number') return `task ${t.id} has no prompt template`;
  if (!t.graders || typeof t.graders !== 'object') return `task ${t.id} has no graders`;
  if (t.original !== null && typeof t.original !== 'string') return `task ${t.id} has an invalid original`;
  if (!Array.isArray(t.contextFiles)) return `task ${t.id} has no context file list`;
  if (!t.contextFiles.every((c) => c && typeof c === 'object' && typeof c.path === 'string' && typeof c.text === 'string')) return `task ${t.id} has a context file without its path or text`;
  if (t.editFiles !== undefined && t.editFiles !== null && !(Array.isArray(t.editFiles) && t.editFiles.every(validEditFile))) return `task ${t.id} has editable files without a path, text or valid range`;
  if (!t.instruction.trim()) return `task ${t.id} has a blank instruction`;
  const test = t.graders?.test;
  if (test && (typeof test.command !== 'string' || !test.command.trim() || !(test.timeoutSeconds > 0))) return `task ${t.id} has a test without a command or a positive timeoutSeconds`;
  if (t.reference && typeof t.reference.output !== 'string') return `task ${t.id} has a reference without output`;
  return null;
}

function validEditFile(f: unknown): boolean {
  if (!f || typeof f !== 'object') return false;
  const e = f as Record<string, unknown>;
  const r = e.range as { start?: unknown; end?: unknown } | null | undefined;
  const range = r === null || r === undefined || (typeof r === 'object' && Number.isInteger(r.start) && Number.isInteger(r.end) && (r.start as number) >= 1 && (r.end as number) >= (r.start as number));
  return typeof e.path === 'string' && !!e.path && typeof e.text === 'string' && range && (e.reference === undefined || e.reference === null || typeof e.reference === 'string');
}

/** The file's lines as bytes, so each can be checked for UTF-8 on its own. */
function splitBytes(buf: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
    lines.push(buf.subarray(start, nl));
    start = nl + 1;
  }
  lines.push(buf.subarray(start));
  return lines;
}
