/**
 * The engine's cost against git's: `editscope check` on a 50,000-line file with 100
 * scattered line edits, and on the same file re-indented whole, each minus the command's
 * time on a 20-line file (start-up), next to `git diff --no-index` measured the same way.
 * Goal: at most 2x git diff on both. Also a whole-file rewrite (no line in common) must
 * stay linear.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '../../../dist/cli.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const dir = mkdtempSync(join(tmpdir(), 'editscope-bench-'));

function makeFile(lines: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (out.length < lines) {
    out.push(`// Handles request ${i}: validates the input and returns the parsed value.`);
    out.push(`export function handle${i}(input: string, options: Options = {}): Result {`);
    out.push(`  const value = parse(input, { strict: true, index: ${i} });`);
    out.push(`  if (!value.ok) {`);
    out.push(`    throw new Error('invalid input for handler ${i}');`);
    out.push(`  }`);
    out.push(`  return { value: value.result * ${i % 97}, label: 'handler-${i}' };`);
    out.push(`}`);
    out.push('');
    i++;
  }
  return out.slice(0, lines);
}

function write(name: string, lines: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

type Cmd = [string, string[]];

/**
 * Wall time of each command, RUNS rounds of all of them in turn, so that a slow spell of
 * this (shared, virtual) machine falls on every command alike rather than on whichever was
 * being measured at the time.
 */
function rounds(cmds: Cmd[]): number[][] {
  const samples: number[][] = cmds.map(() => []);
  for (let r = 0; r < RUNS; r++) {
    cmds.forEach(([cmd, args], k) => {
      const t = process.hrtime.bigint();
      const res = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
      samples[k].push(Number(process.hrtime.bigint() - t) / 1e6);
      if (res.status !== 0 && res.status !== 1) throw new Error(`${cmd} ${args.join(' ')} failed: ${res.stderr}`);
    });
  }
  return samples;
}

const median = (xs: number[]) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
/** A command's cost beyond start-up: the median over rounds of its time minus the 20-line run's in the same round. */
const beyond = (xs: number[], base: number[]) => median(xs.map((x, r) => x - base[r]));

const base = makeFile(50_000);
const scattered = base.slice();
for (let k = 0; k < 100; k++) {
  const at = Math.floor(((k + 0.5) * base.length) / 100);
  scattered[at] = scattered[at] + ' // edited';
}
const reindented = base.map((l) => l.replace(/^( +)/, (m) => ' '.repeat(m.length * 2)));
const rewritten = base.map((l, i) => `${l.replace(/[a-z]/g, (c) => c.toUpperCase())} /* ${i} */`);
const small = makeFile(20);
const smallEdited = small.slice();
smallEdited[3] += ' // edited';

const files = {
  original: write('original.ts', base),
  scattered: write('scattered.ts', scattered),
  reindented: write('reindented.ts', reindented),
  rewritten: write('rewritten.ts', rewritten),
  small: write('small.ts', small),
  smallEdited: write('small-edited.ts', smallEdited),
};

const ours = (o: string, e: string): Cmd => [process.execPath, [CLI, 'check', '--original', o, '--edited', e, '--range', '10-15', '--format', 'json']];
const git = (o: string, e: string): Cmd => ['git', ['diff', '--no-index', '--no-color', o, e]];

const [oursBase, gitBase, oursScattered, gitScattered, oursReindented, gitReindented, oursRewritten] = rounds([
  ours(files.small, files.smallEdited),
  git(files.small, files.smallEdited),
  ours(files.original, files.scattered),
  git(files.original, files.scattered),
  ours(files.original, files.reindented),
  git(files.original, files.reindented),
  ours(files.original, files.rewritten),
]);
let failed = false;
console.log(`start-up (20-line file): editscope ${median(oursBase).toFixed(1)} ms, git diff ${median(gitBase).toFixed(1)} ms (medians of ${RUNS} interleaved rounds)`);
for (const [label, oursMs, gitMs] of [['100 scattered edits', oursScattered, gitScattered], ['whole file re-indented', oursReindented, gitReindented]] as const) {
  const o = Math.max(0, beyond(oursMs, oursBase));
  const g = Math.max(0.1, beyond(gitMs, gitBase));
  const ratio = o / g;
  const ok = ratio <= 2;
  if (!ok) failed = true;
  console.log(`${label.padEnd(24)} editscope ${o.toFixed(1).padStart(7)} ms   git diff ${g.toFixed(1).padStart(7)} ms   ratio ${ratio.toFixed(2)}x ${ok ? '(goal <= 2x: met)' : '(goal <= 2x: MISSED)'}`);
}
const rw = Math.max(0, beyond(oursRewritten, oursBase));
const rwOk = rw < 2000;
if (!rwOk) failed = true;
console.log(`${'whole file rewritten'.padEnd(24)} editscope ${rw.toFixed(1).padStart(7)} ms   (no quadratic blow-up: ${rwOk ? 'met' : 'MISSED'}, bound 2000 ms)`);
process.exitCode = failed ? 1 : 0;
