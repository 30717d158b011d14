import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LineRange } from '../analysis/analysisTypes';
import { readLog } from '../log/evalLog';
import { isApplied, type Accepted, type GradeRecord, type TaskRecord } from '../log/records';
import { judge } from '../report/compute';
import { pctWhole } from '../report/format';
import type { EvalSetTask } from './evalSetTask';
import { taskHash } from './replayEvalSet';
import { plural } from '../text/plural';

/** A set is past its shelf life when its median task is older than this... */
export const SHELF_LIFE_DAYS = 90;
/** ...or when more than this share of its tasks is saturated. */
export const SATURATED_SHARE = 0.5;
/** A model passes a task when its grade's score is at least this: every grader passed, a reference matched at least closely. */
export const PASS_SCORE = 0.9;
/** The last runs: models whose latest grade on the set is at most this many days older than the newest grade. */
export const LAST_RUNS_DAYS = 90;

const DAY_MS = 86_400_000;

/** What staleness needs of a task, logged or exported: its file, and the lines it was about as they were. */
export type RegionTask = Pick<TaskRecord, 'file' | 'window' | 'windowText' | 'ranges'>;

const norm = (line: string) => line.replace(/\s+$/, '');

/** The task's lines as recorded (its first range), from the window text sent. */
function recordedRegion(t: RegionTask): string[] {
  const lines = t.windowText.replace(/\r\n?/g, '\n').split('\n');
  const r: LineRange | undefined = t.ranges[0];
  if (!r) return [];
  return lines.slice(r.start - t.window.start, r.end - t.window.start + 1).map(norm);
}

/**
 * Why the task's recorded region no longer exists in the workspace, or null while it does:
 * the file is gone, or its recorded lines are neither there as a block (wherever it moved)
 * nor mostly there one by one (a region lightly edited since is still the task).
 */
export function staleReason(t: RegionTask, workspaceRoot: string): string | null {
  const file = path.resolve(workspaceRoot, t.file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return `${t.file} no longer exists`;
  }
  const region = recordedRegion(t);
  const meaningful = region.filter((l) => l.trim());
  if (!meaningful.length) return null;
  const now = text.replace(/\r\n?/g, '\n').split('\n').map(norm);
  if (containsBlock(now, region)) return null;
  const present = new Set(now.map((l) => l.trim()));
  const found = meaningful.filter((l) => present.has(l.trim())).length;
  if (found * 2 >= meaningful.length) return null;
  return `${meaningful.length - found} of the ${meaningful.length} lines it was about are no longer in ${t.file}`;
}

function containsBlock(lines: readonly string[], block: readonly string[]): boolean {
  outer: for (let i = 0; i + block.length <= lines.length; i++) {
    for (let j = 0; j < block.length; j++) if (lines[i + j] !== block[j]) continue outer;
    return true;
  }
  return false;
}

/** Set task id → model → its latest grade. */
export type GradeIndex = Map<string, Map<string, GradeRecord>>;

/**
 * Whether a grade in the log grades this very task: the same content (taskHash), or, for a
 * grade without one, the same id.
 */
function gradesThis(g: GradeRecord, hashes: ReadonlyMap<string, string | null>): boolean {
  if (!hashes.has(g.setTaskId)) return false;
  const h = hashes.get(g.setTaskId);
  return g.taskHash === undefined || h === null || g.taskHash === h;
}

/** A grade into the index, unless the index holds a later one of the same task and model. */
function keepLatest(index: GradeIndex, g: GradeRecord): void {
  let m = index.get(g.setTaskId);
  if (!m) index.set(g.setTaskId, (m = new Map()));
  const before = m.get(g.model);
  if (!before || !(Date.parse(before.time) > Date.parse(g.time))) m.set(g.model, g);
}

/** Which models of the last runs passed each task: models whose latest grade on the set is recent (LAST_RUNS_DAYS of the newest). */
export function lastRuns(index: GradeIndex): { models: string[]; passes: (taskId: string) => Map<string, boolean> } {
  const latest = new Map<string, number>();
  for (const byModel of index.values()) for (const [m, g] of byModel) latest.set(m, Math.max(latest.get(m) ?? 0, Date.parse(g.time) || 0));
  const newest = Math.max(0, ...latest.values());
  const models = [...latest].filter(([, t]) => newest - t <= LAST_RUNS_DAYS * DAY_MS).map(([m]) => m).sort();
  const passes = (taskId: string) => {
    const out = new Map<string, boolean>();
    for (const m of models) {
      const g = index.get(taskId)?.get(m);
      if (g) out.set(m, g.ok !== false && g.score >= PASS_SCORE);
    }
    return out;
  };
  return { models, passes };
}

/** Saturated: every model of the last runs graded the task and passed it. */
export function isSaturated(models: readonly string[], passes: ReadonlyMap<string, boolean>): boolean {
  return models.length > 0 && models.every((m) => passes.get(m) === true);
}

export interface Dispute {
  model: string;
  verdict: Accepted;
  /** What the grader said of the answer. */
  grader: 'pass' | 'fail';
  why: string;
}

/**
 * Where the grader and the person disagree on a logged result: the person kept the whole
 * edit but the grader failed it (out-of-scope hunks or style drift), or the grader passed it
 * and the person rejected or undid it. Likely misgraded, or an ambiguous task.
 */
export function disputes(t: TaskRecord, verdicts: ReadonlyMap<string, { accepted: Accepted; kept?: number }>): Dispute[] {
  const out: Dispute[] = [];
  for (const r of t.results) {
    const v = verdicts.get(r.model);
    if (!v) continue;
    const j = judge(r, false);
    if (!j.usable) continue;
    const failed = j.outOfScopeHunks > 0 || j.rules !== null;
    const kept = v.accepted === 'all' && (v.kept === undefined || v.kept > 0);
    const rejected = v.accepted === 'none' || v.accepted === 'reverted' || (isApplied(v.accepted) && v.kept === 0);
    if (kept && failed) out.push({ model: r.model, verdict: v.accepted, grader: 'fail', why: `kept whole, but the grader failed it (${[j.outOfScopeHunks ? `${plural(j.outOfScopeHunks, 'out-of-scope hunk')}` : '', j.rules ? `style: ${j.rules.join(', ')}` : ''].filter(Boolean).join('; ')})` });
    else if (rejected && !failed) out.push({ model: r.model, verdict: v.accepted, grader: 'pass', why: `${v.accepted === 'none' ? 'rejected' : v.accepted === 'reverted' ? 'undone' : 'applied, then all of it removed'}, but the grader passed it` });
  }
  return out;
}

export interface TaskHealth {
  id: string;
  file: string;
  time: string;
  /** Days since the task was recorded. */
  ageDays: number | null;
  /** Why the recorded region no longer exists in the workspace, or null. */
  stale: string | null;
  /** Each model of the last runs that graded the task: whether it passed. */
  passes: Record<string, boolean>;
  saturated: boolean;
  /** Some model of the last runs passed it and another failed it. */
  separates: boolean;
  disputes: Dispute[];
}

export interface SetHealth {
  tasks: number;
  medianAgeDays: number | null;
  /** The models of the last runs (those whose latest grade on the set is recent). */
  models: string[];
  stale: number;
  saturated: number;
  saturatedShare: number;
  separating: number;
  disputed: number;
  pastShelfLife: boolean;
  /** Why it is past its shelf life (empty when it is not). */
  reasons: string[];
  /** Tasks in the log newer than the set's newest (replays aside), and that time. */
  newerTasks: number;
  newestTask: string | null;
  /** One line for people: the state of the set and what to do about it. */
  summary: string;
  taskHealth: TaskHealth[];
}

export interface HealthOptions {
  /** The eval log: grades (saturation), verdicts (disputes) and newer tasks. Left out: none of those. */
  logPath?: string;
  /** Where the tasks' files are now. */
  workspaceRoot: string;
  now?: Date;
}

const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** The health of an eval set: age, staleness, saturation, separation and disputes per task, and the set's shelf life. */
export function evalSetHealth(set: readonly EvalSetTask[], opts: HealthOptions): SetHealth {
  const now = (opts.now ?? new Date()).getTime();
  const ids = new Set(set.map((t) => t.id));
  const hashes = new Map(set.map((t) => [t.id, taskHash(t)]));
  const grades: GradeIndex = new Map();
  const logged = new Map<string, TaskRecord>();
  const verdicts = new Map<string, Map<string, { accepted: Accepted; kept?: number }>>();
  const newestSet = set.reduce<string | null>((a, t) => (a === null || t.time > a ? t.time : a), null);
  const laterTasks: string[] = [];
  if (opts.logPath && fs.existsSync(opts.logPath)) {
    readLog(opts.logPath, {
      onWarning: () => {},
      onRecord: (r) => {
        if (r.kind === 'task') {
          if (ids.has(r.id)) logged.set(r.id, r);
          else if (r.source !== 'replay' && newestSet !== null && Date.parse(r.time) > Date.parse(newestSet)) laterTasks.push(r.id);
          return;
        }
        if (!ids.has(r.taskId)) return;
        let m = verdicts.get(r.taskId);
        if (!m) verdicts.set(r.taskId, (m = new Map()));
        if (r.kind === 'verdict') m.set(r.model, { accepted: r.accepted, kept: m.get(r.model)?.kept });
        else if (typeof r.kept === 'number') m.set(r.model, { accepted: m.get(r.model)?.accepted ?? 'all', kept: r.kept });
      },
      onGrade: (g) => {
        if (gradesThis(g, hashes)) keepLatest(grades, g);
      },
    });
  }
  const runs = lastRuns(grades);
  const taskHealth = set.map((t): TaskHealth => {
    const passes = runs.passes(t.id);
    const outcomes = [...passes.values()];
    const record = logged.get(t.id);
    const age = Date.parse(t.time);
    return {
      id: t.id,
      file: t.file,
      time: t.time,
      ageDays: Number.isNaN(age) ? null : Math.max(0, Math.floor((now - age) / DAY_MS)),
      stale: staleReason(t, opts.workspaceRoot),
      passes: Object.fromEntries(passes),
      saturated: isSaturated(runs.models, passes),
      separates: outcomes.includes(true) && outcomes.includes(false),
      disputes: record ? disputes(record, verdicts.get(t.id) ?? new Map()) : [],
    };
  });
  const count = (f: (h: TaskHealth) => boolean) => taskHealth.filter(f).length;
  const saturated = count((h) => h.saturated);
  const saturatedShare = set.length ? saturated / set.length : 0;
  const medianAgeDays = median(taskHealth.flatMap((h) => (h.ageDays === null ? [] : [h.ageDays])));
  const reasons: string[] = [];
  if (medianAgeDays !== null && medianAgeDays > SHELF_LIFE_DAYS) reasons.push(`its median task is ${medianAgeDays} days old (over ${SHELF_LIFE_DAYS})`);
  if (saturatedShare > SATURATED_SHARE) reasons.push(`${pctWhole(saturatedShare)} of its tasks are saturated (every model of the last runs passes them)`);
  const health: SetHealth = {
    tasks: set.length,
    medianAgeDays,
    models: runs.models,
    stale: count((h) => h.stale !== null),
    saturated,
    saturatedShare,
    separating: count((h) => h.separates),
    disputed: count((h) => h.disputes.length > 0),
    pastShelfLife: reasons.length > 0,
    reasons,
    newerTasks: laterTasks.length,
    newestTask: newestSet,
    summary: '',
    taskHealth,
  };
  health.summary = summaryLine(health);
  return health;
}

function summaryLine(h: SetHealth): string {
  const newer = h.newestTask === null ? '' : `; the log holds ${plural(h.newerTasks, 'task')} newer than the set's newest (${h.newestTask.slice(0, 10)})`;
  const renew = h.newerTasks && h.newestTask ? `: editscope export --to evalset --since ${h.newestTask} --exclude saturated,stale` : '';
  if (h.pastShelfLife) return `Past its shelf life: ${h.reasons.join(', and ')}${newer}${renew}.`;
  return `Within its shelf life (median age ${h.medianAgeDays ?? '—'} days, ${pctWhole(h.saturatedShare)} saturated)${newer}.`;
}

export const EXCLUSIONS = ['saturated', 'stale'] as const;
export type Exclusion = (typeof EXCLUSIONS)[number];

/**
 * For an export that leaves out saturated or stale tasks: which of the two, if either, a
 * logged task is. Saturation is read from the grades in the log (a logged task's id is the
 * id of the set task exported from it); staleness from the workspace.
 */
export function exclusionOf(logPath: string, kinds: readonly Exclusion[], workspaceRoot: string): (r: RegionTask & { id: string }) => Exclusion | null {
  const grades: GradeIndex = new Map();
  if (kinds.includes('saturated')) {
    readLog(logPath, {
      onWarning: () => {},
      onRecord: () => {},
      onGrade: (g) => keepLatest(grades, g),
    });
  }
  const runs = lastRuns(grades);
  return (r) => {
    if (kinds.includes('saturated') && isSaturated(runs.models, runs.passes(r.id))) return 'saturated';
    if (kinds.includes('stale') && staleReason(r, workspaceRoot) !== null) return 'stale';
    return null;
  };
}
