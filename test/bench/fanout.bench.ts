/**
 * Eight models in parallel against the loopback Chat Completions server, each answering
 * after its own delay (100-800 ms, streamed): the whole fan-out must finish within the
 * slowest model's time alone plus 10%. Measures what our side adds: prompt building, the
 * SDK, parsing, and analysing eight edits.
 */
import { runModels } from '../../src/core/edit/runModels';
import { createTask } from '../../src/core/task/createTask';
import { createProviders } from '../../src/core/providers/registry';
import { startMockModelServer } from '../fixtures/mockModelServer';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function sampleFile(lines: number): string {
  const out: string[] = [];
  for (let i = 0; out.length < lines; i++) {
    out.push(`// Handles request ${i}.`, `export function handle${i}(input: string): number {`, `  const value = parse(input, 'strict');`, `  return value * ${i};`, '}', '');
  }
  return out.slice(0, lines).join('\n') + '\n';
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const server = await startMockModelServer();
  try {
    const providers = createProviders([{ id: 'mock', baseUrl: server.url }], {});
    const task = createTask({ file: 'src/handlers.ts', original: sampleFile(2000), range: { start: 600, end: 620 }, instruction: 'Mark it' });
    const models = [100, 200, 300, 400, 500, 600, 700, 800].map((ms) => `mock/good-${ms}ms`);
    const slowest = models[models.length - 1];
    // Warm the SDK and the engine once so neither side pays first-call costs alone.
    await runModels(task, models, { providers });
    const alone: number[] = [];
    const all: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      const [one] = await runModels(task, [slowest], { providers });
      alone.push(performance.now() - t);
      t = performance.now();
      const results = await runModels(task, models, { providers });
      all.push(performance.now() - t);
      if (!one.ok || results.some((r) => !r.ok)) throw new Error('a model failed: ' + results.map((r) => r.error?.message).join('; '));
    }
    const a = median(alone);
    const b = median(all);
    const ratio = b / a;
    const ok = ratio <= 1.1;
    console.log(`slowest model alone ${a.toFixed(0)} ms; 8 models in parallel ${b.toFixed(0)} ms; ratio ${ratio.toFixed(3)} (goal <= 1.10: ${ok ? 'met' : 'MISSED'}), 2000-line file, median of ${RUNS}`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await server.close();
  }
}

void main();
