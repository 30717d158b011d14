/** "1 task", "2 tasks": a count with its noun, for every message a person reads. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
