import type * as JStat from 'jstat';

let library: typeof JStat.jStat | undefined;
/** Required on first use, so a command that reports no interval never parses the library. */
const jStat = (): typeof JStat.jStat => (library ??= (require('jstat') as typeof JStat).jStat);

/** The p-quantile of the standard normal distribution. */
export function normalQuantile(p: number): number {
  return jStat().normal.inv(p, 0, 1);
}

/** The p-quantile of Student's t with `dof` degrees of freedom (the normal's for infinite dof). */
export function studentTQuantile(p: number, dof: number): number {
  return Number.isFinite(dof) ? jStat().studentt.inv(p, dof) : normalQuantile(p);
}

/**
 * P(X <= k) for X ~ Binomial(n, p). jstat rounds it to ten decimals: exact enough for a
 * p-value (its incomplete beta drifts by 1e-8 at n = 2000).
 */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return jStat().binomial.cdf(k, n, p);
}
