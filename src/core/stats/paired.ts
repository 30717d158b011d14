import { bootstrap, CONFIDENCE, type Interval } from './bootstrap';
import { binomialCdf, normalQuantile } from './distributions';

/** The power at which the minimum detectable difference is given. */
export const POWER = 0.8;

/**
 * McNemar's exact test: of the pairs that disagree, `b` went one way and `c` the other;
 * under no difference each is a fair coin. Two-sided p = 2·P(X <= min(b, c)), X ~ Bin(b + c, 1/2),
 * at most 1.
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialCdf(Math.min(b, c), n, 0.5));
}

/**
 * The smallest true difference a two-sided test at 95% would find with 80% power, given the
 * standard error of the difference: (z(0.975) + z(0.8))·se.
 */
export function minimumDetectable(se: number): number {
  return (normalQuantile(1 - (1 - CONFIDENCE) / 2) + normalQuantile(POWER)) * se;
}

export interface PairedDifference {
  /** Paired units (tasks both sides answered). */
  n: number;
  a: number;
  b: number;
  /** b − a. */
  diff: number;
  ci: Interval;
  /** Exact McNemar (binary outcomes) or sign test (any other): the same binomial on the pairs that differ. */
  p: number;
  /** Minimum detectable difference at 80% power. */
  mde: number;
}

const mean = (xs: readonly number[], w: Uint32Array | null): number => {
  let s = 0;
  let c = 0;
  for (let i = 0; i < xs.length; i++) {
    const k = w ? w[i] : 1;
    s += k * xs[i];
    c += k;
  }
  return s / c;
};

const median = (xs: readonly number[], w: Uint32Array | null): number => {
  const pool: number[] = [];
  for (let i = 0; i < xs.length; i++) for (let k = w ? w[i] : 1; k > 0; k--) pool.push(xs[i]);
  pool.sort((x, y) => x - y);
  return pool[Math.max(0, Math.ceil(pool.length / 2) - 1)];
};

/**
 * Two sides measured on the same units (a[i] and b[i] from task i; a task run several times
 * is one unit holding the mean of its runs, so resampling whole units is the bootstrap
 * clustered by task). The difference of means, or of medians (latency), with a seeded
 * paired-bootstrap interval, the exact binomial p of the pairs that differ, and the
 * minimum detectable difference. Null when there is no pair.
 */
export function pairedDifference(a: readonly number[], b: readonly number[], statistic: 'mean' | 'median' = 'mean'): PairedDifference | null {
  const n = a.length;
  if (!n || b.length !== n) return null;
  const stat = statistic === 'mean' ? mean : median;
  const boot = bootstrap(n, (w) => stat(b, w) - stat(a, w))!;
  let up = 0;
  let down = 0;
  for (let i = 0; i < n; i++) {
    if (b[i] > a[i]) up++;
    else if (b[i] < a[i]) down++;
  }
  const binary = a.every((x) => x === 0 || x === 1) && b.every((x) => x === 0 || x === 1);
  // A set where no pair differs still cannot rule out a difference of about one pair in n.
  const se = binary ? Math.max(boot.se, 1 / n) : boot.se;
  const av = stat(a, null);
  const bv = stat(b, null);
  return { n, a: av, b: bv, diff: bv - av, ci: boot.ci, p: mcnemarExact(up, down), mde: minimumDetectable(se) };
}
