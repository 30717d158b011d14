import { readWorkspaceText } from '../io/readText';
import * as path from 'node:path';
import { analyze } from '../analysis/analyze';
import { applyHunks, type Finding } from '../analysis/apply';
import type { Hunk } from '../analysis/analysisTypes';
import type { Locality } from '../task/editTask';
import { readLog, sha256, type LogWarning } from '../log/evalLog';
import { isApplied, type Accepted, type Applied, type HunkVerdict, type ResultRecord, type RetentionRecord, type TaskRecord } from '../log/records';
import { keptHunk } from '../log/hunkVerdicts';
import { SETTING_DEFAULTS } from '../defaults';
import { buildsTemplate, formatOfTemplate, isMultiFileTemplate, templateFor } from '../prompt/build';
import { markSupporting } from '../relevance/supporting';
import { splitLines } from '../text/lines';
import { EVALSET_SCHEMA_VERSION, type EvalSetTask } from './evalSetTask';

export const VERDICT_FILTERS = ['all', 'in-scope', 'picked', 'none', 'reverted', 'accepted', 'kept', 'unjudged'] as const;
export type VerdictFilter = (typeof VERDICT_FILTERS)[number];

export interface ExportFilter {
  /** Only these models' results (a task with none of them is left out). */
  models?: readonly string[];
  locality?: Locality;
  /** Only tasks at or after this time. */
  since?: Date;
  /**
   * Only tasks with a result whose latest verdict is this (accepted: all, in-scope or picked; kept:
   * applied and, at its latest retention measurement, at least partly still there; unjudged:
   * no verdict at all).
   */
  verdict?: VerdictFilter;
}

export interface LatestVerdict {
  accepted: Accepted;
  /** Each hunk and whether it was accepted, when the verdict said so hunk by hunk. */
  hunks?: HunkVerdict[];
  /** Position in the log: a later verdict wins, and the last accepted edit is the reference. */
  seq: number;
  /** The latest retention measurement of the applied edit: what the person kept of it. */
  retention?: Pick<RetentionRecord, 'region' | 'text' | 'keptLines' | 'kept'>;
}

/** taskId → model → its latest verdict. */
export type VerdictIndex = Map<string, Map<string, LatestVerdict>>;

/** A logged task that passed the filter, with only the chosen models' results and their verdicts. */
export interface LoggedTask {
  record: TaskRecord;
  verdicts: Map<string, LatestVerdict>;
}

/** First pass over the log: the latest verdict of every result (verdicts may follow their task by any distance). */
export function indexVerdicts(logPath: string, onWarning?: (w: LogWarning) => void): VerdictIndex {
  const index: VerdictIndex = new Map();
  let seq = 0;
  readLog(logPath, {
    onWarning: onWarning ?? (() => {}),
    onRecord: (r) => {
      if (r.kind === 'task') return;
      let m = index.get(r.taskId);
      if (!m) index.set(r.taskId, (m = new Map()));
      const before = m.get(r.model);
      if (r.kind === 'verdict') m.set(r.model, { accepted: r.accepted, ...(r.hunks ? { hunks: r.hunks } : {}), seq: seq++, retention: before?.retention });
      else m.set(r.model, { accepted: before?.accepted ?? r.accepted, ...(before?.hunks ? { hunks: before.hunks } : {}), seq: before?.seq ?? seq++, retention: { region: r.region, text: r.text, keptLines: r.keptLines, kept: r.kept } });
    },
  });
  return index;
}

/**
 * Second pass: each task that passes the filter, in log order, without keeping the log in
 * memory. Replays are left out: each is a copy of a task already in an eval set.
 */
export function forEachLoggedTask(logPath: string, index: VerdictIndex, filter: ExportFilter, fn: (t: LoggedTask) => void): void {
  const since = filter.since?.getTime();
  const models = filter.models?.length ? new Set(filter.models) : null;
  readLog(logPath, {
    onWarning: () => {},
    onRecord: (r) => {
      if (r.kind !== 'task' || r.source === 'replay') return;
      if (filter.locality && r.locality !== filter.locality) return;
      if (since !== undefined && !(Date.parse(r.time) >= since)) return;
      const results = models ? r.results.filter((x) => models.has(x.model)) : r.results;
      if (!results.length) return;
      const all = index.get(r.id);
      const verdicts = new Map<string, LatestVerdict>();
      for (const x of results) {
        const v = all?.get(x.model);
        if (v) verdicts.set(x.model, v);
      }
      if (!matchesVerdict(verdicts, filter.verdict)) return;
      fn({ record: results === r.results ? r : { ...r, results }, verdicts });
    },
  });
}

function matchesVerdict(verdicts: Map<string, LatestVerdict>, want: VerdictFilter | undefined): boolean {
  if (!want) return true;
  if (want === 'unjudged') return verdicts.size === 0;
  for (const v of verdicts.values()) {
    if (want === 'accepted' ? isApplied(v.accepted) : want === 'kept' ? isApplied(v.accepted) && !!v.retention && v.retention.keptLines > 0 : v.accepted === want) return true;
  }
  return false;
}

/** What a verdict says was kept, for reading its hunks back: its `accepted` and, when given hunk by hunk, its `hunks`. */
export type KeptBy = Pick<LatestVerdict, 'accepted' | 'hunks'>;

/**
 * The model's version of the window with only the hunks a verdict kept applied (in-scope:
 * its in-scope hunks; picked: those ticked). The logged hunks are numbered in the whole file;
 * lines outside the window are the original's, so they shift by the window's start. A hunk
 * that does not fit the window means the record is not what this reasoning assumes, and the
 * window is analysed afresh instead (a picked hunk is then found by its whole-file lines).
 */
export function keptOutput(rec: TaskRecord, r: ResultRecord, v: KeptBy): string {
  if (r.output === null) throw new Error('keptOutput: the result has no output');
  if (v.accepted === 'all' && !v.hunks) return r.output;
  const off = rec.window.start - 1;
  const oLines = splitLines(rec.windowText).lines.length;
  const eLines = splitLines(r.output).lines.length;
  const shift = (h: Hunk, by: number): Hunk => ({ ...h, originalStart: h.originalStart + by, editedStart: h.editedStart + by });
  let hunks: Hunk[] | null = (r.analysis?.hunks ?? []).map((h) => shift(h, -off));
  let styleDrift: Finding[] = (r.analysis?.styleDrift ?? []).map((f) => ({
    ...f,
    line: f.line - off,
    lines: f.lines?.map((l) => l - off),
    replaces: f.replaces && { ...f.replaces, originalStart: f.replaces.originalStart - off },
  }));
  const fits = (h: Hunk) => h.originalStart >= 0 && h.originalStart + h.originalLines <= oLines && h.editedStart >= 0 && h.editedStart + h.editedLines <= eLines;
  if (!r.analysis || !hunks.every(fits)) hunks = null;
  if (!hunks) {
    const ranges = rec.ranges.map((x) => ({ start: x.start - off, end: x.end - off }));
    const analysis = analyze(rec.windowText, r.output, { fileName: rec.file, ranges });
    markSupporting([{ file: rec.file, role: 'target', original: rec.windowText, edited: r.output, analysis }]);
    ({ hunks, styleDrift } = analysis);
  }
  // The verdict speaks of whole-file lines, the window's hunks of window lines.
  const keep = keptHunk(v, rec.file, { hunks: [], styleDrift });
  return applyHunks(rec.windowText, r.output, hunks, v.hunks ? (h) => keep(shift(h, off)) : keep);
}

/** The model's version of the window with only its in-scope hunks applied. */
export function inScopeOutput(rec: TaskRecord, r: ResultRecord): string {
  return keptOutput(rec, r, { accepted: 'in-scope' });
}

/**
 * Each editable file of a multi-file result as the verdict left it: whole, with only its
 * in-scope hunks, or with those picked (the logged hunks are numbered in the whole file,
 * which is what was sent). A file the result did not change keeps its text.
 */
export function editFileOutputs(rec: TaskRecord, r: ResultRecord, v: KeptBy): string[] {
  return (rec.editFiles ?? []).map((f) => {
    const out = r.files?.find((x) => x.role === 'edit' && x.file === f.path);
    if (!out) return f.text;
    return v.accepted === 'all' && !v.hunks ? out.output : applyHunks(f.text, out.output, out.analysis.hunks, keptHunk(v, f.path, out.analysis));
  });
}

/** The window as a result's verdict applied it: all of it, its in-scope hunks only, or the hunks picked. */
export function appliedOutput(rec: TaskRecord, r: ResultRecord, v: KeptBy): string {
  return keptOutput(rec, r, v);
}

/**
 * The last accepted edit among the task's results, or null. An in-scope verdict keeps only
 * the in-scope hunks. For a multi-file task, `files` holds each editable file's accepted text.
 * When the person changed the applied lines afterwards, what they kept (the latest retention
 * measurement) is the target file's reference instead: their correction is the better label.
 */
export function referenceOf(t: LoggedTask): (NonNullable<EvalSetTask['reference']> & { files: string[] }) | null {
  let best: { r: ResultRecord; v: LatestVerdict } | null = null;
  for (const r of t.record.results) {
    const v = t.verdicts.get(r.model);
    if (!v || !isApplied(v.accepted) || !r.ok || r.output === null) continue;
    if (!best || v.seq > best.v.seq) best = { r, v };
  }
  if (!best) return null;
  const accepted = best.v.accepted as Applied;
  const applied = appliedOutput(t.record, best.r, best.v);
  const kept = best.v.retention ? keptWindow(t.record, best.v.retention) : null;
  const output = kept ?? applied;
  const files = editFileOutputs(t.record, best.r, best.v);
  // Keeping only in-scope hunks of an edit that had none (or keeping none of it) leaves every file as it was: nothing to learn from.
  if (output === t.record.windowText && files.every((f, i) => f === t.record.editFiles[i].text)) return null;
  return kept !== null && kept !== applied ? { model: best.r.model, accepted, output, kept: true, files } : { model: best.r.model, accepted, output: applied, files };
}

/** The window with the edited region as the person kept it, or null when the region is not inside the window. */
export function keptWindow(rec: TaskRecord, kept: Pick<RetentionRecord, 'region' | 'text'>): string | null {
  const w = splitLines(rec.windowText);
  const start = kept.region.start - rec.window.start + 1;
  const end = kept.region.end - rec.window.start + 1;
  if (start < 1 || end < start - 1 || end > w.count) return null;
  const head = rec.windowText.slice(0, w.starts[start - 1]);
  const tail = rec.windowText.slice(w.starts[end]);
  return head + kept.text + tail;
}

/**
 * The context size that rebuilds the logged window: the prompt builder takes the same
 * number of lines each side of the selection, clipped to the file.
 */
export function contextLinesFor(rec: { window: { start: number; end: number }; ranges: Array<{ start: number; end: number }> }, totalLines: number): number {
  const range = rec.ranges[0];
  if (rec.window.start > 1) return range.start - rec.window.start;
  if (rec.window.end < totalLines) return rec.window.end - range.end;
  return Math.max(SETTING_DEFAULTS.contextWindowLines, range.start - 1, totalLines - range.end);
}

export interface ToEvalSetOptions {
  /** Where to look for the whole file when only a window was logged (it must still have the logged hash). */
  workspaceRoot?: string;
  test?: { command: string; timeoutSeconds: number } | null;
}

/**
 * Why the prompt this task was sent cannot be rebuilt by this version, or null when it can:
 * its template must be one this version has, at this version or an older one it still builds.
 */
export function templateProblem(rec: Pick<TaskRecord, 'promptTemplate'>): string | null {
  const format = formatOfTemplate(rec.promptTemplate.id);
  if (!format) return `prompt template ${rec.promptTemplate.id} is not one this version of Edit Scope knows`;
  const current = templateFor(format, isMultiFileTemplate(rec.promptTemplate.id));
  if (!buildsTemplate(rec.promptTemplate)) return `prompt template ${current.id} v${rec.promptTemplate.version} was used; this version of Edit Scope builds up to v${current.version}`;
  return null;
}

/** The eval-set task for a logged one; check templateProblem first. */
export function toEvalSetTask(t: LoggedTask, opts: ToEvalSetOptions = {}): EvalSetTask {
  const rec = t.record;
  const problem = templateProblem(rec);
  if (problem) throw new Error(`task ${rec.id}: ${problem}`);
  let original: string | null = sha256(rec.windowText) === rec.fileHash ? rec.windowText : null;
  if (original === null && opts.workspaceRoot) original = wholeFileIfUnchanged(opts.workspaceRoot, rec.file, rec.fileHash);
  const totalLines = rec.totalLines ?? (original !== null ? splitLines(original).lines.length : null);
  const format = formatOfTemplate(rec.promptTemplate.id)!;
  const ref = referenceOf(t);
  const reference = ref && { model: ref.model, accepted: ref.accepted, output: ref.output, ...(ref.kept ? { kept: true as const } : {}) };
  return {
    schemaVersion: EVALSET_SCHEMA_VERSION,
    kind: 'evalset-task',
    id: rec.id,
    time: rec.time,
    file: rec.file,
    language: rec.language,
    fileHash: rec.fileHash,
    original,
    totalLines,
    window: rec.window,
    windowText: rec.windowText,
    ranges: rec.ranges,
    instruction: rec.instruction,
    contextFiles: rec.contextFiles,
    dependsOn: rec.dependsOn,
    ...(rec.editFiles?.length ? { editFiles: rec.editFiles.map((f, i) => ({ ...f, reference: ref && ref.files[i] !== f.text ? ref.files[i] : null })) } : {}),
    locality: rec.locality,
    prompt: {
      template: rec.promptTemplate,
      format,
      contextLines: contextLinesFor(rec, totalLines ?? rec.window.end),
    },
    reference,
    graders: { scope: true, style: true, reference: reference !== null, test: opts.test ?? null },
  };
}

function wholeFileIfUnchanged(root: string, file: string, hash: string): string | null {
  if (path.isAbsolute(file) || file.split('/').includes('..')) return null;
  // A regular file inside the workspace by its real path only (the log's paths are not to be trusted); a BOM is part of the logged text.
  const text = readWorkspaceText(root, file);
  return text !== null && sha256(text) === hash ? text : null;
}
