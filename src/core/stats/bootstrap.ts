import { seededRandom } from './random';

/** A 95% interval, [lower, upper], in the units of the figure it belongs to. */
export type Interval = [number, number];

export const CONFIDENCE = 0.95;
/** Resamples of a bootstrap: enough for a standard error within a few percent. */
export const BOOTSTRAP_RESAMPLES = 1000;
/** Every bootstrap starts from this seed, so the same log always gives the same intervals. */
export const BOOTSTRAP_SEED = 0x5eed2025;

/**
 * A seeded percentile bootstrap over `clusters` units for any statistic: each resample draws
 * the clusters with replacement and passes how many times each was drawn. Returns the
 * central 95% of the statistic's resampled values and their standard deviation, or null
 * when the statistic has no value on most resamples.
 */
export function bootstrap(clusters: number, statistic: (weights: Uint32Array) => number | null, resamples = BOOTSTRAP_RESAMPLES): { ci: Interval; se: number } | null {
  if (clusters < 1) return null;
  const random = seededRandom(BOOTSTRAP_SEED);
  const weights = new Uint32Array(clusters);
  const values: number[] = [];
  for (let b = 0; b < resamples; b++) {
    weights.fill(0);
    for (let i = 0; i < clusters; i++) weights[Math.floor(random() * clusters)]++;
    const v = statistic(weights);
    if (v !== null && Number.isFinite(v)) values.push(v);
  }
  if (values.length < resamples / 2) return null;
  values.sort((a, b) => a - b);
  const tail = (1 - CONFIDENCE) / 2;
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))];
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { ci: [at(tail), at(1 - tail)], se: Math.sqrt(ss / Math.max(1, values.length - 1)) };
}
