import type { Interval } from '../stats/interval';

/** A share as a percentage with one decimal, or a dash when there is none. */
export const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/** A share as a whole percentage (`42%`), where a decimal would claim more than the figure holds. */
export const pctWhole = (x: number): string => `${Math.round(x * 100)}%`;

/** `12.0% [9.1, 15.6]`: a share and its 95% interval in percentage points. */
export function pctCi(x: number | null | undefined, ci: Interval | null | undefined): string {
  if (x === null || x === undefined) return '—';
  return ci ? `${pct(x)} [${(ci[0] * 100).toFixed(1)}, ${(ci[1] * 100).toFixed(1)}]` : pct(x);
}

/** `0.42 [0.31, 0.55]`: a mean and its 95% interval. */
export function numCi(x: number | null | undefined, ci: Interval | null | undefined, digits = 2): string {
  if (x === null || x === undefined) return '—';
  return ci ? `${x.toFixed(digits)} [${ci[0].toFixed(digits)}, ${ci[1].toFixed(digits)}]` : x.toFixed(digits);
}
