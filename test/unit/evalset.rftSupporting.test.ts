import * as assert from 'node:assert/strict';
import { analyze } from '../../src/core/analysis/analyze';
import type { Hunk } from '../../src/core/analysis/analysisTypes';
import { gradeItem, type GradeItem } from '../../src/core/evalset/gradeItem';
import { rftGrader } from '../../src/core/evalset/rft';
import { markSupporting, type TaskFile } from '../../src/core/relevance/supporting';
import { seededRandom } from '../../src/core/stats/random';
import { runPythonGrader } from './pythonGrader';
import { HELPER_CASES } from '../fixtures/appendedHelpers';

/**
 * The RFT grader's port of relevance (src/core/relevance/ with the hunks of the analysis and
 * the scanners of locality it reads) held to the TypeScript on generated edits of the shapes
 * that make supporting hunks (an import and its use, a helper and its call, a signature and
 * its call sites, a new test) among noise (deleted, repeated and re-spaced lines, CRLF), with
 * strings, comments, f-strings, template literals and regexes that mention the same names.
 * The shared cases of test/fixtures/grader-cases/supporting.json say what each kind must
 * score; these say the port makes the same hunks and calls the same ones supporting.
 */

const PY = [
  'import os',
  'from typing import List',
  '',
  '',
  'LIMIT = 10',
  '',
  '',
  'def load(path, encoding="utf-8"):',
  '    # read the file',
  '    with open(path, encoding=encoding) as f:',
  '        return f.read()',
  '',
  '',
  'def count(items: List[str]) -> int:',
  '    total = 0',
  '    for item in items:',
  '        if item:',
  '            total += 1',
  '    return total',
  '',
  '',
  'class Store:',
  '    size = 3',
  '',
  '    def __init__(self, root):',
  '        self.root = root',
  '',
  '    def read(self, name):',
  '        text = load(os.path.join(self.root, name))',
  '        return text.strip()',
  '',
  '',
  'def render(name, values):',
  '    """Render load(name) with values: json.dumps is not used here."""',
  '    text = f"{name}: {count(values)} of {LIMIT!r} {{literal}}"',
  '    pattern = r"\\d+ # not a comment"',
  '    return text + pattern  # load(x) in a comment',
];

const TS = [
  "import { readFileSync } from 'node:fs';",
  "import type { Item } from './types';",
  '',
  'export const LIMIT = 10;',
  '',
  "export function load(path: string, encoding: BufferEncoding = 'utf8'): string {",
  '  // read the file',
  '  return readFileSync(path, encoding);',
  '}',
  '',
  'export function count(items: Item[]): number {',
  '  let total = 0;',
  '  for (const item of items) {',
  '    if (item) {',
  '      total += 1;',
  '    }',
  '  }',
  '  return total;',
  '}',
  '',
  'export class Store {',
  '  constructor(private readonly root: string) {}',
  '',
  '  read(name: string): string {',
  '    const text = load(`${this.root}/${name}`);',
  '    return text.trim();',
  '  }',
  '}',
  '',
  'export function render(name: string, values: Item[]): string {',
  '  /* load(name) in a comment */',
  '  const text = `${name}: ${count(values)} of ${LIMIT} {literal}`;',
  '  const pattern = /\\d+ \\/ load\\(/g;',
  '  return text.replace(pattern, "load(\'x\') // not a comment");',
  '}',
];

/** Modules that use the two above, for multi-file tasks: a test module and a caller. */
const USERS = {
  py: ['from app.mod import load, count', 'import app.mod as mod', '', '', 'def test_load():', '    assert load("a") == "a"', '', '', 'def test_count():', '    assert count(["a"]) == 1', '    assert mod.count([]) == 0'],
  ts: ["import { load, count } from '../src/mod';", "import * as mod from '../src/mod';", '', "describe('mod', () => {", "  it('loads', () => {", "    expect(load('a')).toBe('a');", '  });', "  it('counts', () => {", '    expect(count([])).toBe(0);', '    expect(mod.count([])).toBe(0);', '  });', '});'],
};

const IMPORTS = {
  py: [['import json', 'json.dumps(x)'], ['from os import path', 'path.join(a)'], ['import re, sys', 're.sub(a)'], ['from typing import Dict as D', 'D()'], ['import os.path', 'os.path.isdir(p)']],
  ts: [["import { join } from 'node:path';", 'join(a, b)'], ["import * as fs from 'node:fs';", 'fs.existsSync(p)'], ["const os = require('node:os');", 'os.homedir()'], ["import def, { other as alias } from './m';", 'alias(def)']],
};
const NOISE = {
  py: ['', 'x = 1', '    print(x)', '    # note', '        count += 1', 'class Box:', '    size = 3', '    def grow(self, n):', '        return self.size + n', '    data = json.loads(text)'],
  ts: ['', '  // note', 'export const LIMIT = 3;', '  if (x) {', '  }', '  total += helper(item);', '  fs.readFileSync(p);', 'export function extra(a: string, b = 1): string {'],
};

interface FileEdit {
  file: string;
  role: TaskFile['role'];
  original: string;
  edited: string;
  range: { start: number; end: number } | null;
}

/** One file edited: things the selection's change may need, placed in and around it, and noise. */
function editedFile(rnd: () => number, py: boolean): { lines: string[]; out: string[]; start: number; end: number } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const lines = py ? PY : TS;
  const start = 1 + Math.floor(rnd() * (lines.length - 1));
  const end = Math.min(lines.length, start + Math.floor(rnd() * 8));
  const out = lines.slice();
  const inSelection = () => start - 1 + Math.floor(rnd() * (end - start + 1));
  const indent = (i: number) => /^\s*/.exec(out[Math.min(i, out.length - 1)] ?? '')![0] || (py ? '    ' : '  ');
  const end_ = py ? '' : ';';
  for (let k = Math.floor(rnd() * 3); k >= 0; k--) {
    const kind = Math.floor(rnd() * 4);
    if (kind === 0) {
      const [statement, use] = pick(IMPORTS[py ? 'py' : 'ts']);
      const u = inSelection();
      if (rnd() < 0.8) out.splice(u, 0, indent(u) + (rnd() < 0.5 ? 'return ' : '') + use + end_);
      out.splice(rnd() < 0.7 ? 1 : Math.floor(rnd() * out.length), 0, statement);
    } else if (kind === 1) {
      const name = pick(['_helper', 'fmt', 'count', 'LIMIT2']);
      const helper = py ? ['', '', `def ${name}(x):`, '    return x', ''] : ['', `function ${name}(x: number): number {`, '  return x;', '}', ''];
      const u = inSelection();
      if (rnd() < 0.8) out.splice(u, 0, `${indent(u)}y = ${name}(y)${end_}`);
      out.splice(rnd() < 0.5 ? out.length : Math.floor(rnd() * out.length), 0, ...helper.slice(Math.floor(rnd() * 2)));
    } else if (kind === 2) {
      // A signature in the selection changed (sometimes renamed), and some of its call sites with it.
      for (let i = start - 1; i < end && i < out.length; i++) {
        const m = /^(\s*)(?:export\s+)?(?:def|function)\s+(\w+)\(/.exec(out[i]) ?? /^(\s+)(\w+)\(.*\)\s*(?::.*)?\{$/.exec(out[i]);
        if (!m) continue;
        out[i] = out[i].replace('(', py ? '(flag, ' : '(flag: boolean, ');
        if (rnd() < 0.7) for (let j = 0; j < out.length; j++) if (j !== i && out[j].includes(m[2] + '(') && rnd() < 0.8) out[j] = out[j].replace(m[2] + '(', m[2] + '(True, ');
        if (rnd() < 0.3) out[i] = out[i].replace(m[2], m[2] + '_v2');
        break;
      }
    }
  }
  for (let k = Math.floor(rnd() * 3); k > 0; k--) {
    const i = rnd() < 0.5 ? inSelection() : Math.floor(rnd() * out.length);
    const op = Math.floor(rnd() * 4);
    if (op === 0) out.splice(i, 1);
    else if (op === 1) out.splice(i, 0, pick(NOISE[py ? 'py' : 'ts']));
    else if (op === 2 && i < out.length) out[i] = out[i].replace(/\b(\w+)\(/, (_, f: string) => (rnd() < 0.5 ? `${f}(extra, ` : 'helper('));
    else if (i < out.length) out[i] += ' ';
  }
  return { lines, out, start, end };
}

function singleFileCases(count: number, seed: number): FileEdit[][] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const py = rnd() < 0.5;
    const { lines, out, start, end } = editedFile(rnd, py);
    const file = py ? (rnd() < 0.5 ? 'app/mod.py' : 'tests/test_mod.py') : ['src/mod.ts', 'src/mod.test.ts', 'lib/x.js'][Math.floor(rnd() * 3)];
    const eol = rnd() < 0.2 ? '\r\n' : '\n';
    return [{ file, role: 'target', original: lines.join(eol) + eol, edited: out.join(rnd() < 0.9 ? eol : '\n') + (rnd() < 0.9 ? eol : ''), range: { start, end } }];
  });
}

/** A target whose function's signature (or body) changes, and a module that uses it, changed with it or not. */
function multiFileCases(count: number, seed: number): FileEdit[][] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  return Array.from({ length: count }, () => {
    const py = rnd() < 0.5;
    const lines = py ? PY : TS;
    const defs = lines.flatMap((l, i) => {
      const m = /^(?:export )?(?:def|function) (load|count)\(/.exec(l);
      return m ? [[i, m[1]] as const] : [];
    });
    const [at, name] = pick(defs);
    let last = at + 1;
    while (last < lines.length && lines[last] !== '' && !/^}/.test(lines[last])) last++;
    const out = lines.slice();
    if (rnd() < 0.7) {
      out[at] = out[at].replace('(', py ? '(flag, ' : '(flag: boolean, ');
      if (rnd() < 0.2) out[at] = out[at].replace(`${name}(`, `${name}2(`);
    } else out[at + 1] += py ? '  # x' : ' // x';
    const user = USERS[py ? 'py' : 'ts'];
    const uout = user.map((l) => (l.includes(`${name}(`) && rnd() < 0.7 ? l.replace(`${name}(`, `${name}(${py ? 'True' : 'true'}, `) : l));
    if (rnd() < 0.5) {
      const callee = pick([name, 'other']);
      const test = py ? ['', '', `def test_${name}_more():`, `    assert ${callee}(True, "x")`] : ["  it('more', () => {", `    expect(${callee}(true, 'x')).toBe(1);`, '  });'];
      uout.splice(uout.length - (py ? 0 : 1), 0, ...test);
    }
    if (rnd() < 0.3) uout.splice(Math.floor(rnd() * uout.length), 0, pick(['x = 1', 'const unrelated = 2;', '']));
    const range = rnd() < 0.2 ? null : { start: 1, end: 1 + Math.floor(rnd() * 2) };
    return [
      { file: py ? 'app/mod.py' : 'src/mod.ts', role: 'target', original: lines.join('\n') + '\n', edited: out.join('\n') + '\n', range: { start: at + 1, end: Math.min(lines.length, last + 1) } },
      { file: py ? pick(['tests/test_mod.py', 'app/use.py']) : pick(['test/mod.test.ts', 'src/use.ts']), role: 'edit', original: user.join('\n') + '\n', edited: uout.join('\n') + '\n', range },
    ];
  });
}

/** Character-level damage on both sides: unbalanced brackets and quotes, comment and string openers, lone CRs, astral and space-like characters. */
function hostileCases(count: number, seed: number): FileEdit[][] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const bits = ['(', ')', '{', '}', '[', ']', '"', "'", '`', '"""', '#', '//', '/*', '*/', '/', '\\', '\r', '\n', '\t', '${', 'f"', 'import x', 'from a import (b,\n c)', 'def f(', 'function g(', '=>', ':', ';', '\u{1F600}', '\u00a0', '\ufeff', 'lambda y: ', 'for z in w', 'class K:', ' as q', 'require("m")', 'export { a } from "b";'];
  const insert = (text: string, bit: string) => {
    const at = Math.floor(rnd() * text.length);
    return text.slice(0, at) + bit + text.slice(at);
  };
  return Array.from({ length: count }, () => {
    const py = rnd() < 0.5;
    let original = (py ? PY : TS).join('\n') + '\n';
    for (let k = Math.floor(rnd() * 3); k > 0; k--) original = insert(original, pick(bits));
    let edited = original;
    for (let k = 1 + Math.floor(rnd() * 6); k > 0; k--) {
      const at = Math.floor(rnd() * edited.length);
      edited = rnd() < 0.3 ? edited.slice(0, at) + edited.slice(at + Math.floor(rnd() * 10)) : insert(edited, pick(bits) + (rnd() < 0.5 ? '\n' : ''));
    }
    const lines = original.split(/\r\n|\r|\n/).length - (/[\r\n]$/.test(original) ? 1 : 0);
    const start = 1 + Math.floor(rnd() * lines);
    return [{ file: py ? 'app/mod.py' : 'src/mod.ts', role: 'target', original, edited, range: { start, end: Math.min(lines, start + Math.floor(rnd() * 6)) } }];
  });
}

type HunkRow = [number, number, number, number, string, boolean, boolean];
const row = (h: Pick<Hunk, 'originalStart' | 'originalLines' | 'editedStart' | 'editedLines' | 'scope' | 'whitespaceOnly'> & { moved?: unknown }): HunkRow => [h.originalStart, h.originalLines, h.editedStart, h.editedLines, h.scope, h.whitespaceOnly, !!h.moved];

/** Each file's hunks as Edit Scope's analysis and relevance give them. */
function typescriptHunks(files: FileEdit[]): HunkRow[][] {
  const analysed: TaskFile[] = files.map((f) => ({ ...f, analysis: analyze(f.original, f.edited, { fileName: f.file, ranges: f.range ? [f.range] : [] }) }));
  markSupporting(analysed);
  return analysed.map((f) => f.analysis.hunks.map(row));
}

/** The same, from the Python grader's port. */
function pythonHunks(cases: FileEdit[][]): HunkRow[][][] {
  return runPythonGrader(rftGrader().source, [
    'out = []',
    'for files in json.load(sys.stdin):',
    '    fs = [dict(f, hunks=scope["_hunks"](f["original"], f["edited"], [(f["range"]["start"], f["range"]["end"])] if f["range"] else [])) for f in files]',
    '    scope["_mark_supporting"](fs)',
    '    out.append([[[h["originalStart"], h["originalLines"], h["editedStart"], h["editedLines"], h["scope"], h["whitespaceOnly"], h["moved"]] for h in f["hunks"]] for f in fs])',
    'print(json.dumps(out))',
  ], cases);
}

/** The task as an exported item, and an answer that writes each file whole. */
function asAnswer(files: FileEdit[]): { item: GradeItem; answer: string } {
  const [target, ...edits] = files;
  const item: GradeItem = { format: 'whole', file: target.file, window_text: target.original, selection_start: target.range!.start, selection_end: target.range!.end, reference: target.edited };
  if (edits.length) {
    item.files = files.map((f) => f.file);
    item.edit_files = edits.map((f) => ({ path: f.file, text: f.original, ...(f.range ? { start: f.range.start, end: f.range.end } : {}), reference: f.edited }));
  }
  const fence = (f: FileEdit) => '```\n' + f.edited.replace(/\r?\n$/, '') + '\n```\n';
  return { item, answer: edits.length ? files.map((f) => `${f.file}\n${fence(f)}`).join('\n') : fence(target) };
}

function pythonGrades(answers: Array<{ item: GradeItem; answer: string }>): number[] {
  return runPythonGrader(rftGrader().source, ['print(json.dumps([scope["grade"]({"output_text": c["answer"]}, c["item"]) for c in json.load(sys.stdin)]))'], answers);
}

/** `minSupporting`: the share of cases that must have a supporting hunk, so that the agreement says something. */
function agree(cases: FileEdit[][], minSupporting = 0.25): void {
  const py = pythonHunks(cases);
  const ts = cases.map(typescriptHunks);
  const differ = cases.flatMap((files, k) => (JSON.stringify(ts[k]) === JSON.stringify(py[k]) ? [] : [{ files, typescript: ts[k], python: py[k] }]));
  assert.deepEqual(differ.slice(0, 2), [], `${differ.length} of ${cases.length} differ`);
  const supporting = ts.filter((hunks) => hunks.flat().some((h) => h[4] === 'supporting')).length;
  assert.ok(supporting >= cases.length * minSupporting, `only ${supporting} of ${cases.length} cases have a supporting hunk`);
  // And the grade the answer gets: the same as the TypeScript's, so the same as replay's.
  const answers = cases.map(asAnswer);
  const scores = pythonGrades(answers);
  const wrong = answers.flatMap((a, k) => {
    const g = gradeItem(a.item, a.answer);
    return Math.abs(g.score - scores[k]) < 1e-9 ? [] : [{ ...a, typescript: g.score, python: scores[k] }];
  });
  assert.deepEqual(wrong.slice(0, 2), [], `${wrong.length} of ${answers.length} grades differ`);
}

describe('the RFT grader reads supporting hunks as relevance does', function () {
  this.timeout(120_000);

  it('places a helper added after the last function, or between two, as the analysis does, and calls it supporting only when the change calls it', () => {
    const cases = HELPER_CASES.map((c) => [{ file: c.file, role: 'target' as const, original: c.original, edited: c.edited, range: c.range }]);
    const py = pythonHunks(cases);
    assert.deepEqual(py, cases.map(typescriptHunks));
    assert.deepEqual(
      py.map(([hunks]) => hunks.map((h) => h[4])),
      HELPER_CASES.map((c) => c.kinds.map((k) => k.split('/')[0])),
    );
  });

  it('makes the hunks the analysis makes, and calls the ones relevance calls supporting, on 400 generated edits of one file', () => {
    agree(singleFileCases(400, 41));
  });

  it('does so across files on 200 generated multi-file edits: call sites and tests in an editable file', () => {
    agree(multiFileCases(200, 43));
  });

  it('does so, without failing, on 200 edits damaged character by character (brackets, quotes, comment openers, lone CRs)', () => {
    agree(hostileCases(200, 47), 0);
  });
});
