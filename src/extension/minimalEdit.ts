// Pure (no 'vscode'): unit-tested in plain mocha.

/**
 * The smallest single replacement that turns `before` into `after`: the common prefix and
 * suffix are left alone, so applying a model's file keeps the cursor, folds and markers
 * outside the edit where they were.
 */
export function minimalReplacement(before: string, after: string): { start: number; end: number; text: string } {
  const max = Math.min(before.length, after.length);
  let p = 0;
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  // Never split a surrogate pair or a CRLF between the kept and replaced parts.
  if (p > 0 && isSplit(before, p)) p--;
  if (s > 0 && isSplit(before, before.length - s)) s--;
  return { start: p, end: before.length - s, text: after.slice(p, after.length - s) };
}

function isSplit(text: string, at: number): boolean {
  const prev = text.charCodeAt(at - 1);
  const next = text.charCodeAt(at);
  return (prev >= 0xd800 && prev <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) || (prev === 13 && next === 10);
}
