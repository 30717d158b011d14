import * as assert from 'node:assert/strict';
import { cli } from './cliHarness';
import { workspace } from './locality.dependsOn.test';

/** A class file long enough (over 200 lines) to be sent by definition, not whole. */
const bigUtil = ['export function helper(x: number): number {', '  return x + 1;', '}', ...Array.from({ length: 220 }, (_, i) => `export const filler${i} = ${i};`), ''].join('\n');

const main = ["import { helper } from './util';", '', 'export function run(x: number): number {', '  return helper(x) * 2;', '}', '', 'export const local = 3;', ''].join('\n');

describe('cli: editscope locality', () => {
  it('prints the locality, what the region depends on and what --context auto would send, as JSON', async () => {
    const root = workspace({ 'src/main.ts': main, 'src/util.ts': bigUtil });
    const r = await cli(['locality', '--file', 'src/main.ts', '--range', '3-5', '--format', 'json'], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.file, 'src/main.ts');
    assert.deepEqual(out.range, { start: 3, end: 5 });
    assert.equal(out.locality, 'cross-file');
    assert.deepEqual(out.dependsOn, [{ file: 'src/util.ts', symbols: ['helper'] }]);
    const span = 'export function helper(x: number): number {\n  return x + 1;\n}\n';
    assert.deepEqual(out.context.files, [{ file: 'src/util.ts', lines: { start: 1, end: 3 }, characters: span.length }]);
    assert.equal(out.context.characters, span.length);
    assert.equal(out.context.budgetTokens, 8000);
    assert.deepEqual(out.context.skipped, []);
  });

  it('says a self-contained region is local, in text, and tells what is over the budget', async () => {
    const root = workspace({ 'src/main.ts': main, 'src/util.ts': bigUtil });
    const local = await cli(['locality', '--file', 'src/main.ts', '--range', '7'], { cwd: root });
    assert.equal(local.code, 0);
    assert.equal(local.stdout, 'src/main.ts lines 7-7: local\n  depends on no other file of the workspace\n');
    const tight = await cli(['locality', '--file', 'src/main.ts', '--range', '3-5', '--context-budget', '5'], { cwd: root });
    assert.match(tight.stdout, /^src\/main\.ts lines 3-5: cross-file\n  depends on src\/util\.ts \(helper\)\n--context auto would send 0 characters \(budget 5 tokens\):\n  nothing\n  not sent: src\/util\.ts \(over the context budget\)\n$/);
  });

  it('refuses a range outside the file and a missing file, with exit 2', async () => {
    const root = workspace({ 'src/main.ts': main });
    const outside = await cli(['locality', '--file', 'src/main.ts', '--range', '3-50'], { cwd: root });
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /range 3-50 is outside src\/main\.ts, which has 7 lines/);
    const missing = await cli(['locality', '--file', 'src/nope.ts', '--range', '1'], { cwd: root });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.ts/);
  });
});

describe('cli: editscope edit --dry-run', () => {
  it('prints what locality prints and calls no model; the options of a model run are refused', async () => {
    const root = workspace({ 'src/main.ts': main, 'src/util.ts': bigUtil });
    const dry = await cli(['edit', '--dry-run', '--file', 'src/main.ts', '--range', '3-5', '--context', 'auto', '--format', 'json'], { cwd: root, env: {} });
    assert.equal(dry.code, 0, dry.stderr);
    const same = await cli(['locality', '--file', 'src/main.ts', '--range', '3-5', '--format', 'json'], { cwd: root });
    assert.deepEqual(JSON.parse(dry.stdout), JSON.parse(same.stdout));
    const withModel = await cli(['edit', '--dry-run', '--file', 'src/main.ts', '--range', '3-5', '--model', 'gpt-x'], { cwd: root, env: {} });
    assert.equal(withModel.code, 2);
    assert.match(withModel.stderr, /--dry-run .* leave out --model/);
  });
});
