import { InputError } from '../errors';
import { readLog, type LogWarning } from '../log/evalLog';
import { isApplied, type Accepted, type GradeRecord, type TaskRecord } from '../log/records';
import { pairedDifference, type PairedDifference } from '../stats/paired';
import { judge } from './compute';

/** How the two sides are picked: two models, or one model before and since a date. */
export type Sides = { a: string; b: string } | { model: string; before: Date };

/** One figure compared: the paired difference (b − a, its interval, p, detectable difference, n) and which side it favours. */
export interface MetricComparison extends PairedDifference {
  /** The report's (or replay's) field name: outOfScopeRate, styleDriftByRule.quotes, scopeScore, ... */
  name: string;
  lowerIsBetter: boolean;
  /** Which side is better, when the interval excludes 0 and p < 0.05; null for no detectable difference. */
  better: 'a' | 'b' | null;
}

export interface Comparison {
  a: string;
  b: string;
  /** Tasks both sides answered. */
  tasks: number;
  metrics: MetricComparison[];
}

/** What each metric is, how it reads in a sentence, and which way is better. */
interface MetricInfo {
  label: string;
  lowerIsBetter: boolean;
  unit: 'points' | 'ms' | 'usd' | 'hunks' | 'score';
  statistic?: 'median';
}

const STYLE_PREFIX = 'styleDriftByRule.';

export function metricInfo(name: string): MetricInfo {
  if (name.startsWith(STYLE_PREFIX)) return { label: `style (${name.slice(STYLE_PREFIX.length)})`, lowerIsBetter: true, unit: 'points' };
  return METRICS[name] ?? { label: name, lowerIsBetter: false, unit: 'score' };
}

const METRICS: Record<string, MetricInfo> = {
  outOfScopeRate: { label: 'scope', lowerIsBetter: true, unit: 'points' },
  irrelevantEditRate: { label: 'irrelevant edits', lowerIsBetter: true, unit: 'points' },
  outOfScopeHunksPerResult: { label: 'out-of-scope hunks per answer', lowerIsBetter: true, unit: 'hunks' },
  styleDriftRate: { label: 'style', lowerIsBetter: true, unit: 'points' },
  acceptRate: { label: 'acceptance', lowerIsBetter: false, unit: 'points' },
  keptRate: { label: 'lines kept', lowerIsBetter: false, unit: 'points' },
  latencyMsP50: { label: 'latency', lowerIsBetter: true, unit: 'ms', statistic: 'median' },
  costUsd: { label: 'cost per answer', lowerIsBetter: true, unit: 'usd' },
  scopeScore: { label: 'scope (replay)', lowerIsBetter: false, unit: 'points' },
  styleScore: { label: 'style (replay)', lowerIsBetter: false, unit: 'points' },
  referenceScore: { label: 'reference', lowerIsBetter: false, unit: 'points' },
  referenceExactRate: { label: 'exact reference', lowerIsBetter: false, unit: 'points' },
  testPassRate: { label: 'tests', lowerIsBetter: false, unit: 'points' },
  score: { label: 'replay score', lowerIsBetter: false, unit: 'points' },
};

/** The order metrics are listed in: the report's, then each style rule, then the replay's grades. */
const ORDER = ['outOfScopeRate', 'irrelevantEditRate', 'outOfScopeHunksPerResult', 'styleDriftRate', STYLE_PREFIX, 'scopeScore', 'styleScore', 'referenceScore', 'referenceExactRate', 'testPassRate', 'score', 'acceptRate', 'keptRate', 'latencyMsP50', 'costUsd'];
const rank = (name: string) => {
  const i = ORDER.indexOf(name.startsWith(STYLE_PREFIX) ? STYLE_PREFIX : name);
  return i < 0 ? ORDER.length : i;
};

/** One task as both sides saw it: each side's observations of each metric (a task run several times has several). */
type Unit = [Map<string, number[]>, Map<string, number[]>];

/** A task's identity across runs: the same file content, lines and instruction. */
export function taskKey(t: Pick<TaskRecord, 'file' | 'fileHash' | 'ranges' | 'instruction'>): string {
  return `${t.file}\0${t.fileHash}\0${JSON.stringify(t.ranges)}\0${t.instruction}`;
}

export interface CompareOptions {
  /** Only tasks with these identities (an eval set's tasks, by taskKey). */
  only?: ReadonlySet<string>;
  onWarning?: (w: LogWarning) => void;
}

/**
 * Compares two sides on the tasks both answered, from the eval log: its runs, their verdicts
 * and what was kept, and the grades of replays logged there. Each metric is compared on the
 * tasks where both sides have it.
 */
export function compareFromLog(logPath: string, sides: Sides, opts: CompareOptions = {}): Comparison {
  const tasks: TaskRecord[] = [];
  const verdicts = new Map<string, Accepted>();
  const kept = new Map<string, number>();
  const grades = new Map<string, GradeRecord>();
  readLog(logPath, {
    onRecord: (r) => {
      if (r.kind === 'task') tasks.push(r);
      else if (r.kind === 'verdict') verdicts.set(`${r.taskId}\0${r.model}`, r.accepted);
      else if (r.kind === 'retention' && typeof r.kept === 'number' && Number.isFinite(r.kept)) kept.set(`${r.taskId}\0${r.model}`, r.kept);
    },
    onGrade: (g) => grades.set(`${g.taskId}\0${g.model}`, g),
    onWarning: opts.onWarning,
  });
  const [labelA, labelB] = 'model' in sides ? [`${sides.model} before ${day(sides.before)}`, `${sides.model} since ${day(sides.before)}`] : [sides.a, sides.b];
  if (!('model' in sides) && sides.a === sides.b) throw new InputError(`compare needs two different models (got ${sides.a} twice); for one model over time use --before <date>`);
  const sideOf = (t: TaskRecord, model: string): 0 | 1 | null => {
    if ('model' in sides) return model !== sides.model ? null : Date.parse(t.time) < sides.before.getTime() ? 0 : 1;
    return model === sides.a ? 0 : model === sides.b ? 1 : null;
  };

  const units = new Map<string, Unit>();
  for (const t of tasks) {
    const key = taskKey(t);
    if (opts.only && !opts.only.has(key)) continue;
    for (const res of t.results) {
      const side = sideOf(t, res.model);
      if (side === null) continue;
      let unit = units.get(key);
      if (!unit) units.set(key, (unit = [new Map(), new Map()]));
      observeResult(unit[side], t, res, verdicts, kept, grades);
    }
  }
  fillRules(units.values());
  const both = [...units.values()].filter((u) => u[0].size && u[1].size);
  const names = new Set(both.flatMap((u) => [...u[0].keys()].filter((k) => u[1].has(k))));
  const metrics: MetricComparison[] = [];
  for (const name of [...names].sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : 1))) {
    const info = metricInfo(name);
    const a: number[] = [];
    const b: number[] = [];
    for (const u of both) {
      const xa = u[0].get(name);
      const xb = u[1].get(name);
      if (!xa || !xb) continue;
      a.push(mean(xa));
      b.push(mean(xb));
    }
    const d = pairedDifference(a, b, info.statistic ?? 'mean');
    if (!d) continue;
    const significant = d.p < 0.05 && (d.ci[0] > 0 || d.ci[1] < 0);
    const better = !significant ? null : (d.diff < 0) === info.lowerIsBetter ? 'b' : 'a';
    metrics.push({ name, a: d.a, b: d.b, diff: d.diff, ci: d.ci, p: d.p, mde: d.mde, n: d.n, lowerIsBetter: info.lowerIsBetter, better });
  }
  return { a: labelA, b: labelB, tasks: both.length, metrics };
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const day = (d: Date) => d.toISOString().slice(0, 10);

function push(m: Map<string, number[]>, name: string, value: number): void {
  const xs = m.get(name);
  if (xs) xs.push(value);
  else m.set(name, [value]);
}

/** One result's observations, named as the report and replay name their figures. */
function observeResult(m: Map<string, number[]>, t: TaskRecord, res: TaskRecord['results'][number], verdicts: Map<string, Accepted>, kept: Map<string, number>, grades: Map<string, GradeRecord>): void {
  const j = judge(res, false);
  const key = `${t.id}\0${res.model}`;
  if (j.usable) {
    push(m, 'outOfScopeRate', j.outOfScopeHunks > 0 ? 1 : 0);
    push(m, 'irrelevantEditRate', j.irrelevant ? 1 : 0);
    push(m, 'outOfScopeHunksPerResult', j.outOfScopeHunks);
    push(m, 'styleDriftRate', j.rules ? 1 : 0);
    // Every rule is observed on every usable answer (0 when it did not drift), filled in below.
    for (const rule of j.rules ?? []) push(m, STYLE_PREFIX + rule, 1);
    push(m, USABLE, 1);
    if (Number.isFinite(res.latencyMs)) push(m, 'latencyMsP50', res.latencyMs);
  }
  if (typeof res.costUsd === 'number' && Number.isFinite(res.costUsd)) push(m, 'costUsd', res.costUsd);
  const v = verdicts.get(key);
  if (v) {
    push(m, 'acceptRate', isApplied(v) ? 1 : 0);
    if (v === 'reverted') push(m, 'keptRate', 0);
    else if (isApplied(v) && kept.has(key)) push(m, 'keptRate', kept.get(key)!);
  }
  const g = grades.get(key);
  if (g) {
    push(m, 'scopeScore', g.scope);
    push(m, 'styleScore', g.style);
    if (g.reference) {
      push(m, 'referenceScore', g.reference.exact ? 1 : g.reference.similarity);
      push(m, 'referenceExactRate', g.reference.exact ? 1 : 0);
    }
    if (g.test) push(m, 'testPassRate', g.test.passed ? 1 : 0);
    push(m, 'score', g.score);
  }
}

const USABLE = '\0usable';

/** A rule's share is over every usable answer: each side of each task gets a 0 for every usable answer that kept to the rule. */
function fillRules(units: Iterable<Unit>): void {
  const all = [...units];
  const rules = new Set(all.flatMap((u) => u.flatMap((m) => [...m.keys()].filter((k) => k.startsWith(STYLE_PREFIX)))));
  for (const u of all) {
    for (const m of u) {
      const usable = m.get(USABLE)?.length ?? 0;
      if (!usable) continue;
      for (const rule of rules) {
        const ones = m.get(rule)?.length ?? 0;
        m.set(rule, [...Array<number>(ones).fill(1), ...Array<number>(usable - ones).fill(0)]);
      }
      m.delete(USABLE);
    }
  }
}
