import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWorkspaceText } from '../../src/core/io/readText';
import { appendTaskRun, appendVerdict } from '../../src/core/log/evalLog';
import { createTask } from '../../src/core/task/createTask';
import { resultOf } from '../fixtures/modelResult';
import { analyze } from '../../src/core/analysis/analyze';
import { buildPrompt } from '../../src/core/prompt/build';
import { cli } from './cliHarness';

const ORIGINAL = 'const a = 1;\nfunction f() {\n  return a;\n}\n';
const EDITED = ORIGINAL.replace('return a', 'return 2');

function fifo(p: string): boolean {
  try {
    execFileSync('mkfifo', [p]);
    return true;
  } catch {
    return false;
  }
}

/** A workspace with a logged, accepted task, and a folder outside it holding a file to protect. */
async function setup() {
  const base = mkdtempSync(join(tmpdir(), 'editscope-links-'));
  const root = join(base, 'repo');
  const outside = join(base, 'home');
  mkdirSync(join(root, '.editscope'), { recursive: true });
  mkdirSync(outside);
  const victim = join(outside, '.bashrc');
  writeFileSync(victim, 'export PATH=/usr/bin\n');
  const task = createTask({ id: 'T1', file: 'src/a.ts', original: ORIGINAL, range: { start: 2, end: 4 }, instruction: 'Return 2' });
  const prompt = buildPrompt(task);
  const result = resultOf(
    { model: 'm1', provider: 'mock', latencyMs: 1, ttftMs: null, usage: null, costUsd: null, raw: null, promptTemplate: prompt.template, window: prompt.window, parameters: { editFormat: 'whole' }, retries: 0 },
    'src/a.ts', ORIGINAL, EDITED, (e) => analyze(ORIGINAL, e, { fileName: 'src/a.ts', ranges: [task.range] }), { kind: 'server', message: 'unused' },
  );
  await appendTaskRun(join(root, '.editscope', 'evals.jsonl'), task, [result]);
  await appendVerdict(join(root, '.editscope', 'evals.jsonl'), { taskId: 'T1', model: 'm1', accepted: 'all' });
  return { root, outside, victim };
}

describe('links and special files in a workspace', function () {
  this.timeout(10_000);

  it('export and report --out refuse a planted link that leads outside the workspace, and write nothing there', async () => {
    const { root, victim } = await setup();
    symlinkSync(victim, join(root, '.editscope', 'promptfoo.yaml'));
    const r = await cli(['export', '--to', 'promptfoo', '--out', '.editscope/promptfoo.yaml'], { cwd: root });
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /cannot write .*promptfoo\.yaml: it leads through a link to .*\.bashrc, outside the workspace/);
    symlinkSync(join(victim, '..'), join(root, 'out'));
    const viaFolder = await cli(['report', '--format', 'html', '--out', 'out/.bashrc'], { cwd: root });
    assert.equal(viaFolder.code, 2);
    assert.match(viaFolder.stderr, /outside the workspace/);
    assert.equal(readFileSync(victim, 'utf8'), 'export PATH=/usr/bin\n');
    // Naming the outside path itself is the user's choice, and is written.
    const chosen = join(root, '..', 'home', 'report.json');
    assert.equal((await cli(['report', '--format', 'json', '--out', chosen], { cwd: root })).code, 0);
    // A link that stays inside the workspace is followed as before.
    writeFileSync(join(root, 'real.json'), '');
    symlinkSync(join(root, 'real.json'), join(root, 'inside.json'));
    assert.equal((await cli(['report', '--format', 'json', '--out', 'inside.json'], { cwd: root })).code, 0);
    assert.match(readFileSync(join(root, 'real.json'), 'utf8'), /"models"/);
  });

  it('takes a name that begins with two dots (..env.ts) for a workspace file, link checks and all', async () => {
    const { root, victim } = await setup();
    // `..planted.json` is in the workspace, not above it: a link there must be refused like any other.
    symlinkSync(victim, join(root, '..planted.json'));
    const r = await cli(['report', '--format', 'json', '--out', '..planted.json'], { cwd: root });
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /cannot write .*\.\.planted\.json: it leads through a link to .*\.bashrc, outside the workspace/);
    assert.equal(readFileSync(victim, 'utf8'), 'export PATH=/usr/bin\n');
    writeFileSync(join(root, '..config.ts'), 'export const c = 1;\n');
    assert.equal(readWorkspaceText(root, '..config.ts'), 'export const c = 1;\n');
    assert.equal(readWorkspaceText(root, '../home/.bashrc'), null);
  });

  it('never hangs on a FIFO or fills memory from /dev/zero, named or reached through a link', async function () {
    const { root } = await setup();
    const pipe = join(root, 'pipe');
    if (!fifo(pipe)) this.skip();
    symlinkSync('/dev/zero', join(root, 'zero.ts'));
    symlinkSync(pipe, join(root, 'set.jsonl'));
    writeFileSync(join(root, 'ok.ts'), ORIGINAL);
    const checks: Array<[string[], RegExp]> = [
      [['check', '--original', 'zero.ts', '--edited', 'ok.ts'], /original .*zero\.ts is not a regular file/],
      [['check', '--original', 'ok.ts', '--edited', 'pipe'], /edited .*pipe is not a regular file/],
      [['replay', '--set', 'set.jsonl', '--model', 'x'], /eval set .*set\.jsonl is not a regular file/],
      [['replay', '--set', '/dev/zero', '--model', 'x'], /eval set \/dev\/zero is not a regular file/],
      [['export', '--to', 'evalset', '--out', 'pipe'], /cannot write .*pipe: it is not a regular file/],
      [['trust', 'pipe'], /provider config .*pipe is not a regular file/],
      [['trust', 'zero.ts'], /provider config .*zero\.ts is not a regular file/],
    ];
    for (const [args, message] of checks) {
      const r = await cli(args, { cwd: root });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  it('reads a path an answer names only inside the workspace by its real path', async () => {
    const { root, outside } = await setup();
    writeFileSync(join(outside, 'secret.ts'), 'export const token = 1;\n');
    mkdirSync(join(root, 'src'));
    symlinkSync(join(outside, 'secret.ts'), join(root, 'src', 'other.ts'));
    symlinkSync('/dev/zero', join(root, 'src', 'zero.ts'));
    assert.equal(readWorkspaceText(root, 'src/other.ts'), null);
    assert.equal(readWorkspaceText(root, 'src/zero.ts'), null);
    writeFileSync(join(root, 'src', 'mine.ts'), 'x\n');
    assert.equal(readWorkspaceText(root, 'src/mine.ts'), 'x\n');
  });
});
