/**
 * Half-open [start, end) spans sorted and merged where they overlap or touch: the diff's
 * windows (analyze's lexing context, reanchor's look-alike stretches) are read once each.
 */
export function mergeSpans(spans: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const sorted = [...spans].sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const s of sorted) {
    const top = merged[merged.length - 1];
    if (top && s[0] <= top[1]) top[1] = Math.max(top[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}
