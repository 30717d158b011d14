import { STYLE_RULES } from '../analysis/analysisTypes';
import { readLog, type LogWarning } from '../log/evalLog';
import { isApplied, type Accepted, type HunkVerdict, type LogRecord, type ResultRecord, type RetentionRecord, type TaskRecord } from '../log/records';
import { percentileInterval, Sample, type Interval } from '../stats/interval';

/**
 * The numbers for one model over a set of its results (all of them, one locality, one week).
 * Rates are shares of the results they can be measured on and `null` when there is none:
 * scope and style only on usable results (`ok`), accept rate only on results with a verdict.
 */
export interface Stats {
  /** Results: tasks the model was sent. */
  tasks: number;
  /** Results with a usable edit. */
  ok: number;
  /** Share of usable results with at least one out-of-scope hunk. */
  outOfScopeRate: number | null;
  /**
   * The irrelevant-edit rate: share of usable results with at least one hunk the task did not
   * need (scope `out`). Supporting hunks do not count; a supporting test counts only when the
   * report was asked to count tests (Report.testsIrrelevant).
   */
  irrelevantEditRate: number | null;
  /** Share of usable results with at least one style finding. */
  styleDriftRate: number | null;
  /** Share of judged results accepted whole, in-scope only or hunk by hunk (the latest verdict counts; an undone apply is not accepted). */
  acceptRate: number | null;
  /**
   * Share of applied lines the person kept: per applied result, its latest retention
   * measurement (0 when the apply was undone), averaged over the results measured.
   */
  keptRate: number | null;
  /** Applied results with a retention measurement (or undone), the base of keptRate. */
  keptMeasured: number;
  /** The same share at each checkpoint (`save`, `2min`, `10min`, `commit`, `cli`), over the results measured there. */
  keptByCheckpoint: Record<string, number>;
  /** Latency of usable results, nearest-rank percentiles, in ms. */
  latencyMsP50: number | null;
  latencyMsP95: number | null;
  /** Results that failed, by error kind. */
  errors: Record<string, number>;
  /** Out-of-scope hunks per usable result. */
  outOfScopeHunksPerResult: number | null;
  /** Per style rule seen: share of usable results with at least one finding of that rule. */
  styleDriftByRule: Record<string, number>;
  /** Latest verdict per judged result (`picked`: only the hunks ticked in the editor's review). */
  verdicts: { all: number; inScope: number; picked: number; none: number; reverted: number };
  /**
   * Share of hunks accepted, over the hunks of results whose latest verdict was given hunk by
   * hunk (verdicts written before per-hunk review say nothing of single hunks, and are left out);
   * `n.hunkAcceptRate` is the number of hunks judged.
   */
  hunkAcceptRate: number | null;
  /** Summed over the results that reported usage. */
  inputTokens: number;
  outputTokens: number;
  /** Summed over the results that have a cost; null when none has. */
  costUsd: number | null;
  /**
   * The 95% interval of every rate and score above, by field name (a rule or checkpoint as
   * `styleDriftByRule.<rule>`, `keptByCheckpoint.<checkpoint>`); null where the figure is.
   * Results from one file are one cluster (docs/statistics.md).
   */
  ci: Record<string, Interval | null>;
  /** How many results each of those figures rests on. */
  n: Record<string, number>;
}


/** Cross-file results, and the same split by whether the model was shown the files the selection depends on. */
export interface CrossFileStats extends Stats {
  withContext: Stats;
  withoutContext: Stats;
}

export interface ModelReport extends Stats {
  model: string;
  byLocality: { local: Stats; 'cross-file': CrossFileStats; 'multi-file': Stats };
  /** By ISO week (`2026-W48`) of the task time, oldest first. */
  byWeek: Record<string, Stats>;
}

export interface Report {
  models: ModelReport[];
  /** Distinct tasks in the log. */
  tasks: number;
  /** Verdicts naming a task and model in the log. */
  verdicts: number;
  /** Verdicts naming a task or model not in the log (ignored). */
  unmatchedVerdicts: number;
  /** The first and last task time, or null for an empty log. */
  from: string | null;
  to: string | null;
  skippedLines: number;
  /** Whether a supporting test hunk made a result count as irrelevant (`--count-tests`). */
  testsIrrelevant: boolean;
  generatedAt: string;
}

export interface ReportOptions {
  /** Count a supporting test (a test of the changed code in another file) as an irrelevant edit. */
  countTests?: boolean;
}

/**
 * Which results are not independent of each other: those of tasks on one file, and, finer,
 * those of one task run again (same file content, lines and instruction).
 */
interface Cluster {
  file: number;
  task: number;
}

/** What a result counts for: whether it is usable, its out-of-scope hunks, whether it made an irrelevant edit, and the style rules it broke (null for none). */
export interface Judged {
  usable: boolean;
  outOfScopeHunks: number;
  irrelevant: boolean;
  rules: readonly string[] | null;
}

type LoggedHunk = { scope: string; reason?: string; link?: { kind?: string } };
const isTest = (h: LoggedHunk) => h.scope === 'supporting' && (h.link?.kind === 'test' || h.reason === 'test');

/** A multi-file result is judged on all its files: a hunk out of scope anywhere counts. */
export function judge(res: ResultRecord, countTests: boolean): Judged {
  const a = res.analysis;
  const usable = res.ok && a !== null && a !== undefined;
  const others = usable && Array.isArray(res.files) ? res.files : null;
  let outOfScopeHunks = usable ? a.outOfScopeHunks : 0;
  let drift = usable ? a.styleDrift : null;
  let tests = countTests && usable && (a.hunks as LoggedHunk[]).some(isTest);
  if (others) {
    for (const f of others) {
      outOfScopeHunks += f.analysis?.outOfScopeHunks ?? 0;
      tests ||= countTests && ((f.analysis?.hunks ?? []) as LoggedHunk[]).some(isTest);
    }
    drift = [...(drift ?? []), ...others.flatMap((f) => f.analysis?.styleDrift ?? [])];
  }
  let rules: readonly string[] | null = null;
  if (drift && drift.length) rules = ruleSet(drift.length === 1 ? [drift[0].rule] : [...new Set(drift.map((f) => f.rule))]);
  return { usable, outOfScopeHunks, irrelevant: usable && (outOfScopeHunks > 0 || tests), rules };
}

/**
 * One shared array per set of rules seen: a report keeps each usable result's rules in every
 * slice it counts in, and a fresh array (with fresh strings from the parse) per result was most
 * of what a large log's tallies held, and what the young-generation collections kept copying.
 */
const ruleSets = new Map<string, readonly string[]>();
function ruleSet(rules: string[]): readonly string[] {
  const key = rules.join('\0');
  let set = ruleSets.get(key);
  if (!set) ruleSets.set(key, (set = Object.freeze(rules)));
  return set;
}

/**
 * The figures measured on every usable result, each from the result's judgement. A figure
 * listed here gets its value, its interval and its n in every slice of the report.
 */
const OK_FIGURES: ReadonlyArray<{ field: 'outOfScopeRate' | 'irrelevantEditRate' | 'outOfScopeHunksPerResult' | 'styleDriftRate'; value: (j: Judged) => number; bounds?: Interval }> = [
  { field: 'outOfScopeRate', value: (j) => (j.outOfScopeHunks > 0 ? 1 : 0) },
  { field: 'irrelevantEditRate', value: (j) => (j.irrelevant ? 1 : 0) },
  { field: 'outOfScopeHunksPerResult', value: (j) => j.outOfScopeHunks, bounds: [0, Infinity] },
  { field: 'styleDriftRate', value: (j) => (j.rules ? 1 : 0) },
];

/**
 * A model's usable results, one entry each: its file and task cluster, each of OK_FIGURES, the
 * style rules it broke and its latency. Every slice the result counts in (all, its locality,
 * its week) points at the entry rather than copying it: on a large log the copies were most of
 * what the report held, and of what the young-generation collections moved.
 */
class UsableResults {
  fileCluster: number[] = [];
  taskCluster: number[] = [];
  figures: number[][] = OK_FIGURES.map(() => []);
  rules: Array<readonly string[] | null> = [];
  latency: number[] = [];

  get length(): number {
    return this.fileCluster.length;
  }

  /** The entry's index. */
  add(res: ResultRecord, judged: Judged, cluster: Cluster): number {
    this.fileCluster.push(cluster.file);
    this.taskCluster.push(cluster.task);
    for (let f = 0; f < OK_FIGURES.length; f++) this.figures[f].push(OK_FIGURES[f].value(judged));
    this.rules.push(judged.rules);
    this.latency.push(res.latencyMs);
    return this.length - 1;
  }

  /** The entries at `indexes`, column by column (this itself when they are all of them, in order). */
  select(indexes: readonly number[]): UsableColumns {
    if (indexes.length === this.length) return this;
    const pick = <T>(column: readonly T[]) => indexes.map((i) => column[i]);
    return { length: indexes.length, fileCluster: pick(this.fileCluster), taskCluster: pick(this.taskCluster), figures: this.figures.map(pick), rules: pick(this.rules), latency: pick(this.latency) };
  }
}

/** Some of a model's usable results, column by column. */
type UsableColumns = Omit<UsableResults, 'add' | 'select'>;

class ModelTally {
  tasks = 0;
  ok = 0;
  /** Where this slice's usable results are among the model's. */
  private usableIndexes: number[] = [];
  /** The observations behind the figures of judged results (acceptRate, keptRate, each checkpoint), by field name. */
  samples = new Map<string, Sample>();
  errors = new Map<string, number>();
  inputTokens = 0;
  outputTokens = 0;
  cost = 0;
  costedResults = 0;
  verdictsAll = 0;
  verdictsInScope = 0;
  verdictsPicked = 0;
  verdictsNone = 0;
  verdictsReverted = 0;

  constructor(private readonly usable: UsableResults) {}

  observe(field: string, value: number, cluster: Cluster, bounds?: Interval | null): void {
    let s = this.samples.get(field);
    if (!s) this.samples.set(field, (s = new Sample(bounds)));
    s.add(value, cluster.file, cluster.task);
  }

  /** One result: usable (`usableIndex`: its entry among the model's usable results) or failed (by kind), its tokens and cost. */
  result(res: ResultRecord, usableIndex: number | null): void {
    this.tasks++;
    if (usableIndex !== null) {
      this.ok++;
      this.usableIndexes.push(usableIndex);
    } else {
      const kind = res.error?.kind ?? 'no-output';
      this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
    }
    if (res.usage) {
      this.inputTokens += res.usage.inputTokens;
      this.outputTokens += res.usage.outputTokens;
    }
    if (typeof res.costUsd === 'number') {
      this.cost += res.costUsd;
      this.costedResults++;
    }
  }

  verdict(a: Accepted, cluster: Cluster, hunks?: readonly HunkVerdict[]): void {
    this.observe('acceptRate', isApplied(a) ? 1 : 0, cluster);
    // Each hunk judged is one observation, clustered with its result's task.
    if (hunks) {
      for (const h of hunks) this.observe('hunkAcceptRate', h.accepted ? 1 : 0, cluster);
    }
    if (a === 'all') this.verdictsAll++;
    else if (a === 'in-scope') this.verdictsInScope++;
    else if (a === 'picked') this.verdictsPicked++;
    else if (a === 'reverted') this.verdictsReverted++;
    else this.verdictsNone++;
  }

  kept(share: number, checkpoints: ReadonlyMap<string, number>, cluster: Cluster): void {
    this.observe('keptRate', share, cluster);
    for (const [c, x] of checkpoints) this.observe(`keptByCheckpoint.${c}`, x, cluster);
  }

  stats(): Stats {
    const ci: Record<string, Interval | null> = {};
    const n: Record<string, number> = {};
    const rate = (field: string, s = this.samples.get(field)): number | null => {
      ci[field] = s?.interval() ?? null;
      n[field] = s?.n ?? 0;
      return s?.mean() ?? null;
    };
    const usable = this.usable.select(this.usableIndexes);
    const sorted = Float64Array.from(usable.latency).sort();
    const latency = (field: string, p: number) => {
      ci[field] = percentileInterval(sorted, p);
      n[field] = sorted.length;
      return percentile(sorted, p);
    };
    const stats: Stats = {
      tasks: this.tasks,
      ok: this.ok,
      outOfScopeRate: null,
      styleDriftRate: null,
      acceptRate: rate('acceptRate'),
      latencyMsP50: latency('latencyMsP50', 50),
      latencyMsP95: latency('latencyMsP95', 95),
      errors: Object.fromEntries([...this.errors].sort((a, b) => b[1] - a[1])),
      outOfScopeHunksPerResult: null,
      styleDriftByRule: byRule(usable, ci, n),
      verdicts: { all: this.verdictsAll, inScope: this.verdictsInScope, picked: this.verdictsPicked, none: this.verdictsNone, reverted: this.verdictsReverted },
      hunkAcceptRate: rate('hunkAcceptRate'),
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      costUsd: this.costedResults > 0 ? this.cost : null,
      keptRate: rate('keptRate'),
      keptMeasured: this.samples.get('keptRate')?.n ?? 0,
      irrelevantEditRate: null,
      keptByCheckpoint: {},
      ci,
      n,
    };
    OK_FIGURES.forEach((f, i) => (stats[f.field] = rate(f.field, new Sample(f.bounds ?? [0, 1], usable.figures[i], usable.fileCluster, usable.taskCluster))));
    const checkpoints = [...this.samples.keys()].filter((k) => k.startsWith('keptByCheckpoint.')).map((k) => k.slice('keptByCheckpoint.'.length));
    for (const c of checkpoints.sort((a, b) => checkpointOrder(a) - checkpointOrder(b))) stats.keptByCheckpoint[c] = rate(`keptByCheckpoint.${c}`)!;
    return stats;
  }

}

/** Each rule's share of the usable results, in the order of STYLE_RULES, with its interval. */
function byRule(usable: UsableColumns, ci: Record<string, Interval | null>, n: Record<string, number>): Record<string, number> {
  const rules = new Set<string>();
  for (const set of new Set(usable.rules)) for (const rule of set ?? []) rules.add(rule);
  const byRule: Record<string, number> = {};
  const order = (r: string) => ((STYLE_RULES as readonly string[]).indexOf(r) + 1 || 99);
  for (const rule of [...rules].sort((a, b) => order(a) - order(b))) {
    const s = new Sample([0, 1], usable.rules.map((r) => (r?.includes(rule) ? 1 : 0)), usable.fileCluster, usable.taskCluster);
    byRule[rule] = s.mean()!;
    ci[`styleDriftByRule.${rule}`] = s.interval();
    n[`styleDriftByRule.${rule}`] = s.n;
  }
  return byRule;
}

/** Save, then the timed checkpoints by their minutes, then commit, then anything else. */
function checkpointOrder(c: string): number {
  if (c === 'save') return 0;
  const min = /^(\d+(?:\.\d+)?)min$/.exec(c);
  if (min) return 1 + Number(min[1]);
  return c === 'commit' ? 1e9 : 2e9;
}

/** Nearest rank: the smallest value with at least p% of the values at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** `2026-W48`: the ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(time: string): string {
  const d = new Date(time);
  if (Number.isNaN(d.getTime())) return 'unknown';
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / 86_400_000 / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

interface ModelTallies {
  /** The model's name as first read: kept once, not once per task that names it. */
  name: string;
  usable: UsableResults;
  all: ModelTally;
  local: ModelTally;
  cross: ModelTally;
  crossWith: ModelTally;
  crossWithout: ModelTally;
  multi: ModelTally;
  weeks: Map<string, ModelTally>;
}

type Place = 'local' | 'cross-with' | 'cross-without' | 'multi';

/**
 * Where a task's results count. A cross-file task had its context when every file it
 * depends on was among the files shown; a version-1 record (no dependsOn) was cross-file
 * exactly when context files were attached.
 */
export function placeOf(t: Pick<TaskRecord, 'locality' | 'dependsOn' | 'contextFiles'>): Place {
  if (t.locality === 'multi-file') return 'multi';
  if (t.locality !== 'cross-file') return 'local';
  const shown = new Set((t.contextFiles ?? []).map((c) => c.path));
  const deps = t.dependsOn ?? [];
  const provided = deps.length ? deps.every((d) => shown.has(d.file)) : shown.size > 0;
  return provided ? 'cross-with' : 'cross-without';
}

function talliesOf(m: ModelTallies, place: Place): ModelTally[] {
  if (place === 'local') return [m.local];
  if (place === 'multi') return [m.multi];
  return [m.cross, place === 'cross-with' ? m.crossWith : m.crossWithout];
}

/**
 * Builds the report one record at a time, so a log of any size streams through it. Verdicts
 * may come in any order relative to their task; the latest verdict for a result counts.
 */
export class ReportBuilder {
  private readonly models = new Map<string, ModelTallies>();
  /** Task id → what a verdict on one of its results needs to find that result's accumulators. */
  private readonly tasks = new Map<string, { week: string; place: Place; models: string[]; cluster: Cluster }>();
  /** File → its cluster number, and its tasks' content → theirs (numbers from one dense count). */
  private readonly clusters = new Map<string, { file: number; tasks: Map<string, number> }>();
  private clusterCount = 0;
  /** `taskId \0 model` → the latest verdict. */
  private readonly verdicts = new Map<string, { taskId: string; model: string; accepted: Accepted; hunks?: HunkVerdict[] }>();
  /** `taskId \0 model` → the latest retention share, overall and per checkpoint. */
  private readonly retention = new Map<string, { latest: number; checkpoints: Map<string, number> }>();
  private readonly weekOfDay = new Map<string, string>();
  private taskCount = 0;
  private from: string | null = null;
  private to: string | null = null;
  skippedLines = 0;

  constructor(private readonly opts: ReportOptions = {}) {}

  add(r: LogRecord): void {
    if (r.kind === 'verdict') this.verdicts.set(`${r.taskId}\0${r.model}`, { taskId: r.taskId, model: r.model, accepted: r.accepted, hunks: r.hunks });
    else if (r.kind === 'retention') this.addRetention(r);
    else this.addTask(r);
  }

  private addRetention(r: RetentionRecord): void {
    if (typeof r.kept !== 'number' || !Number.isFinite(r.kept)) return;
    const key = `${r.taskId}\0${r.model}`;
    let k = this.retention.get(key);
    if (!k) this.retention.set(key, (k = { latest: r.kept, checkpoints: new Map() }));
    k.latest = r.kept;
    k.checkpoints.set(r.checkpoint, r.kept);
  }

  private addTask(t: TaskRecord): void {
    this.taskCount++;
    const time = typeof t.time === 'string' ? t.time : '';
    if (time) {
      if (this.from === null || time < this.from) this.from = time;
      if (this.to === null || time > this.to) this.to = time;
    }
    const week = this.weekOf(time);
    const place = placeOf(t);
    const models: string[] = new Array(t.results.length);
    const cluster = this.clusterOf(t);
    this.tasks.set(t.id, { week, place, models, cluster });
    for (let i = 0; i < t.results.length; i++) {
      const res = t.results[i];
      const m = this.modelTallies(res.model);
      models[i] = m.name;
      let w = m.weeks.get(week);
      if (!w) {
        w = new ModelTally(m.usable);
        m.weeks.set(week, w);
      }
      const judged = judge(res, this.opts.countTests === true);
      const usableIndex = judged.usable ? m.usable.add(res, judged, cluster) : null;
      m.all.result(res, usableIndex);
      for (const tally of talliesOf(m, place)) tally.result(res, usableIndex);
      w.result(res, usableIndex);
    }
  }

  /** Tasks on one file share a file cluster; runs of one task (same file content, lines and instruction) a task cluster. */
  private clusterOf(t: TaskRecord): Cluster {
    const file = typeof t.file === 'string' && t.file ? t.file : `\0${t.id}`;
    let runs = this.clusters.get(file);
    if (!runs) this.clusters.set(file, (runs = { file: this.clusterCount++, tasks: new Map() }));
    // The file is the outer key, so the inner one need not repeat it.
    const key = `${t.fileHash}\0${t.ranges.map((r) => `${r.start}-${r.end}`).join(',')}\0${t.instruction}`;
    let task = runs.tasks.get(key);
    if (task === undefined) runs.tasks.set(key, (task = this.clusterCount++));
    return { file: runs.file, task };
  }

  /** The ISO week of a record's time, worked out once per day seen. */
  private weekOf(time: string): string {
    const day = time.slice(0, 10);
    let week = this.weekOfDay.get(day);
    if (week === undefined) {
      week = isoWeek(time);
      this.weekOfDay.set(day, week);
    }
    return week;
  }

  private modelTallies(model: string): ModelTallies {
    let m = this.models.get(model);
    if (!m) {
      const usable = new UsableResults();
      const tally = () => new ModelTally(usable);
      m = { name: model, usable, all: tally(), local: tally(), cross: tally(), crossWith: tally(), crossWithout: tally(), multi: tally(), weeks: new Map() };
      this.models.set(model, m);
    }
    return m;
  }

  build(): Report {
    let matched = 0;
    let unmatched = 0;
    for (const v of this.verdicts.values()) {
      const t = this.tasks.get(v.taskId);
      const m = t && t.models.includes(v.model) ? this.models.get(v.model) : undefined;
      if (!t || !m) {
        unmatched++;
        continue;
      }
      matched++;
      const tallies = [m.all, ...talliesOf(m, t.place), m.weeks.get(t.week)!];
      for (const tally of tallies) tally.verdict(v.accepted, t.cluster, v.hunks);
      // An undone apply kept nothing; an applied one counts once it has been measured.
      const kept = this.retention.get(`${v.taskId}\0${v.model}`);
      if (v.accepted === 'reverted') for (const tally of tallies) tally.kept(0, kept?.checkpoints ?? new Map(), t.cluster);
      else if (isApplied(v.accepted) && kept) for (const tally of tallies) tally.kept(kept.latest, kept.checkpoints, t.cluster);
    }
    const models: ModelReport[] = [];
    for (const [model, m] of this.models) {
      const all = m.all.stats();
      models.push({
        model,
        ...all,
        byLocality: {
          local: m.local.stats(),
          'cross-file': { ...m.cross.stats(), withContext: m.crossWith.stats(), withoutContext: m.crossWithout.stats() },
          'multi-file': m.multi.stats(),
        },
        byWeek: Object.fromEntries([...m.weeks].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([week, tally]) => [week, tally.stats()])),
      });
    }
    models.sort((a, b) => b.tasks - a.tasks || (a.model < b.model ? -1 : 1));
    return {
      models,
      tasks: this.taskCount,
      verdicts: matched,
      unmatchedVerdicts: unmatched,
      from: this.from,
      to: this.to,
      skippedLines: this.skippedLines,
      testsIrrelevant: this.opts.countTests === true,
      generatedAt: new Date().toISOString(),
    };
  }
}

/** The locality rows of a model's report that have results, labelled as the text and HTML reports show them. */
export function localityRows(m: ModelReport): Array<[string, Stats]> {
  const cross = m.byLocality['cross-file'];
  const rows: Array<[string, Stats]> = [
    ['local', m.byLocality.local],
    ['cross-file', cross],
    ['  context sent', cross.withContext],
    ['  context not sent', cross.withoutContext],
    ['multi-file', m.byLocality['multi-file']],
  ];
  return rows.filter(([, s]) => s.tasks > 0);
}

export function buildReport(records: Iterable<LogRecord>, opts: ReportOptions = {}): Report {
  const b = new ReportBuilder(opts);
  for (const r of records) b.add(r);
  return b.build();
}

/** Reads the log and builds its report, skipping damaged lines (each one reported through onWarning). */
export function reportFromLog(logPath: string, opts: ReportOptions & { onWarning?: (w: LogWarning) => void } = {}): Report {
  const b = new ReportBuilder(opts);
  readLog(logPath, {
    onRecord: (r) => b.add(r),
    onWarning: (w) => {
      b.skippedLines++;
      opts.onWarning?.(w);
    },
  });
  return b.build();
}
