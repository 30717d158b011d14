import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFilesAllOrNothing } from '../../src/core/io/writeFiles';
import { caseFile } from '../fixtures/cases';
import { startMockModelServer, type MockModelServer } from '../fixtures/mockModelServer';
import { cli } from './cliHarness';
import { loadPromptfoo, runAssertion, testVars } from './promptfooRender';
import { gradeWithPython } from './evalset.rft.test';


const API = '// API.\nexport function getUser(id: number) {\n  return { id };\n}\n\n// Keep this comment.\nexport function other() {\n  return 1;\n}\n';
const CLIENT = "import { getUser } from './api';\n\nexport function show(id: number) {\n  return getUser(id);\n}\n\n// Far away.\nexport const x = 1;\n";
const TYPES = 'export type Id = number;\n';
const MARK = '// edited as asked';

describe('editscope edit: multi-file tasks', () => {
  let server: MockModelServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    server = await startMockModelServer();
    env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-multi' };
  });
  after(() => server.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'editscope-multi-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'api.ts'), API);
    writeFileSync(join(dir, 'src', 'client.ts'), CLIENT);
    writeFileSync(join(dir, 'src', 'types.ts'), TYPES);
  });
  const base = ['edit', '--file', 'src/api.ts', '--range', '2-4', '--instruction', 'Rename getUser and its callers', '--edit-file', 'src/client.ts:3-5', '--context', 'src/types.ts'];
  const read = (p: string) => readFileSync(join(dir, p), 'utf8');

  it('shows each editable file with its path and analyses each returned file with its role and scope', async () => {
    const r = await cli([...base, '--model', 'multi', '--model', 'multi-stray', '--format', 'json', '--log'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.task.locality, 'multi-file');
    assert.deepEqual(json.task.editFiles, [{ file: 'src/client.ts', range: { start: 3, end: 5 } }]);
    const prompt = server.requests.at(-1)!.messages[1].content;
    assert.match(prompt, /<editable_file path="src\/client.ts" language="typescript" total_lines="8" change_lines="3-5">\nimport \{ getUser \}/);
    assert.match(server.requests.at(-1)!.messages[0].content, /path alone on a line/);

    const [multi, stray] = json.results;
    assert.deepEqual(multi.files.map((f: { file: string; role: string; analysis: { outOfScopeHunks: number; hunks: unknown[] } }) => [f.file, f.role, f.analysis.hunks.length, f.analysis.outOfScopeHunks]), [
      ['src/api.ts', 'target', 1, 0],
      ['src/client.ts', 'edit', 1, 0],
    ]);
    assert.deepEqual(multi.analysis, multi.files[0].analysis, 'analysis stays the target file\'s');
    assert.deepEqual(stray.files.map((f: { file: string; role: string; analysis: { outOfScopeHunks: number; hunks: unknown[] } }) => [f.file, f.role, f.analysis.outOfScopeHunks]), [
      ['src/api.ts', 'target', 0],
      ['src/client.ts', 'edit', 0],
      ['src/types.ts', 'other', 1],
      ['src/invented.ts', 'other', 1],
    ]);
    assert.match(stray.files[3].analysis.hunks[0].reason, /invented/);
    assert.equal(read('src/api.ts'), API, 'nothing is written without --apply');

    const rec = JSON.parse(read('.editscope/evals.jsonl').trim().split('\n')[0]);
    assert.equal(rec.locality, 'multi-file');
    assert.deepEqual(rec.editFiles.map((f: { path: string; range: unknown }) => [f.path, f.range]), [['src/client.ts', { start: 3, end: 5 }]]);
    assert.deepEqual(rec.results[1].files.map((f: { file: string; role: string; exists: boolean }) => [f.file, f.role, f.exists]), [['src/client.ts', 'edit', true], ['src/types.ts', 'other', true], ['src/invented.ts', 'other', false]]);
    assert.equal(rec.promptTemplate.id, 'editscope-whole-multi');
  });

  it('--apply writes the target and editable files, never a file the task did not allow, and the text report says so', async () => {
    const r = await cli([...base, '--model', 'multi-stray', '--apply', 'multi-stray'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(read('src/api.ts'), API.replace('  return { id };\n}\n', `  return { id };\n}\n${MARK}\n`));
    assert.equal(read('src/client.ts'), CLIENT.replace('  return getUser(id);\n}\n', `  return getUser(id);\n}\n${MARK}\n`));
    assert.equal(read('src/types.ts'), TYPES);
    assert.ok(!existsSync(join(dir, 'src', 'invented.ts')));
    assert.match(r.stderr, /Applied multi-stray's edit to src\/api.ts, src\/client.ts/);
    assert.match(r.stderr, /Not written: src\/types.ts, src\/invented.ts/);
    assert.match(r.stdout, /src\/types.ts \(not editable: all out of scope\)/);
    assert.match(r.stdout, /src\/invented.ts \(a new file: all out of scope\)/);
  });

  it('--in-scope-only writes only the in-scope hunks of each file, in the search-replace format too', async () => {
    // In client.ts the model also touches a line outside 3-5: that hunk is out of scope.
    server.answerWith('canned-multi', caseFile('multi-file', 'in-scope-only-search-replace', 'answer.md'));
    const r = await cli([...base, '--edit-format', 'search-replace', '--model', 'canned-multi', '--apply', 'canned-multi', '--in-scope-only', '--format', 'json'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    const files = JSON.parse(r.stdout).results[0].files;
    assert.deepEqual(files.map((f: { analysis: { outOfScopeHunks: number } }) => f.analysis.outOfScopeHunks), [0, 1]);
    assert.equal(read('src/api.ts'), API.replace('return { id };', 'return { id, name: "" };'));
    assert.equal(read('src/client.ts'), CLIENT.replace('getUser(id);', 'getUser(id).id;'), 'the far change is left out');
  });

  it('does not send a file the model may change again as context', async () => {
    const r = await cli(['edit', '--file', 'src/client.ts', '--range', '3-5', '--instruction', 'x', '--model', 'multi', '--edit-file', 'src/api.ts', '--context', 'auto', '--format', 'json'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    const task = JSON.parse(r.stdout).task;
    assert.deepEqual([task.locality, task.dependsOn, task.contextFiles], ['multi-file', [{ file: 'src/api.ts', symbols: ['getUser'] }], []]);
    assert.doesNotMatch(server.requests.at(-1)!.messages[1].content, /<context_file/);
  });

  it('writes nothing when one of the files changed meanwhile, and refuses bad --edit-file values', async () => {
    const a = join(dir, 'src', 'api.ts');
    const c = join(dir, 'src', 'client.ts');
    writeFileSync(c, CLIENT + '// changed meanwhile\n');
    const { changed } = writeFilesAllOrNothing([
      { path: a, expected: API, text: 'new a\n' },
      { path: c, expected: CLIENT, text: 'new c\n' },
    ]);
    assert.deepEqual(changed, [c]);
    assert.equal(read('src/api.ts'), API, 'the unchanged file is not written either');
    assert.deepEqual(writeFilesAllOrNothing([{ path: a, expected: API, text: 'new a\n' }, { path: c, expected: CLIENT + '// changed meanwhile\n', text: 'new c\n' }]).changed, []);
    assert.deepEqual([read('src/api.ts'), read('src/client.ts')], ['new a\n', 'new c\n']);
    writeFileSync(a, API);
    writeFileSync(c, CLIENT);

    for (const [spec, message] of [
      ['src/client.ts:7-99', /range 7-99 is outside src\/client.ts, which has 8 lines/],
      ['src/missing.ts', /editable file .*missing.ts does not exist/],
      ['src/api.ts', /src\/api.ts is the file being edited/],
      ['src/client.ts:0-2', /^editscope edit: --edit-file src\/client.ts:0-2: lines are 1-based and start must not be after end\n/],
      ['src/client.ts:3-1', /^editscope edit: --edit-file src\/client.ts:3-1: lines are 1-based/],
    ] as const) {
      const r = await cli(['edit', '--file', 'src/api.ts', '--range', '2-4', '--instruction', 'x', '--model', 'multi', '--edit-file', spec], { cwd: dir, env });
      assert.equal(r.code, 2, spec);
      assert.match(r.stderr, message);
    }
  });

  it('carries multi-file tasks through report, export and replay, graded per file', async () => {
    const run = await cli([...base, '--model', 'multi', '--model', 'multi-stray', '--format', 'json', '--log'], { cwd: dir, env });
    const taskId = JSON.parse(run.stdout).task.id;
    const v = await cli(['verdict', taskId, '--model', 'multi', '--accepted', 'all'], { cwd: dir, env });
    assert.equal(v.code, 0, v.stderr);
    assert.equal((await cli(['verdict', taskId, '--model', 'multi-stray', '--accepted', 'none'], { cwd: dir, env })).code, 0);

    const report = JSON.parse((await cli(['report', '--format', 'json'], { cwd: dir, env })).stdout);
    const by = (m: string) => report.models.find((x: { model: string }) => x.model === m).byLocality;
    assert.deepEqual([by('multi')['multi-file'].tasks, by('multi')['multi-file'].outOfScopeRate, by('multi')['multi-file'].acceptRate], [1, 0, 1]);
    assert.deepEqual([by('multi-stray')['multi-file'].outOfScopeRate, by('multi-stray').local.tasks], [1, 0], 'a stray file makes the result out of scope');
    const html = await cli(['report', '--format', 'html'], { cwd: dir, env });
    assert.match(html.stdout, /<td>multi-file<\/td>/);
    assert.match(html.stdout, /cross-file, context not sent/);

    assert.equal((await cli(['export', '--to', 'evalset', '--out', 'set.jsonl', '--locality', 'multi-file'], { cwd: dir, env })).code, 0);
    const [t] = read('set.jsonl').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(t.locality, 'multi-file');
    assert.deepEqual(t.editFiles.map((f: { path: string; range: unknown; reference: string }) => [f.path, f.range, f.reference]), [
      ['src/client.ts', { start: 3, end: 5 }, CLIENT.replace('  return getUser(id);\n}\n', `  return getUser(id);\n}\n${MARK}\n`)],
    ]);
    assert.equal((await cli(['export', '--to', 'sft', '--out', 'sft.jsonl'], { cwd: dir, env })).code, 0);
    const sft = JSON.parse(read('sft.jsonl').trim());
    assert.match(sft.messages[1].content, /<editable_file path="src\/client.ts"/);
    assert.match(sft.messages[2].content, /^src\/api.ts\n```ts\n[\s\S]*```\n\nsrc\/client.ts\n```ts\nimport [\s\S]*\/\/ edited as asked\n[\s\S]*\n```$/);
    assert.equal((await cli(['export', '--to', 'dpo', '--out', 'dpo.jsonl'], { cwd: dir, env })).code, 0);
    const dpo = JSON.parse(read('dpo.jsonl').trim());
    assert.match(dpo.non_preferred_output[0].content, /src\/invented.ts\n```ts\nexport const invented = true;/, 'the rejected answer shows the file it invented');

    // promptfoo: the assertions grade the target's part of a multi-file answer and refuse a file the task did not allow.
    assert.equal((await cli(['export', '--to', 'promptfoo', '--out', 'pf.yaml'], { cwd: dir, env })).code, 0);
    const pf = loadPromptfoo(read('pf.yaml'));
    const pfVars = testVars(pf.tests[0]);
    const check = (a: { type: string; metric: string; value: string }, output: string) => runAssertion(a, output, pfVars);
    const [scopeJs, refJs] = [pf.defaultTest.assert[0], pf.tests[0].assert![0]];
    assert.deepEqual((pfVars.task as { files: string[] }).files, ['src/api.ts', 'src/client.ts']);
    assert.equal(check(scopeJs, sft.messages[2].content).pass, true);
    assert.equal(check(refJs, sft.messages[2].content).pass, true, 'the accepted answer matches its reference');
    assert.match(check(scopeJs, dpo.non_preferred_output[0].content).reason, /Changes src\/types.ts, src\/invented.ts, files the task did not let it change/);
    // Every file is graded: wiping src/client.ts changes it outside its lines 3-5.
    assert.deepEqual(check(scopeJs, 'src/client.ts\n```ts\nexport const y = 1;\n```\n'), { pass: false, score: 0, reason: 'src/client.ts changed outside the lines it may change' });

    // rft: the exported Python grader does the same.
    const rft = await cli(['export', '--to', 'rft', '--out', 'rft.jsonl'], { cwd: dir, env });
    assert.equal(rft.code, 0, rft.stderr);
    const item = JSON.parse(read('rft.jsonl').trim());
    assert.deepEqual(item.files, ['src/api.ts', 'src/client.ts']);
    {
      const [accepted, stray, targetAlone] = gradeWithPython(join(dir, 'rft.grader.json'), [
        { item, answer: sft.messages[2].content },
        { item, answer: dpo.non_preferred_output[0].content },
        { item, answer: 'src/client.ts\n```ts\nexport const y = 1;\n```\n' },
      ]);
      assert.equal(accepted, 1);
      // Scope 0; the target and src/client.ts as accepted: the mean of 0, 1 and 1.
      assert.equal(stray, 2 / 3, `a stray file scores 0 for scope (got ${stray})`);
      // Scope 0 too: wiping src/client.ts changes it outside its lines.
      assert.ok(targetAlone < 0.5, `leaving the target alone and wiping src/client.ts (got ${targetAlone})`);
    }

    const replay = await cli(['replay', '--set', 'set.jsonl', '--log', 'replay.jsonl', '--model', 'multi', '--model', 'multi-stray', '--format', 'json'], { cwd: dir, env });
    assert.equal(replay.code, 0, replay.stderr);
    const scores = JSON.parse(replay.stdout).models;
    assert.deepEqual(scores.map((m: { model: string; scopeScore: number; referenceScore: number }) => [m.model, m.scopeScore, m.referenceScore]), [
      ['multi', 1, 1],
      ['multi-stray', 0, 1],
    ]);
    const grades = read('replay.jsonl').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.kind === 'grade');
    const stray = grades.find((g) => g.model === 'multi-stray');
    assert.deepEqual(stray.files.map((f: { file: string; role: string; scope: number }) => [f.file, f.role, f.scope]), [
      ['src/api.ts', 'target', 1],
      ['src/client.ts', 'edit', 1],
      ['src/types.ts', 'other', 0],
      ['src/invented.ts', 'other', 0],
    ]);
    assert.deepEqual(stray.files[1].reference, { exact: true, similarity: 1 });

    // Through the Batch API, the same per-file grades.
    const batch = await cli(['replay', '--set', 'set.jsonl', '--log', 'batch.jsonl', '--batch', '--poll', '0.05', '--model', 'multi-stray', '--format', 'json'], { cwd: dir, env });
    assert.equal(batch.code, 0, batch.stderr);
    const batchGrade = read('batch.jsonl').trim().split('\n').map((l) => JSON.parse(l)).find((r) => r.kind === 'grade');
    assert.deepEqual(batchGrade.files, stray.files);
  });
});
