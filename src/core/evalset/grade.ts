import { diffArrays } from 'diff';

/**
 * Reference grading, shared by `editscope replay` and the assertions written into promptfoo
 * exports (which run this code, bundled): both texts to LF, trailing
 * whitespace dropped from each line and trailing blank lines dropped, then compared line by
 * line. Similarity is 2 x (lines in common, in order) / (lines in both).
 */
export function normalizedLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function gradeReference(output: string, reference: string): { exact: boolean; similarity: number } {
  const a = normalizedLines(output);
  const b = normalizedLines(reference);
  const exact = a.length === b.length && a.every((l, i) => l === b[i]);
  if (exact) return { exact, similarity: 1 };
  if (!a.length && !b.length) return { exact: true, similarity: 1 };
  let common = 0;
  for (const part of diffArrays(a, b)) if (!part.added && !part.removed) common += part.value.length;
  return { exact, similarity: (2 * common) / (a.length + b.length) };
}
