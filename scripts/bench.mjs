// Runs every benchmark in out/test/bench/ (built from test/bench/*.bench.ts) one after
// another, so each has the machine to itself. `npm run bench -- diff` runs those whose
// file name contains "diff".
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const filter = process.argv[2] ?? '';
const dir = 'out/test/bench';
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.js') && f.includes(filter)).sort();
let failed = 0;
for (const f of files) {
  console.log(`\n== ${f.replace(/\.bench\.js$/, '')}`);
  const r = spawnSync(process.execPath, ['--expose-gc', `${dir}/${f}`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
if (failed) {
  console.error(`\n${failed} benchmark(s) missed their goal or failed`);
  process.exit(1);
}
