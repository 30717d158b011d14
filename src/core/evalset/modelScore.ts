import type { GradeRecord } from '../log/records';
import { Sample, type Interval } from '../stats/interval';
import type { EvalSetTask } from './evalSetTask';

/** The sub-scores of a replay, each a mean over the tasks it applies to. */
export const SCORE_PARTS = ['scopeScore', 'styleScore', 'referenceScore', 'referenceExactRate', 'testPassRate', 'irrelevantEditRate'] as const;
export type ScorePart = (typeof SCORE_PARTS)[number];
/** The parts the overall score averages (the exact-match rate is a view of the reference score). */
const SCORED: readonly ScorePart[] = ['scopeScore', 'styleScore', 'referenceScore', 'testPassRate'];

export interface ModelScore {
  model: string;
  /** Set tasks graded for this model (this run and earlier ones). */
  tasks: number;
  /** Share of graded tasks with a usable edit and no out-of-scope hunk. */
  scopeScore: number | null;
  /** Share of graded tasks with a usable edit and no style drift. */
  styleScore: number | null;
  /** Mean over tasks with a reference: 1 for a normalised exact match, else the line similarity. */
  referenceScore: number | null;
  /** Share of tasks with a reference matched exactly. */
  referenceExactRate: number | null;
  /** Share of tasks with a test command whose test passed. */
  testPassRate: number | null;
  /** The mean of the scores above that apply (scope, style, reference, tests). */
  score: number | null;
  /**
   * The irrelevant-edit rate: share of graded tasks with a usable edit that have at least one
   * hunk the task did not need (supporting hunks not counted; tests only with countTests).
   */
  irrelevantEditRate: number | null;
  /** Set tasks not graded for this model, by the error that stopped them (run again to resume). */
  notGraded: Record<string, number>;
  /** Tasks whose grade came from an earlier run in the same log. */
  resumed: number;
  /** The 95% interval of each score above (tasks from one file are one cluster; docs/statistics.md), null where the score is. */
  ci: Record<string, Interval | null>;
  /** How many graded tasks each score rests on. */
  n: Record<string, number>;
}

/** Each sub-score of a grade, where it applies to the task. */
function parts(t: EvalSetTask, g: GradeRecord, countTests: boolean): Partial<Record<ScorePart, number>> {
  const p: Partial<Record<ScorePart, number>> = {};
  if (t.graders.scope) p.scopeScore = g.scope;
  if (g.ok) p.irrelevantEditRate = (g.outOfScopeHunks ?? 0) > 0 || (countTests && (g.testHunks ?? 0) > 0) ? 1 : 0;
  if (t.graders.style) p.styleScore = g.style;
  if (g.reference) {
    p.referenceScore = g.reference.exact ? 1 : g.reference.similarity;
    p.referenceExactRate = g.reference.exact ? 1 : 0;
  }
  if (g.test) p.testPassRate = g.test.passed ? 1 : 0;
  return p;
}

const meanOf = (xs: ReadonlyArray<number | null>) => {
  const present = xs.filter((x): x is number => x !== null);
  return present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
};

/** A model's scores over the set's graded tasks, each with its interval and n. */
export function scoreModel(model: string, set: readonly EvalSetTask[], gradeOf: (id: string) => GradeRecord | undefined, resumed: number, notGraded: Map<string, number>, countTests = false): ModelScore {
  const samples = new Map<ScorePart, Sample>(SCORE_PARTS.map((k) => [k, new Sample()]));
  const files = new Map<string, number>();
  let graded = 0;
  for (const t of set) {
    const g = gradeOf(t.id);
    if (!g) continue;
    let file = files.get(t.file);
    if (file === undefined) files.set(t.file, (file = files.size));
    const p = parts(t, g, countTests);
    for (const [k, v] of Object.entries(p) as Array<[ScorePart, number]>) samples.get(k)!.add(v, file, graded);
    graded++;
  }
  const ci: Record<string, Interval | null> = {};
  const n: Record<string, number> = {};
  const value = {} as Record<ScorePart, number | null>;
  for (const [k, s] of samples) {
    value[k] = s.mean();
    ci[k] = s.interval();
    n[k] = s.n;
  }
  const score = meanOf(SCORED.map((k) => value[k]));
  // The mean of the parts' bounds: exact when the parts move together, wider when they do not,
  // and never narrower than the evidence (two tasks that pass everything do not prove a score of 1).
  const applied = SCORED.filter((k) => value[k] !== null);
  ci.score = score === null ? null : [meanOf(applied.map((k) => ci[k]![0]))!, meanOf(applied.map((k) => ci[k]![1]))!];
  n.score = graded;
  const { irrelevantEditRate, ...scores } = value;
  // The irrelevant-edit rate after the score, where tools reading the older key order do not look.
  return { model, tasks: graded, ...scores, score, irrelevantEditRate, notGraded: Object.fromEntries(notGraded), resumed, ci, n };
}
