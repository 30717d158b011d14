import { BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, CONFIDENCE, type Interval } from './bootstrap';
import { seededRandom } from './random';
import { normalQuantile, studentTQuantile } from './distributions';

export { CONFIDENCE, type Interval };

/**
 * Above this many clusters the bootstrap's variance is replaced by the cluster-robust (CR1)
 * formula it converges to: a report of 100,000 tasks on 2,500 files has some 300 figures, and
 * resampling 2,500 clusters a thousand times for each would take longer than reading the log,
 * for a difference within the bootstrap's own noise (about 2% of the standard error).
 */
export const BOOTSTRAP_MAX_CLUSTERS = 200;
/**
 * Fewer clusters than this cannot estimate the variance between them (a t with a handful of
 * degrees of freedom, or none): the next finer clustering is used instead.
 */
export const MIN_CLUSTERS = 10;

let z95: number | undefined;
/** The normal quantile of a two-sided 95% interval (1.959964...). */
export const zOf95 = (): number => (z95 ??= normalQuantile(1 - (1 - CONFIDENCE) / 2));

/**
 * The Wilson score interval for `successes` of `n` (n may be an effective, non-integer size):
 * unlike the textbook p ± z·se it stays inside [0, 1] and is honest near 0 and 1.
 */
export function wilson(successes: number, n: number, z = zOf95()): Interval | null {
  if (!(n > 0)) return null;
  const p = successes / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  // Exactly 0 and 1 at the ends: rounding would otherwise leave 1e-17 between the figure and its bound.
  return [p <= 0 ? 0 : Math.max(0, centre - half), p >= 1 ? 1 : Math.min(1, centre + half)];
}

/**
 * The observations behind one figure (a rate or a mean score), each tagged with two
 * clusterings, coarse and fine: results that are not independent (several tasks from one
 * file, repeated runs of one task) share a cluster. The coarse clustering is used when it
 * groups anything and leaves at least MIN_CLUSTERS clusters, else the fine one on the same
 * terms, else the results count as independent. Independent results get Wilson's interval
 * for a share and Student's t for a mean; clustered ones a variance from a seeded cluster
 * bootstrap (CR1-scaled) and Wilson's interval at the effective sample size, or t, with
 * clusters − 1 degrees of freedom. Cluster numbers are small non-negative integers.
 */
export class Sample {
  /**
   * `bounds`: the range the figure cannot leave (a share: [0, 1]); intervals are clipped to
   * it. Only a figure bounded by [0, 1] whose observations are all 0 or 1 is a share. The
   * arrays are the sample's own from then on (figures of the same results may share the
   * cluster arrays, so a large log is not copied once per figure).
   */
  constructor(
    private readonly bounds: Interval | null = [0, 1],
    private readonly values: number[] = [],
    private readonly coarse: number[] = [],
    private readonly fine: number[] = [],
  ) {}

  /** The sum of the values and whether they make a share, worked out once per figure. */
  private summary: { sum: number; share: boolean } | null = null;

  /** `coarse` (e.g. the file) and `fine` (e.g. the task) clusters of the observation. */
  add(value: number, coarse: number, fine = coarse): void {
    this.values.push(value);
    this.coarse.push(coarse);
    this.fine.push(fine);
    this.summary = null;
  }

  get n(): number {
    return this.values.length;
  }

  private summarize(): { sum: number; share: boolean } {
    if (this.summary) return this.summary;
    let sum = 0;
    let share = !!this.bounds && this.bounds[0] === 0 && this.bounds[1] === 1;
    for (const x of this.values) {
      sum += x;
      if (x !== 0 && x !== 1) share = false;
    }
    return (this.summary = { sum, share });
  }

  mean(): number | null {
    return this.values.length ? this.summarize().sum / this.values.length : null;
  }

  interval(): Interval | null {
    const n = this.values.length;
    if (!n) return null;
    const { sum, share } = this.summarize();
    const groups = usable(clusterSums(this.values, this.coarse)) ?? usable(clusterSums(this.values, this.fine));
    const mean = sum / n;
    if (!groups) {
      if (share) return wilson(sum, n);
      if (n < 2) return this.bounds && this.bounds.every(Number.isFinite) ? this.bounds : null;
      return this.clip(tInterval(mean, variance(this.values, mean) / n, n - 1));
    }
    const g = groups.sums.length;
    const z = studentTQuantile(1 - (1 - CONFIDENCE) / 2, g - 1);
    // All 0 or all 1: no variance to estimate; each cluster counts as one observation.
    if (share && (mean === 0 || mean === 1)) return wilson(mean * g, g, z);
    const v = clusterVariance(groups.sums, groups.counts, n, mean);
    if (share) {
      // The design effect turns the clustered variance into the sample size it is worth.
      const effective = mean > 0 && mean < 1 && v > 0 ? Math.min(n, (mean * (1 - mean)) / v) : g;
      return wilson(mean * effective, effective, z);
    }
    return this.clip([mean - z * Math.sqrt(v), mean + z * Math.sqrt(v)]);
  }

  private clip(ci: Interval): Interval {
    return this.bounds ? [Math.max(this.bounds[0], ci[0]), Math.min(this.bounds[1], ci[1])] : ci;
  }
}

function tInterval(mean: number, v: number, dof: number): Interval {
  const half = studentTQuantile(1 - (1 - CONFIDENCE) / 2, dof) * Math.sqrt(v);
  return [mean - half, mean + half];
}

/** The sample variance (n − 1). */
export function variance(xs: ArrayLike<number>, mean: number): number {
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += (xs[i] - mean) ** 2;
  return xs.length > 1 ? ss / (xs.length - 1) : 0;
}

const usable = (c: ReturnType<typeof clusterSums>) => (c && c.sums.length >= MIN_CLUSTERS ? c : null);

/** Per-cluster sums and counts, or null when every cluster holds one observation. */
function clusterSums(values: readonly number[], clusters: readonly number[]): { sums: number[]; counts: number[] } | null {
  let max = -1;
  for (const c of clusters) if (c > max) max = c;
  // Cluster numbers are dense, so arrays indexed by them beat a map on a 100,000-task log.
  const sumOf = new Float64Array(max + 1);
  const countOf = new Uint32Array(max + 1);
  for (let i = 0; i < values.length; i++) {
    sumOf[clusters[i]] += values[i];
    countOf[clusters[i]]++;
  }
  const sums: number[] = [];
  const counts: number[] = [];
  for (let k = 0; k <= max; k++) {
    if (!countOf[k]) continue;
    sums.push(sumOf[k]);
    counts.push(countOf[k]);
  }
  return sums.length === values.length ? null : { sums, counts };
}

/**
 * The variance of the mean over clusters: the seeded cluster bootstrap's, scaled by
 * G / (G − 1) (the CR1 small-sample correction the bootstrap lacks), or the CR1 formula
 * itself past BOOTSTRAP_MAX_CLUSTERS.
 */
function clusterVariance(sums: readonly number[], counts: readonly number[], n: number, mean: number): number {
  const g = sums.length;
  const correction = g / (g - 1);
  if (g > BOOTSTRAP_MAX_CLUSTERS) {
    let ss = 0;
    for (let k = 0; k < g; k++) ss += (sums[k] - mean * counts[k]) ** 2;
    return (correction * ss) / (n * n);
  }
  // The resampled mean is summed as the clusters are drawn: one pass per resample, where the
  // general bootstrap() takes three (a report has hundreds of figures to resample).
  const random = seededRandom(BOOTSTRAP_SEED);
  let m1 = 0;
  let m2 = 0;
  for (let b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
    let s = 0;
    let c = 0;
    for (let i = 0; i < g; i++) {
      const k = (random() * g) | 0;
      s += sums[k];
      c += counts[k];
    }
    const x = s / c;
    m1 += x;
    m2 += x * x;
  }
  const centre = m1 / BOOTSTRAP_RESAMPLES;
  return (correction * Math.max(0, m2 / BOOTSTRAP_RESAMPLES - centre * centre) * BOOTSTRAP_RESAMPLES) / (BOOTSTRAP_RESAMPLES - 1);
}

/**
 * A distribution-free interval for the p-th percentile of independent observations: the
 * order statistics whose ranks the binomial distribution puts around n·p (normal
 * approximation to it, with a continuity margin). `sorted` must be ascending.
 */
export function percentileInterval(sorted: ArrayLike<number>, p: number): Interval | null {
  const n = sorted.length;
  if (!n) return null;
  const q = p / 100;
  const half = zOf95() * Math.sqrt(n * q * (1 - q));
  const lo = Math.max(0, Math.floor(n * q - half) - 1);
  const hi = Math.min(n - 1, Math.ceil(n * q + half));
  return [sorted[lo], sorted[hi]];
}
