import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/core/analysis/analyze';
import { gradeReference } from '../../src/core/evalset/grade';
import { readEvalSet } from '../../src/core/evalset/read';
import { replay } from '../../src/core/evalset/replayEvalSet';
import type { EvalSetTask } from '../../src/core/evalset/evalSetTask';
import { editedWindow, readLog } from '../../src/core/log/evalLog';
import { editedFromAnswer } from '../../src/core/prompt/answer';
import type { GradeRecord } from '../../src/core/log/records';
import { loadProvidersConfig } from '../../src/core/providers/config';
import { createProviders } from '../../src/core/providers/registry';
import { markSupporting } from '../../src/core/relevance/supporting';
import { startMockModelServer, type MockModelServer } from '../fixtures/mockModelServer';
import { SUM } from '../fixtures/sum';
import { cli } from './cliHarness';
import { runPythonGrader } from './pythonGrader';

/** Lines that repeat across the selection's edges, where where a change sits is a choice. */
const REPEATS = ['function pair() {', '  step();', '  step();', '  step();', '  done();', '  done();', '}', ''].join('\n');
/** A Markdown file holding its own fences, which an answer's fence must not be mistaken for. */
const GUIDE = ['# Guide', '', 'Install it:', '', '```bash', 'npm install', '```', '', 'Then run it.', ''].join('\n');
const BIG = Array.from({ length: 60 }, (_, i) => `export const v${i + 1} = ${i + 1};`).join('\n') + '\n';

/** Runs the exported grader file's grade(sample, item) in a fresh python3 on each answer. */
export function gradeWithPython(graderFile: string, cases: Array<{ item: unknown; answer: unknown; finish?: string }>): number[] {
  const grader = JSON.parse(readFileSync(graderFile, 'utf8')) as { source: string };
  return runPythonGrader(grader.source, [
    'cases = json.load(sys.stdin)',
    'samples = [dict({"output_text": c["answer"]}, **({"finish_reason": c["finish"]} if "finish" in c else {})) for c in cases]',
    'print(json.dumps([scope["grade"](s, c["item"]) for s, c in zip(samples, cases)]))',
  ], cases);
}

/**
 * Answers as real models damage them, from a fixed seed: lines dropped, repeated, re-indented
 * or given trailing spaces, stray SEARCH/REPLACE markers and fences, blocks in another
 * language, CRLF, cut-off and normally stopped answers, over files whose lines repeat.
 */
function generatedCases(count: number, seed: number) {
  let state = seed;
  const rnd = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const files: Array<[string, string[]]> = [
    ['src/a.js', ['// head', "'use strict';", 'function f(x) {', '  if (x) {', '    return 1;', '  }', '  return 2;', '}']],
    ['GUIDE.md', ['# T', '', '```bash', 'npm i', '```', '', 'text']],
    ['src/c.ts', ['export function a() {', '  run();', '}', '', 'export function b() {', '  run();', '}', '', '})', '  })', '})']],
    ['src/d.js', ['x', 'x', 'x', 'y', 'x', 'x']],
    ['src/b.py', ['def f():', '    x = 1', '    x = 1', '    return x', '', '', 'def g():', '    pass']],
  ];
  const strays = ['<<<<<<< SEARCH', '=======', '>>>>>>> REPLACE', '```', '```js', '```bash', '~~~', '````', '------- SEARCH', '+++++++ REPLACE', '', '   ', '\t'];
  const damage = (lines: string[]) => {
    const out = lines.slice();
    for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) {
      const i = Math.floor(rnd() * (out.length + 1));
      const op = Math.floor(rnd() * 7);
      if (op === 0) out.splice(i, 1);
      else if (op === 1) out.splice(i, 0, pick(strays));
      else if (op === 2 && i < out.length) out[i] = '  ' + out[i];
      else if (op === 3 && i < out.length) out[i] = out[i].trimStart();
      else if (op === 4) out.splice(i, 0, out[Math.max(0, i - 1)] ?? 'x');
      else if (op === 5 && i < out.length) out[i] += ' ';
      else out.splice(i, 0, 'added();');
    }
    return out;
  };
  return Array.from({ length: count }, () => {
    const [file, lines] = pick(files);
    const eol = pick(['\n', '\n', '\r\n', 'mixed']);
    const windowText = lines.map((l) => l + (eol === 'mixed' ? pick(['\n', '\r\n']) : eol)).join('').replace(/\r?\n$/, rnd() < 0.9 ? '$&' : '');
    const start = 1 + Math.floor(rnd() * lines.length);
    const end = Math.min(lines.length, start + Math.floor(rnd() * 3));
    const format = rnd() < 0.5 ? ('whole' as const) : ('search-replace' as const);
    let answer: string;
    if (format === 'whole') {
      const open = pick(['```', '```js', '````', '~~~', '```bash', '```python', '```markdown']);
      const close = pick([open.replace(/[a-z]+$/, ''), '', '```']);
      answer = (rnd() < 0.3 ? 'Here:\n' : '') + `${open}\n${damage(lines).join('\n')}\n${close}` + (rnd() < 0.3 ? '\n\n```bash\nnpm test\n```' : '');
    } else {
      const search = lines.slice(start - 1, end);
      answer = damage(['<<<<<<< SEARCH', ...search, '=======', ...damage(search), '>>>>>>> REPLACE']).join('\n');
      if (rnd() < 0.3) answer = '```\n' + answer + '\n```';
    }
    if (rnd() < 0.1) answer = answer.replace(/\n/g, '\r\n');
    return {
      item: { format, file, window_text: windowText, selection_start: start, selection_end: end, reference: damage(lines).join('\n') + '\n' },
      window: { start: 1, end: lines.length },
      answer,
      finish: pick(['stop', 'stop', 'length'] as const),
    };
  });
}

const readJsonl = (p: string) => readFileSync(p, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const fence = (body: string, tag = 'js') => '```' + tag + '\n' + body.replace(/\n$/, '') + '\n```';
const sr = (search: string[], replace: string[]) => ['<<<<<<< SEARCH', ...search, '=======', ...replace, '>>>>>>> REPLACE'].join('\n');
const lines = (text: string) => text.replace(/\n$/, '').split('\n');
const unlines = (ls: string[]) => ls.join('\n') + '\n';

describe('editscope export --to rft', () => {
  let server: MockModelServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const ids: Record<string, string> = {};

  before(async () => {
    server = await startMockModelServer();
    dir = mkdtempSync(join(tmpdir(), 'editscope-rft-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'sum.js'), SUM);
    writeFileSync(join(dir, 'src', 'crlf.js'), SUM.replace(/\n/g, '\r\n'));
    writeFileSync(join(dir, 'src', 'repeats.js'), REPEATS);
    writeFileSync(join(dir, 'src', 'big.js'), BIG);
    writeFileSync(join(dir, 'GUIDE.md'), GUIDE);
    mkdirSync(join(dir, '.editscope'));
    writeFileSync(join(dir, '.editscope', 'config.json'), JSON.stringify({ providers: [{ id: 'mock', baseUrl: server.url, apiKeyEnv: 'MOCK_API_KEY', maxRetries: 0 }] }));
    env = { MOCK_API_KEY: 'sk-rft-test-1234', PATH: process.env.PATH, XDG_CONFIG_HOME: join(dir, 'user-config') };
    assert.equal((await cli(['trust'], { cwd: dir, env })).code, 0);
    // The real flow: models answer a task, the person accepts one answer.
    const edit = async (name: string, file: string, range: string, models: string[], extra: string[] = []) => {
      const r = await cli(['edit', '--file', file, '--range', range, '--instruction', `Task ${name}`, ...models.flatMap((m) => ['--model', m]), '--log', '--format', 'json', ...extra], { cwd: dir, env });
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      ids[name] = JSON.parse(r.stdout).task.id;
      const v = await cli(['verdict', ids[name], '--model', models[0], '--accepted', 'all'], { cwd: dir, env });
      assert.equal(v.code, 0, v.stderr);
    };
    await edit('whole', 'src/sum.js', '7-11', ['mock/good', 'mock/overreach']);
    await edit('sr', 'src/sum.js', '7-11', ['mock/good'], ['--edit-format', 'search-replace']);
    await edit('crlf', 'src/crlf.js', '7-11', ['mock/good']);
    await edit('window', 'src/big.js', '30-31', ['mock/good'], ['--context-lines', '5']);
    await edit('markdown', 'GUIDE.md', '9-9', ['mock/good']);
    server.answerWith('repeats-good', fence(unlines(lines(REPEATS).filter((_, i) => i !== 2))));
    await edit('repeats', 'src/repeats.js', '3-5', ['mock/repeats-good']);
    // One task nobody accepted: no reference, so no RFT line.
    const r = await cli(['edit', '--file', 'src/sum.js', '--range', '3-4', '--instruction', 'Unjudged', '--model', 'mock/good', '--log'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => server.close());

  const run = (...args: string[]) => cli(['export', ...args], { cwd: dir, env });

  it('writes RFT lines that end with the user turn, carry what the grader reads, and a grader beside them', async () => {
    const r = await run('--to', 'rft', '--out', 'rft.jsonl');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Exported 6 lines from 7 tasks to .*rft\.jsonl \(rft\); 1 task without an accepted edit left out\nGrader: .*rft\.grader\.json\n$/);
    const items = readJsonl(join(dir, 'rft.jsonl'));
    const set = await exportedSet();
    for (const item of items) {
      const t = set.find((x) => x.id === item.task_id)!;
      assert.deepEqual(Object.keys(item), ['messages', 'task_id', 'file', 'language', 'format', 'window_text', 'selection_start', 'selection_end', 'reference']);
      assert.deepEqual(item.messages.map((m: { role: string }) => m.role), ['system', 'user'], 'RFT prompts end with the user turn');
      // Exactly what the models were sent when the task was logged.
      const sent = server.requests.find((q) => q.messages[1].content === item.messages[1].content);
      assert.ok(sent, `the prompt of ${item.task_id} is the one sent`);
      assert.deepEqual(item.messages, sent!.messages);
      assert.equal(item.window_text, t.windowText);
      assert.equal(item.reference, t.reference!.output);
      assert.equal(item.format, t.prompt.format);
    }
    const win = items.find((x) => x.task_id === ids.window);
    assert.deepEqual([win.selection_start, win.selection_end, lines(win.window_text).length], [6, 7, 12], 'lines 30-31 of a window of lines 25-36');
    assert.equal(items.find((x) => x.task_id === ids.sr).format, 'search-replace');

    const grader = JSON.parse(readFileSync(join(dir, 'rft.grader.json'), 'utf8'));
    assert.deepEqual(Object.keys(grader).sort(), ['name', 'source', 'type']);
    assert.equal(grader.type, 'python');
    assert.match(grader.source, /^def grade\(sample, item\):/m);
    // The port of relevance (supporting hunks) is most of it; well under the service's limit.
    assert.ok(Buffer.byteLength(grader.source) < 128 * 1024, `grader source is ${Buffer.byteLength(grader.source)} bytes`);
    const imports = [...grader.source.matchAll(/^\s*(?:import|from)\s+([\w.]+)/gm)].map((m) => m[1]);
    assert.deepEqual(imports.filter((m) => !['re', 'json', 'math'].includes(m)), [], 'standard library only, nothing that reaches the network');
  });

  it('scripted: the accepted answer scores 1, an overreaching one less, an answer without an edit 0', async function () {
    assert.equal((await run('--to', 'rft', '--out', 'one.jsonl', '--verdict', 'accepted', '--model', 'mock/good', '--model', 'mock/overreach', '--since', '2026-01-01')).code, 0);
    const item = readJsonl(join(dir, 'one.jsonl')).find((x) => x.task_id === ids.whole);
    // Each model answers the exported prompt, as the fine-tuning job would sample it.
    const mock = createProviders(loadProvidersConfig(dir, '.editscope/config.json', env), env).get('mock')!;
    const answer = async (model: string) => (await mock.complete({ model, messages: item.messages }, { signal: new AbortController().signal })).text;
    const [accepted, overreach, none, prose] = gradeWithPython(join(dir, 'one.grader.json'), [
      { item, answer: await answer('good') },
      { item, answer: await answer('overreach') },
      { item, answer: fence('') },
      { item, answer: 'The code looks fine as it is.' },
    ]);
    assert.equal(accepted, 1);
    assert.ok(overreach < 0.5 && overreach > 0, `overreach scored ${overreach}`);
    assert.equal(none, 0);
    assert.equal(prose, 0);
  });

  it('scores every answer as replay grades it (scope and reference, mean of the two)', async function () {
    this.timeout(60_000);
    const set = await exportedSet();
    assert.equal((await run('--to', 'rft', '--out', 'parity.jsonl')).code, 0);
    const items = new Map(readJsonl(join(dir, 'parity.jsonl')).map((x) => [x.task_id as string, x]));
    const cases: Array<{ task: string; name: string; answer: string; finish?: 'stop' | 'length' }> = [];
    const add = (task: string, name: string, answer: string, finish?: 'stop' | 'length') => cases.push({ task, name, answer, finish });

    for (const task of ['whole', 'crlf']) {
      const t = set.find((x) => x.id === ids[task])!;
      const ref = t.reference!.output;
      const refL = lines(ref.replace(/\r\n/g, '\n'));
      const orig = lines(t.windowText.replace(/\r\n/g, '\n'));
      const eol = task === 'crlf' ? '\r\n' : '\n';
      const w = (ls: string[]) => fence(unlines(ls)).replace(/\n/g, eol);
      add(task, 'accepted', `Here is the updated code.\n\n${fence(ref)}\n`);
      add(task, 'tilde fence, prose after', `~~~javascript\n${ref}~~~\nThis adds the note.`);
      add(task, 'overreach: far comment deleted', w(refL.slice(1)));
      add(task, 'in scope, other than the reference', w(orig.map((l, i) => (i === 8 ? '    total = total + item;' : l))));
      add(task, 'unchanged window', w(orig));
      add(task, 'trailing spaces on a line outside', w(refL.map((l, i) => (i === 2 ? l + '  ' : l))));
      add(task, 'insertion just before the selection', w([...orig.slice(0, 6), '  // start', ...orig.slice(6)]));
      add(task, 'insertion one line above that', w([...orig.slice(0, 5), '// before', ...orig.slice(5)]));
      add(task, 'insertion just after the selection', w([...orig.slice(0, 11), '  // end', ...orig.slice(11)]));
      add(task, 'insertion after the last line', w([...orig, '// trailer']));
      add(task, 'selection deleted', w([...orig.slice(0, 6), ...orig.slice(11)]));
      add(task, 'last line dropped', w(orig.slice(0, -1)));
      add(task, 're-indented inside the selection', w(orig.map((l, i) => (i >= 6 && i <= 10 ? '\t' + l.trimStart() : l))));
      add(task, 'the file twice', `${fence(ref)}\n\nOr, the same:\n${fence(ref)}`);
      add(task, 'empty block', fence('\n'));
      add(task, 'prose only', 'I would rename the variable, but the code looks fine as it is.');
      add(task, 'garbage', '{"id": "x", "choices": null}\u0000\u00ff');
      add(task, 'truncated', fence(ref).slice(0, 60), 'length');
      add(task, 'longer fence', '````js\n' + ref + '````');
      add(task, 'then a shell block', `${fence(ref)}\n\nThen run:\n\n${fence('npm test', 'bash')}\n`);
      add(task, 'a usage example besides the file', `${fence('sum([1, 2]);')}\n\n${fence(ref)}`);
      add(task, 'never closed, ended at the last line', '```js\n' + ref);
      add(task, 'never closed, stopped early', '```js\n' + refL.slice(0, 8).join('\n'));
      add(task, 'unfenced code with prose', `Here it is:\n${ref}`);
      add(task, 'fence inside a list item', '1. The file:\n\n   ```js\n' + refL.map((l) => (l ? '   ' + l : l)).join('\n') + '\n   ```\n');
      add(task, 'byte-order mark first', '\ufeff' + fence(ref));
    }

    {
      const t = set.find((x) => x.id === ids.sr)!;
      const orig = lines(t.windowText);
      const refL = lines(t.reference!.output);
      const sel = orig.slice(6, 11);
      const good = sr(sel, refL.slice(6, 12));
      add('sr', 'accepted', good);
      add('sr', 'fenced with prose', `I added the note.\n\n\`\`\`js\n${good}\n\`\`\`\n`);
      add('sr', 'CRLF', good.replace(/\n/g, '\r\n'));
      add('sr', 'two blocks, both in scope', [sr([orig[6]], ['  let total = 0; // running']), sr([orig[10]], [orig[10], '  // edited as asked'])].join('\n\n'));
      add('sr', 'a second block edits outside', [good, sr([orig[0]], ['// Sums a list.'])].join('\n'));
      add('sr', 'a block outside only', sr([orig[2]], ["const label = 'total';"]));
      add('sr', 'SEARCH matches nothing', sr(['  let sum = 0;'], ['  let sum = 1;']));
      add('sr', 'SEARCH matches twice', sr(['total'], ['sum']));
      add('sr', 'part of a line', sr(['total += item'], ['total += Number(item)']));
      add('sr', 'deletion (empty REPLACE)', sr([orig[7], orig[8], orig[9]], []));
      add('sr', 'empty SEARCH', sr([], ['// new']));
      add('sr', 'never closed, cut off', good.replace(/\n>>>>>>> REPLACE$/, ''), 'length');
      add('sr', 'truncated', good.slice(0, 40), 'length');
      add('sr', 'no block at all', 'The code is fine.');
      add('sr', 'indent shifted', sr(sel.map((l) => l.slice(2)), refL.slice(6, 12).map((l) => l.slice(2))));
      add('sr', 'divider inside REPLACE', sr(sel, [...refL.slice(6, 12), '=======', '  return 0;']));
      add('sr', 'SEARCH inside REPLACE', sr(sel, [...refL.slice(6, 12), '<<<<<<< SEARCH']));
      add('sr', 'final closer missing after a normal stop', good.replace(/\n>>>>>>> REPLACE$/, ''));
      add('sr', 'final closer missing inside a fence', '```\n' + good.replace(/\n>>>>>>> REPLACE$/, '') + '\n```');
      add('sr', 'blank lines around SEARCH', sr(['', ...sel, ''], ['', ...refL.slice(6, 12), '']));
      add('sr', 'Cline markers', good.replace('<<<<<<< SEARCH', '------- SEARCH').replace('>>>>>>> REPLACE', '+++++++ REPLACE'));
      add('sr', 'indented more than the file', sr(sel.map((l) => '  ' + l), refL.slice(6, 12).map((l) => '  ' + l)));
      add('sr', 'tabs for spaces', sr(sel.map((l) => l.replace(/^ +/, (m) => '\t'.repeat(m.length / 2))), refL.slice(6, 12)));
      add('sr', 'deleting the last line', sr([orig[11]], []));
      add('sr', 'two blocks, the second on the first one\'s result', [good, sr(['  // edited as asked'], ['  // edited as asked, twice'])].join('\n'));
    }

    {
      const t = set.find((x) => x.id === ids.window)!;
      const orig = lines(t.windowText);
      add('window', 'accepted', fence(t.reference!.output));
      add('window', 'overreach in the window', fence(unlines(lines(t.reference!.output).map((l, i) => (i === 1 ? l.replace('26', '260') : l)))));
      add('window', 'unchanged', fence(unlines(orig)));
      add('window', 'garbage', 'no');
    }

    {
      const ref = set.find((x) => x.id === ids.markdown)!.reference!.output;
      add('markdown', 'a longer fence', '````markdown\n' + ref + '````');
      add('markdown', 'a fence as long as the inner ones', '```markdown\n' + ref + '```');
      add('markdown', 'inner fences, untagged block', '```\n' + ref + '```');
      add('markdown', 'cut at the inner fence', '```markdown\n' + ref.split('```bash')[0] + '```');
      add('markdown', 'a bash block only', fence('npm install', 'bash'));
    }

    {
      // Repeated lines at the selection's edges (lines 3-5 of REPEATS): which copy an
      // answer changed is the diff's choice, and the grader must make the same one.
      const orig = lines(REPEATS);
      const w = (ls: string[]) => fence(unlines(ls));
      add('repeats', 'accepted', w(orig.filter((_, i) => i !== 2)));
      add('repeats', 'first repeated line deleted', w(orig.filter((_, i) => i !== 1)));
      add('repeats', 'last repeated line deleted', w(orig.filter((_, i) => i !== 5)));
      add('repeats', 'a copy inserted after the selection', w([...orig.slice(0, 5), '  done();', ...orig.slice(5)]));
      add('repeats', 'a copy inserted before the selection', w([...orig.slice(0, 2), '  step();', ...orig.slice(2)]));
      add('repeats', 'two copies inserted inside', w([...orig.slice(0, 3), '  step();', '  step();', ...orig.slice(3)]));
      add('repeats', 'one step fewer, one done more', w([orig[0], orig[1], orig[2], '  done();', ...orig.slice(4)]));
      add('repeats', 'a line re-indented, and a repeat of the last one deleted', w([orig[0], orig[1], '    step();', orig[3], orig[4], orig[6]]));
    }

    // Replay grades every answer, each sent by a model scripted to give it.
    const providers = createProviders(loadProvidersConfig(dir, '.editscope/config.json', env), env);
    cases.forEach((c, k) => server.answerWith(`case-${k}`, c.answer, c.finish));
    const logPath = join(dir, 'parity-replay.jsonl');
    for (const [task, id] of Object.entries(ids)) {
      const models = cases.flatMap((c, k) => (c.task === task ? [`mock/case-${k}`] : []));
      if (models.length) await replay(set.filter((t) => t.id === id), { set: 'set.jsonl', models, providers, logPath, runTests: false });
    }
    const grades = new Map<string, GradeRecord>();
    readLog(logPath, { onRecord: () => {}, onGrade: (g) => grades.set(g.model, g) });

    // The finish reason replay saw goes with each sample.
    const python = gradeWithPython(join(dir, 'parity.grader.json'), cases.map((c) => ({ item: items.get(ids[c.task]), answer: c.answer, finish: c.finish ?? 'stop' })));
    const mismatches: string[] = [];
    const table: string[] = [];
    cases.forEach((c, k) => {
      const g = grades.get(`mock/case-${k}`);
      assert.ok(g, `replay graded case ${k}`);
      const ref = g!.reference ? (g!.reference.exact ? 1 : g!.reference.similarity) : 0;
      const expected = g!.ok ? (g!.scope + ref) / 2 : 0;
      table.push(`${c.task}: ${c.name}: replay ${expected.toFixed(3)} (scope ${g!.scope}, reference ${ref.toFixed(3)}), grader ${python[k].toFixed(3)}`);
      if (Math.abs(expected - python[k]) > 0.01) mismatches.push(table[table.length - 1]);
    });
    if (process.env.RFT_PARITY_TABLE) console.log(table.join("\n"));
    assert.deepEqual(mismatches, [], `the grader and replay disagree:\n${table.join('\n')}`);
    // The cases span the range: full marks, partial credit, and nothing.
    assert.ok(python.includes(1) && python.includes(0) && python.some((x) => x > 0 && x < 1));

    // An answer cut off is never usable, whatever the finish reason says: a block missing its
    // closer is taken only inside a fence that closes, and an answer that ends inside a fence
    // scores 0 (issue 21). The service's samples carry no finish reason; one that says it was
    // cut off scores 0 whatever its text.
    const forgiven = cases.flatMap((c, k) => (/closer missing inside a fence/.test(c.name) ? [k] : []));
    const cut = cases.flatMap((c, k) => (/final closer missing after a normal stop|never closed, ended at the last line|never closed, stopped early/.test(c.name) ? [k] : []));
    assert.ok(forgiven.length >= 1 && forgiven.every((k) => python[k] > 0), 'a closer missing inside a fence that closes is forgiven');
    assert.ok(cut.length >= 3 && cut.every((k) => python[k] === 0), 'an answer that may have been cut off scores 0');
    const file = join(dir, 'parity.grader.json');
    assert.deepEqual(gradeWithPython(file, forgiven.map((k) => ({ item: items.get(ids[cases[k].task]), answer: cases[k].answer }))), forgiven.map((k) => python[k]));
    assert.deepEqual(gradeWithPython(file, forgiven.map((k) => ({ item: items.get(ids[cases[k].task]), answer: cases[k].answer, finish: 'length' }))), forgiven.map(() => 0));
  });

  it('filters as the other exports do and holds back a deterministic validation share', async () => {
    const count = async (...args: string[]) => {
      const r = await run('--to', 'rft', '--out', 'f.jsonl', ...args);
      return r.code === 0 ? readJsonl(join(dir, 'f.jsonl')).length : r.code === 1 ? 0 : assert.fail(r.stderr);
    };
    assert.equal(await count('--model', 'mock/overreach'), 0, 'overreach was never accepted');
    assert.equal(await count('--model', 'mock/repeats-good'), 1);
    assert.equal(await count('--since', '2099-01-01'), 0);
    assert.equal(await count('--locality', 'cross-file'), 0);
    assert.equal(await count('--verdict', 'none'), 0);
    assert.equal(await count('--verdict', 'all'), 6);

    const split = async () => {
      const r = await run('--to', 'rft', '--out', 'split.jsonl', '--validation', '0.4');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /split\.jsonl and .*split\.valid\.jsonl \(2 for validation\)/);
      return [readJsonl(join(dir, 'split.jsonl')).map((x) => x.task_id), readJsonl(join(dir, 'split.valid.jsonl')).map((x) => x.task_id)];
    };
    const [train, valid] = await split();
    assert.deepEqual([train.length, valid.length], [4, 2], 'round(0.4 x 6) tasks held back');
    assert.deepEqual([...train, ...valid].sort(), Object.values(ids).sort(), 'every task once, none in both');
    assert.deepEqual(await split(), [train, valid], 'the same log splits the same way');
    assert.ok(existsSync(join(dir, 'split.grader.json')));

    // sft and dpo split by task too (a task's dpo pairs stay together).
    const dpo = await run('--to', 'sft', '--out', 'sft.jsonl', '--validation', '0.2');
    assert.equal(dpo.code, 0, dpo.stderr);
    assert.equal(readJsonl(join(dir, 'sft.valid.jsonl')).length, 1);
    assert.ok(!existsSync(join(dir, 'sft.grader.json')));
  });

  it('refuses a bad share or a split where none applies, writing nothing', async () => {
    for (const [args, message] of [
      [['--to', 'rft', '--validation', '1'], /--validation must be a share between 0 and 1/],
      [['--to', 'rft', '--validation', 'lots'], /--validation must be a share between 0 and 1/],
      [['--to', 'evalset', '--validation', '0.2'], /--validation applies to --to sft, dpo, rft only/],
    ] as const) {
      const r = await run(...args, '--out', 'bad.jsonl');
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stderr, message);
      assert.ok(!existsSync(join(dir, 'bad.jsonl')) && !existsSync(join(dir, 'bad.valid.jsonl')) && !existsSync(join(dir, 'bad.grader.json')));
    }
    const none = await run('--to', 'rft', '--out', 'none.jsonl', '--verdict', 'unjudged');
    assert.equal(none.code, 1);
    assert.ok(!existsSync(join(dir, 'none.jsonl')) && !existsSync(join(dir, 'none.grader.json')), 'nothing written when nothing matches');
  });

  it('agrees with Edit Scope on 2000 generated answers: damaged blocks, stray markers and fences, repeated lines, CRLF and mixed endings', async function () {
    const cases = generatedCases(2000, 17);
    // What replay computes for each answer (gradeResult): the answer read and applied, the
    // analysis's out-of-scope hunks once relevance has marked the supporting ones, and the
    // reference similarity of the edited window.
    const expected = cases.map((c) => {
      const range = { start: c.item.selection_start, end: c.item.selection_end };
      const r = editedFromAnswer(c.item.window_text, c.window, c.item.format, c.answer, c.finish, c.item.file, range);
      if (!r.ok) return 0;
      const analysis = analyze(c.item.window_text, r.edited, { fileName: c.item.file, ranges: [range] });
      markSupporting([{ file: c.item.file, role: 'target', original: c.item.window_text, edited: r.edited, analysis }]);
      const scope = analysis.outOfScopeHunks === 0 ? 1 : 0;
      const ref = gradeReference(editedWindow(c.item.window_text, r.edited, c.window), c.item.reference);
      return (scope + (ref.exact ? 1 : ref.similarity)) / 2;
    });
    assert.equal((await run('--to', 'rft', '--out', 'generated.jsonl')).code, 0);
    const python = gradeWithPython(join(dir, 'generated.grader.json'), cases.map((c) => ({ item: c.item, answer: c.answer, finish: c.finish })));
    const wrong = cases.flatMap((c, k) => (Math.abs(python[k] - expected[k]) > 0.01 ? [{ expected: expected[k], grader: python[k], ...c }] : []));
    assert.deepEqual(wrong.slice(0, 3), [], `${wrong.length} of ${cases.length} disagree`);
    // Enough of them are usable edits, in scope and out of it, for the agreement to mean something.
    assert.ok(expected.filter((x) => x >= 0.5).length > 200 && expected.filter((x) => x > 0 && x < 0.5).length > 100);
  });

  it('carries multi-file tasks, their files named so the grader grades the target and refuses any other file', async () => {
    const log = ['--log', 'multi.jsonl'];
    const r = await cli(['edit', '--file', 'src/sum.js', '--range', '7-11', '--edit-file', 'src/big.js:1-3', '--instruction', 'Both files', '--model', 'mock/multi', '--format', 'json', ...log], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    const id = JSON.parse(r.stdout).task.id;
    const v = await cli(['verdict', id, '--model', 'mock/multi', '--accepted', 'all', ...log], { cwd: dir, env });
    assert.equal(v.code, 0, v.stderr);
    const rft = await run('--to', 'rft', '--out', 'multi-rft.jsonl', ...log);
    assert.equal(rft.code, 0, rft.stderr);
    const item = JSON.parse(readFileSync(join(dir, 'multi-rft.jsonl'), 'utf8').trim());
    assert.deepEqual(item.files, ['src/sum.js', 'src/big.js']);
    // Each editable file with its lines and what it must hold.
    assert.deepEqual(item.edit_files.map((f: { path: string; start: number; end: number; reference: string }) => [f.path, f.start, f.end, typeof f.reference]), [['src/big.js', 1, 3, 'string']]);
    assert.equal((await run('--to', 'sft', '--out', 'multi-sft.jsonl', ...log)).code, 0, 'other formats carry it');
    const ideal = JSON.parse(readFileSync(join(dir, 'multi-sft.jsonl'), 'utf8').trim()).messages[2].content;
    {
      const wiped = `${ideal}\n\nsrc/big.js\n\`\`\`js\n${BIG.split('\n').slice(0, 3).join('\n')}\n\`\`\`\n`;
      const graded = gradeWithPython(join(dir, 'multi-rft.grader.json'), [{ item, answer: ideal }, { item, answer: `${ideal}\n\nsrc/other.js\n\`\`\`js\nx();\n\`\`\`\n` }, { item, answer: wiped }]);
      assert.ok(graded[2] < 0.7, `an answer that wipes src/big.js but for its first 3 lines scores ${graded[2]}, not full marks`);
      assert.equal(graded[0], 1);
      // Scope 0, the target and src/big.js (which must hold its own text) both as accepted.
      assert.equal(graded[1], 2 / 3, 'changing a file the task did not allow scores 0 for scope');
    }
  });

  async function exportedSet(): Promise<EvalSetTask[]> {
    const r = await run('--to', 'evalset', '--out', 'set.jsonl');
    assert.equal(r.code, 0, r.stderr);
    return readEvalSet(join(dir, 'set.jsonl'));
  }
});
