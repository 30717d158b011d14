/**
 * A delay setTimeout can hold: past 2^31-1 ms Node fires it after 1 ms instead, so a limit of
 * "a very long time" (a set's timeoutSeconds of 1e7) would end every request or test at once.
 */
export function timerMs(ms: number): number {
  return Math.min(ms, 2 ** 31 - 1);
}
