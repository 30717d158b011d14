/**
 * Reading and applying model answers at sizes no model should send, but one may: hundreds
 * of SEARCH/REPLACE blocks against a large file, a SEARCH part whose every line repeats all
 * over the file, and a whole-file answer of several megabytes. Each must take time linear in
 * the text, not in its square: the goal is a second for each case on this machine.
 */
import { applySearchReplace, parseSearchReplaceAnswer, parseWholeAnswer } from '../../src/core/prompt/parse';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const block = (search: string, replace: string) => `<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE`;

function time(name: string, fn: () => boolean): boolean {
  fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    if (!fn()) throw new Error(`${name}: wrong result`);
    ms.push(performance.now() - t);
  }
  const m = median(ms);
  const ok = m < 1000;
  console.log(`${name}: ${m.toFixed(0)} ms (goal < 1000 ms: ${ok ? 'met' : 'MISSED'}), median of ${RUNS}`);
  return ok;
}

const lines = Array.from({ length: 50_000 }, (_, i) => (i % 5 === 4 ? '}' : `  value${i} = compute(${i});`));
const file = lines.join('\n') + '\n';
const blocks: string[] = [];
for (let k = 0; k < 500; k++) {
  const i = k * 97 + 3;
  blocks.push(block(`${lines[i]}\n${lines[i + 1]}\n`, `${lines[i]}\n${lines[i + 1]}\n  // checked ${k}\n`));
}
const manyBlocks = blocks.join('\n\n');

const braces = '}\n'.repeat(100_000);
const repeating = block('}\n'.repeat(10_000) + 'x\n', '');

const body = Array.from({ length: 300_000 }, (_, i) => `  const v${i} = f(${i}); // line ${i}`).join('\n');
const huge = 'Here is the file:\n\n```ts\n' + body + '\n```\n\nThen run:\n\n```bash\nnpm test\n```\n';

let ok = true;
ok = time('500 blocks on a 50,000-line file', () => {
  const p = parseSearchReplaceAnswer(manyBlocks, 'stop');
  return p.ok && applySearchReplace(file, p.edits).ok;
}) && ok;
ok = time('a 10,001-line SEARCH part over 100,000 repeated lines (refused)', () => {
  const p = parseSearchReplaceAnswer(repeating, 'stop');
  return p.ok && !applySearchReplace(braces, p.edits).ok;
}) && ok;
ok = time(`a ${(huge.length / 1e6).toFixed(1)} MB whole-file answer with a shell block after it`, () => {
  const r = parseWholeAnswer(huge, 'stop', { windowText: body, file: 'big.ts' });
  return r.ok && r.text.length === body.length;
}) && ok;
process.exitCode = ok ? 0 : 1;
