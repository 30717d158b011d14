import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockModelServer, type MockModelServer } from '../fixtures/mockModelServer';
import { cli } from './cliHarness';

/**
 * Answers Edit Scope used to write wrongly (issue 21), through `editscope edit --apply` and
 * `check`: afterwards every file holds exactly what it held, and the output says why.
 */

/** A 37-line file of three functions, the whole of it selected. */
const THREE = [
  "import { round } from './math';",
  '',
  '/** The sum of the prices. */',
  'export function total(prices: number[]): number {',
  '  let sum = 0;',
  '  for (const p of prices) {',
  '    sum += p;',
  '  }',
  '  return round(sum);',
  '}',
  '',
  '/** The mean price, 0 for none. */',
  'export function mean(prices: number[]): number {',
  '  if (prices.length === 0) {',
  '    return 0;',
  '  }',
  '  const sum = total(prices);',
  '  const n = prices.length;',
  '  return round(sum / n);',
  '}',
  '',
  '/** The highest price, or null for none. */',
  'export function highest(prices: number[]): number | null {',
  '  let best: number | null = null;',
  '  for (const p of prices) {',
  '    if (best === null || p > best) {',
  '      best = p;',
  '    }',
  '  }',
  '  return best;',
  '}',
  '',
  'export const CURRENCY = "EUR";',
  'export const DIGITS = 2;',
  'export const SEPARATOR = ",";',
  'export const LOCALE = "de-DE";',
  'export const VERSION = 3;',
  '',
].join('\n');
/** The answer a lazy model gives: the one function it changed, as if it were the file. */
const MEAN_ONLY = '```ts\n' + THREE.split('\n').slice(11, 20).join('\n').replace('return 0;', 'return NaN;') + '\n```\n';

describe('editscope: answers never written other than as the model meant them', () => {
  let server: MockModelServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    server = await startMockModelServer();
    env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-wrong' };
  });
  after(() => server.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'editscope-wrong-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'prices.ts'), THREE);
  });
  const read = (p: string) => readFileSync(join(dir, p), 'utf8');
  const edit = (model: string, answer: string, args: string[]) => {
    server.answerWith(model, answer);
    return cli(['edit', ...args, '--model', model, '--apply', model], { cwd: dir, env });
  };

  it('refuses a fragment whole: one function of a whole-file selection is a lazy answer, named, and the file is kept', async () => {
    const r = await edit('fragment', MEAN_ONLY, ['--file', 'src/prices.ts', '--range', '1-37', '--instruction', 'Return NaN from mean() for no prices']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /not applying fragment: its answer is only part of the text \(fragment: \d+ original lines dropped at src\/prices.ts:\d+/);
    assert.match(r.stdout, /Lazy answer \(fragment\)/);
    assert.equal(read('src/prices.ts'), THREE);
    // --in-scope-only leaves the dropping hunks out: the lines stay, the one real change is written.
    const only = await cli(['edit', '--file', 'src/prices.ts', '--range', '1-37', '--instruction', 'Return NaN from mean() for no prices', '--model', 'fragment', '--apply', 'fragment', '--in-scope-only'], { cwd: dir, env });
    assert.equal(only.code, 0, only.stderr);
    assert.equal(read('src/prices.ts'), THREE.replace('    return 0;', '    return NaN;'));
  });

  it('refuses one class (or function) of three the same way, in the search-replace format too', async () => {
    const sr = '```ts\n<<<<<<< SEARCH\n' + THREE.replace(/\n$/, '') + '\n=======\n' + THREE.split('\n').slice(21, 31).join('\n') + '\n>>>>>>> REPLACE\n```\n';
    const r = await edit('one-of-three', sr, ['--file', 'src/prices.ts', '--range', '1-37', '--instruction', 'Make highest() return undefined for no prices', '--edit-format', 'search-replace']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /fragment/);
    assert.equal(read('src/prices.ts'), THREE);
  });

  it('applies the same drop when the instruction asks for it', async () => {
    const r = await edit('asked', MEAN_ONLY, ['--file', 'src/prices.ts', '--range', '1-37', '--instruction', 'Delete everything but mean(), which returns NaN for no prices']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(read('src/prices.ts'), /^\/\*\* The mean price/);
  });

  it('check reports the fragment, naming the rule, unless --instruction asks for deletion', async () => {
    writeFileSync(join(dir, 'mean.ts'), MEAN_ONLY.replace(/^```ts\n|```\n$/g, ''));
    const r = await cli(['check', '--original', 'src/prices.ts', '--edited', 'mean.ts', '--format', 'json'], { cwd: dir, env });
    assert.equal(r.code, 1);
    assert.ok(JSON.parse(r.stdout).styleDrift.some((f: { rule: string }) => f.rule === 'fragment'), r.stdout);
    const asked = await cli(['check', '--original', 'src/prices.ts', '--edited', 'mean.ts', '--format', 'json', '--instruction', 'Remove all but mean()'], { cwd: dir, env });
    assert.ok(!JSON.parse(asked.stdout).styleDrift.some((f: { rule: string }) => f.rule === 'fragment'));
    // A change in place is no deletion, however it is worded.
    for (const instruction of ['Refactor mean() to return NaN for no prices', 'Replace the early return in mean() with NaN', 'Rewrite mean()']) {
      const inPlace = await cli(['check', '--original', 'src/prices.ts', '--edited', 'mean.ts', '--format', 'json', '--instruction', instruction], { cwd: dir, env });
      assert.ok(JSON.parse(inPlace.stdout).styleDrift.some((f: { rule: string }) => f.rule === 'fragment'), instruction);
    }
  });

  it('never writes a block headed by a look-alike path over a task file: test/src/a.ts is not src/a.ts, a.ts is not either', async () => {
    writeFileSync(join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(dir, 'src', 'b.ts'), 'export const b = 1;\n');
    for (const [model, path] of [['under-test', 'test/src/a.ts'], ['suffix', 'a.ts'], ['deeper', 'lib/src/b.ts']]) {
      const answer = `src/b.ts\n\`\`\`ts\nexport const b = 2;\n\`\`\`\n\n${path}\n\`\`\`ts\nexport const a = 666;\n\`\`\`\n`;
      const r = await edit(model, answer, ['--file', 'src/b.ts', '--range', '1-1', '--instruction', 'Set b to 2', '--edit-file', 'src/a.ts']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(read('src/a.ts'), 'export const a = 1;\n', `${path} is not src/a.ts`);
      assert.equal(read('src/b.ts'), 'export const b = 2;\n');
      assert.match(r.stderr, new RegExp(`Not written: ${path.replace(/[/.]/g, '\\$&')} \\(the task did not let the model change it\\)`));
      writeFileSync(join(dir, 'src', 'b.ts'), 'export const b = 1;\n');
    }
    // ./ and backslashes still name the task's own files.
    const r = await edit('dot-slash', 'src\\b.ts\n```ts\nexport const b = 2;\n```\n\n./src/a.ts\n```ts\nexport const a = 2;\n```\n', ['--file', 'src/b.ts', '--range', '1-1', '--instruction', 'Set both to 2', '--edit-file', 'src/a.ts']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([read('src/a.ts'), read('src/b.ts')], ['export const a = 2;\n', 'export const b = 2;\n']);
  });

  it('refuses a --edit-file that is the target or another editable file through a link: Apply would write it twice', async () => {
    writeFileSync(join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
    symlinkSync('prices.ts', join(dir, 'src', 'link-to-target.ts'));
    symlinkSync('a.ts', join(dir, 'src', 'link-to-a.ts'));
    for (const [extra, message] of [
      [['--edit-file', 'src/link-to-target.ts'], /--edit-file src\/link-to-target.ts is src\/prices.ts \(through a link\), the file being edited/],
      [['--edit-file', 'src/a.ts', '--edit-file', 'src/link-to-a.ts'], /--edit-file src\/link-to-a.ts is src\/a.ts \(through a link\), already an editable file/],
      [['--edit-file', 'src/a.ts', '--edit-file', 'src/a.ts'], /--edit-file src\/a.ts is already an editable file; name each file once/],
    ] as const) {
      const r = await edit('linked', '```ts\n' + THREE + '```\n', ['--file', 'src/prices.ts', '--range', '1-1', '--instruction', 'x', ...extra]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(read('src/prices.ts'), THREE);
    }
  });
});
