import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/core/analysis/analyze';
import { applyHunks, inScopeApplicable } from '../../src/core/analysis/apply';
import type { Hunk, LineRange } from '../../src/core/analysis/analysisTypes';
import { markSupporting, type TaskFile } from '../../src/core/relevance/supporting';
import { cli } from './cliHarness';
import { HELPER_CASES } from '../fixtures/appendedHelpers';

/** The file's hunks after the analysis and the supporting pass, as check and edit give them. */
function judged(file: string, original: string, edited: string, range: LineRange): { hunks: Hunk[]; out: number } {
  const analysis = analyze(original, edited, { fileName: file, ranges: [range] });
  markSupporting([{ file, role: 'target', original, edited, analysis }]);
  return { hunks: analysis.hunks, out: analysis.outOfScopeHunks };
}

const scopes = (hs: Hunk[]) => hs.map((h) => `${h.originalStart}:${h.scope}`);

describe('supporting hunks', () => {
  const py = [
    'import os',
    '',
    '',
    'def load(path):',
    '    # read the file',
    '    with open(path) as f:',
    '        return f.read()',
    '',
    '',
    'def main():',
    '    print(load("a.txt"))',
    '',
  ].join('\n');

  it('calls an import the in-scope change uses supporting, and one nothing uses out', () => {
    const edited = py.replace('import os\n', 'import os\nimport json\nimport re\n').replace('        return f.read()', '        return json.load(f)');
    const { hunks, out } = judged('app/io.py', py, edited, { start: 4, end: 7 });
    // One insertion holds both: it is needed for `json`, which is the name it is linked by.
    assert.deepEqual(scopes(hunks), ['1:supporting', '7:in']);
    assert.deepEqual(hunks[0].link, { kind: 'import', names: ['json'] });
    assert.equal(out, 0);
    const one = judged('app/io.py', py, py.replace('import os\n', 'import os\nimport json\n').replace('        return f.read()', '        return json.load(f)'), { start: 4, end: 7 });
    assert.deepEqual(scopes(one.hunks), ['1:supporting', '7:in']);
    assert.equal(one.out, 0);
    assert.deepEqual(one.hunks[0].link, { kind: 'import', names: ['json'] });
    assert.match(one.hunks[0].reason, /imports json, which the change uses \(line 8\)/);
    const unused = judged('app/io.py', py, py.replace('import os\n', 'import os\nimport json\n'), { start: 4, end: 7 });
    assert.deepEqual(scopes(unused.hunks), ['1:out']);
  });

  it('keeps an import out when a local of the same name is what the change uses', () => {
    const edited = py.replace('import os\n', 'import os\nimport json\n').replace('        return f.read()', '        json = f.read()\n        return json');
    assert.deepEqual(scopes(judged('app/io.py', py, edited, { start: 4, end: 7 }).hunks), ['1:out', '7:in']);
  });

  it('calls a new helper the change calls supporting, and a debug print or a deleted comment out', () => {
    const helper = '\n\ndef _clean(text):\n    return text.strip()\n';
    const edited = (py + helper)
      .replace('        return f.read()', '        return _clean(f.read())')
      .replace('    print(load("a.txt"))', '    print("debug")\n    print(load("a.txt"))');
    const { hunks } = judged('app/io.py', py, edited, { start: 4, end: 7 });
    const kinds = hunks.map((h) => `${h.scope}${h.link ? `/${h.link.kind}` : ''}`);
    assert.deepEqual(kinds, ['in', 'out', 'supporting/definition']);
    const unusedHelper = py + helper;
    assert.deepEqual(judged('app/io.py', py, unusedHelper, { start: 4, end: 7 }).hunks.map((h) => h.scope), ['out']);
    const comment = judged('app/io.py', py, py.replace('    # read the file\n', ''), { start: 10, end: 11 });
    assert.deepEqual(comment.hunks.map((h) => h.scope), ['out']);
  });

  it('calls the call sites of a signature the change changed supporting, in the same file', () => {
    const edited = py.replace('def load(path):', 'def load(path, encoding):').replace('open(path)', 'open(path, encoding=encoding)').replace('load("a.txt")', 'load("a.txt", "utf-8")');
    const { hunks, out } = judged('app/io.py', py, edited, { start: 4, end: 7 });
    assert.deepEqual(hunks.filter((h) => h.originalStart < 10).map((h) => h.scope), hunks.filter((h) => h.originalStart < 10).map(() => 'in'));
    const call = hunks.find((h) => h.originalStart === 11)!;
    assert.equal(call.scope, 'supporting');
    assert.deepEqual(call.link, { kind: 'reference', names: ['load'] });
    assert.equal(out, 0);
    // The body alone changed: the signature is the same, so the caller's edit was not needed.
    const bodyOnly = py.replace('open(path)', 'open(path, "rb")').replace('load("a.txt")', 'load("b.txt")');
    assert.deepEqual(judged('app/io.py', py, bodyOnly, { start: 4, end: 7 }).hunks.map((h) => h.scope), ['in', 'out']);
  });

  it('in TypeScript: a named import the change uses, and a renamed function at its call sites', () => {
    const ts = ["import { a } from './a';", '', 'export function total(xs: number[]): number {', '  return xs.length;', '}', '', 'export function report(xs: number[]): string {', '  return `n=${total(xs)}`;', '}', ''].join('\n');
    const imp = ts.replace("import { a } from './a';", "import { a } from './a';\nimport { sum } from './sum';").replace('  return xs.length;', '  return sum(xs);');
    assert.deepEqual(judged('src/t.ts', ts, imp, { start: 3, end: 5 }).hunks.map((h) => h.scope), ['supporting', 'in']);
    const rename = ts.replace('function total(', 'function count(').replace('${total(xs)}', '${count(xs)}');
    const r = judged('src/t.ts', ts, rename, { start: 3, end: 5 });
    assert.deepEqual(r.hunks.map((h) => h.scope), ['in', 'supporting']);
    assert.deepEqual(r.hunks[1].link?.names, ['count', 'total']);
    // The same call changed when nothing about `total` did: out.
    const unrelated = ts.replace('${total(xs)}', '${total(xs.slice(1))}');
    assert.deepEqual(judged('src/t.ts', ts, unrelated, { start: 3, end: 5 }).hunks.map((h) => h.scope), ['out']);
  });

  it('in a multi-file task: a call site in an editable file and a test of the changed symbol', () => {
    const target = 'def area(w, h):\n    return w * h\n';
    const caller = 'from shapes.geo import area\n\n\ndef room():\n    return area(3, 4)\n\n\ndef unrelated():\n    return 1\n';
    const test = 'from shapes.geo import area\n\n\ndef test_area():\n    assert area(2, 2) == 4\n';
    const files: TaskFile[] = [
      { file: 'shapes/geo.py', role: 'target', original: target, edited: target.replace('area(w, h)', 'area(w, h, scale=1)').replace('w * h', 'w * h * scale'), analysis: null as never },
      { file: 'shapes/room.py', role: 'edit', original: caller, edited: caller.replace('area(3, 4)', 'area(3, 4, scale=2)').replace('return 1', 'return 2'), analysis: null as never },
      { file: 'tests/test_geo.py', role: 'edit', original: test, edited: test + '\n\ndef test_scale():\n    assert area(2, 2, scale=2) == 8\n', analysis: null as never },
      { file: 'scratch.py', role: 'other', original: '', edited: 'from shapes.geo import area\nprint(area(1, 1))\n', analysis: null as never },
    ];
    const ranges: Record<string, LineRange> = { 'shapes/geo.py': { start: 1, end: 2 }, 'shapes/room.py': { start: 8, end: 9 }, 'tests/test_geo.py': { start: 1, end: 1 } };
    for (const f of files) {
      f.analysis = analyze(f.original, f.edited, { fileName: f.file, ranges: ranges[f.file] ? [ranges[f.file]] : [] });
      if (f.role === 'other') f.analysis.hunks.forEach((h) => (h.scope = 'out'));
    }
    markSupporting(files);
    assert.deepEqual(files[1].analysis.hunks.map((h) => h.scope), ['supporting', 'in']);
    assert.deepEqual(files[2].analysis.hunks.map((h) => [h.scope, h.reason]), [['supporting', 'test']]);
    assert.deepEqual(files[3].analysis.hunks.map((h) => h.scope), ['out']);
  });

  it('reads imports as Python scopes them: a name added to a parenthesised list, one imported in a function, a class constant', () => {
    const src = [
      'from .errors import (ConnectionError, Timeout,',
      '                     ProxyError)',
      '',
      '',
      'class Parser:',
      '    _re_int = re.compile(r"^\\d+$")',
      '',
      '    @classmethod',
      '    def parse(cls, text):',
      '        if cls._re_int.match(text):',
      '            return int(text)',
      '        raise ConnectionError(text)',
      '',
      '',
      'def helper():',
      '    return 1',
      '',
    ];
    const listed = [...src];
    listed[1] = '                     ProxyError, DecodeError)';
    listed[11] = '        raise DecodeError(text)';
    const a = judged('p.py', src.join('\n'), listed.join('\n'), { start: 9, end: 12 });
    assert.deepEqual(a.hunks.map((h) => [h.originalStart, h.scope]), [[2, 'supporting'], [12, 'in']]);
    const constant = [...src.slice(0, 6), '    _re_float = re.compile(r"^\\d+\\.\\d+$")', ...src.slice(6)];
    constant[10] = '        if cls._re_int.match(text) or cls._re_float.match(text):';
    const b = judged('p.py', src.join('\n'), constant.join('\n'), { start: 9, end: 12 });
    assert.deepEqual(b.hunks.map((h) => [h.scope, h.link?.kind ?? null]), [['supporting', 'definition'], ['in', null]]);
    // Imported inside helper(): the name is helper's own, so parse() cannot be using it.
    const local = [...src.slice(0, 15), '    from .errors import DecodeError', ...src.slice(15)];
    local[11] = '        raise DecodeError(text)';
    const c = judged('p.py', src.join('\n'), local.join('\n'), { start: 9, end: 12 });
    assert.deepEqual(c.hunks.map((h) => h.scope), ['in', 'out']);
  });

  it('takes the blank lines the diff placed apart from a new helper as the helper\'s spacing', () => {
    const src = ['class A:', '    def f(self, p):', '        if p and p.ok:', '            return 1', '        return 0', '', '', 'def main():', '    return A().f(None)', ''];
    const edited = [...src.slice(0, 2), '        if self._ok(p):', ...src.slice(3, 5), '', '    def _ok(self, p):', '        return p and p.ok', '', ...src.slice(5)];
    const { hunks, out } = judged('a.py', src.join('\n'), edited.join('\n'), { start: 3, end: 4 });
    assert.equal(out, 0, JSON.stringify(hunks));
    assert.ok(hunks.some((h) => h.link?.kind === 'definition'));
  });

  for (const c of HELPER_CASES) {
    it(`reads a helper outside the selection whole, not from the line the function before it ends with: ${c.name}`, () => {
      const { hunks } = judged(c.file, c.original, c.edited, c.range);
      assert.deepEqual(hunks.map((h) => `${h.scope}${h.link ? `/${h.link.kind}` : ''}`), c.kinds);
      // The helper's hunk holds its definition from its first line to its last.
      const added = hunks.find((h) => h.scope !== 'in')!;
      const lines = c.edited.split('\n').slice(added.editedStart - 1, added.editedStart - 1 + added.editedLines).filter((l) => l.trim());
      assert.match(lines[0], /^(?:function clean|def _clean)\(/);
      assert.match(lines[lines.length - 1], c.file.endsWith('.py') ? /^ {4}return result$/ : /^}$/);
    });
  }

  it('Apply In-Scope Only keeps supporting hunks and leaves out-of-scope ones', () => {
    const edited = py.replace('import os\n', 'import os\nimport json\n').replace('        return f.read()', '        return json.load(f)').replace('    print(load("a.txt"))', '    print(load("b.txt"))');
    const analysis = analyze(py, edited, { fileName: 'io.py', ranges: [{ start: 4, end: 7 }] });
    markSupporting([{ file: 'io.py', role: 'target', original: py, edited, analysis }]);
    const applied = applyHunks(py, edited, analysis.hunks, inScopeApplicable(analysis));
    assert.equal(applied, edited.replace('load("b.txt")', 'load("a.txt")'));
  });

  it('editscope check reports supporting hunks in JSON and text, and counts only out ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'editscope-support-'));
    const o = join(dir, 'io.py');
    const e = join(dir, 'io.edited.py');
    writeFileSync(o, py);
    writeFileSync(e, py.replace('import os\n', 'import os\nimport json\n').replace('        return f.read()', '        return json.load(f)'));
    const r = await cli(['check', '--original', o, '--edited', e, '--range', '4-7', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(json.hunks.map((h: Hunk) => h.scope), ['supporting', 'in']);
    assert.equal(json.outOfScopeHunks, 0);
    const text = await cli(['check', '--original', o, '--edited', e, '--range', '4-7']);
    assert.match(text.stdout, /1 in scope, 1 supporting, 0 out of scope/);
    assert.match(text.stdout, /Supporting[^\n]*:\n\s+@@ -1,0 \+2,1 @@\s+inserts 1 line after line 1; supports the change: imports json/);
  });
});
