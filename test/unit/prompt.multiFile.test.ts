import * as assert from 'node:assert/strict';
import { filesFromAnswer, splitByFile, type MultiFileInput } from '../../src/core/prompt/multiFile';
import { caseExpected, caseFile } from '../fixtures/cases';

const TARGET = 'a\nb\nc\nd\n';
const EDIT = 'export function f() {\n  return 1;\n}\n';
const OTHER = 'x = 1\n';

const input = (window = { start: 1, end: 4 }): MultiFileInput => ({
  target: { path: 'src/a.ts', original: TARGET, window },
  editFiles: [{ path: 'src/b.ts', text: EDIT }],
  readOther: (p) => (p === 'lib/other.py' ? OTHER : null),
});

describe('multi-file answers', () => {
  it('splits at a path alone on the line before each block, in the ways models write a path, never inside a block', () => {
    const at = ['multi-file', 'path-before-each-block'];
    const answer = caseFile(...at, 'answer.md');
    assert.deepEqual(
      splitByFile(answer).map((s) => s.path),
      caseExpected<{ paths: string[] }>(...at).paths,
    );
  });

  it('takes a path written as a comment on the first line inside a block, or in its info string, for that file, and leaves the comment out', () => {
    const answer = [
      'src/a.ts', '```ts', 'b', 'B!', '```', '',
      '```ts', '// src/b.ts', 'export function f() {', '  return 2;', '}', '```', '',
      '```python', '# lib/other.py', 'x = 2', '```', '',
      '```ts new/file.ts', 'export {};', '```', '',
      '```new/bare.ts', 'export {};', '```',
    ].join('\n');
    assert.deepEqual(splitByFile(answer).map((s) => s.path), ['src/a.ts', 'src/b.ts', 'lib/other.py', 'new/file.ts', 'new/bare.ts']);
    const out = filesFromAnswer(input({ start: 2, end: 2 }), 'whole', answer, 'stop');
    assert.ok(out.ok, JSON.stringify(out));
    assert.deepEqual(
      out.files.map((f) => [f.path, f.role, f.edited]),
      [
        ['src/a.ts', 'target', 'a\nb\nB!\nc\nd\n'],
        ['src/b.ts', 'edit', 'export function f() {\n  return 2;\n}\n'],
        ['lib/other.py', 'other', 'x = 2\n'],
        ['new/file.ts', 'other', 'export {};\n'],
        ['new/bare.ts', 'other', 'export {};\n'],
      ],
    );
    // The same comment under a path line is the model repeating the path, unless the file holds that line.
    const repeated = ['src/b.ts', '```ts', '// src/b.ts', 'export function f() {', '  return 3;', '}', '```'].join('\n');
    const r = filesFromAnswer(input(), 'whole', repeated, 'stop');
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.files[1].edited, 'export function f() {\n  return 3;\n}\n');
    const own = { ...input(), editFiles: [{ path: 'src/b.ts', text: '// src/b.ts\n' + EDIT }] };
    const kept = filesFromAnswer(own, 'whole', repeated, 'stop');
    assert.ok(kept.ok, JSON.stringify(kept));
    assert.equal(kept.files[1].edited, '// src/b.ts\nexport function f() {\n  return 3;\n}\n');
  });

  it('gives each file its edit and role: the target spliced into its window, editable files whole, others as written', () => {
    const answer = ['src/a.ts', '```', 'b', 'B!', '```', '', './src/b.ts', '```ts', 'export function f() {', '  return 2;', '}', '```', '', 'lib/other.py', '```python', 'x = 2', '```', '', 'new/file.ts', '```', 'export {};', '```'].join('\n');
    const out = filesFromAnswer(input({ start: 2, end: 2 }), 'whole', answer, 'stop');
    assert.ok(out.ok, JSON.stringify(out));
    assert.deepEqual(
      out.files.map((f) => [f.path, f.role, f.exists, f.edited]),
      [
        ['src/a.ts', 'target', true, 'a\nb\nB!\nc\nd\n'],
        ['src/b.ts', 'edit', true, 'export function f() {\n  return 2;\n}\n'],
        ['lib/other.py', 'other', true, 'x = 2\n'],
        ['new/file.ts', 'other', false, 'export {};\n'],
      ],
    );
  });

  it('applies SEARCH/REPLACE blocks per file, a file left out stays as it was, and a block with no path is the target', () => {
    const sr = ['```', '<<<<<<< SEARCH', 'c', '=======', 'C', '>>>>>>> REPLACE', '```'].join('\n');
    const out = filesFromAnswer(input(), 'search-replace', sr, 'stop');
    assert.ok(out.ok);
    assert.deepEqual(out.files.map((f) => f.edited), ['a\nb\nC\nd\n', EDIT]);
    const two = filesFromAnswer(input(), 'search-replace', `src/a.ts\n${sr}\nsrc/a.ts\n<<<<<<< SEARCH\nC\n=======\nC2\n>>>>>>> REPLACE\n`, 'stop');
    assert.ok(two.ok);
    assert.equal(two.files[0].edited, 'a\nb\nC2\nd\n', 'the second part applies on top of the first');
  });

  it('refuses what it cannot take apart, naming the file: a part that does not parse, two whole blocks for one file, truncation', () => {
    const bad = filesFromAnswer(input(), 'search-replace', 'src/b.ts\n<<<<<<< SEARCH\nnot there\n=======\ny\n>>>>>>> REPLACE\n', 'stop');
    assert.ok(!bad.ok && bad.error.kind === 'malformed-output' && /^src\/b\.ts: /.test(bad.error.message), JSON.stringify(bad));
    const twice = filesFromAnswer(input(), 'whole', 'src/b.ts\n```\nx\n```\nsrc/b.ts\n```\ny\n```\n', 'stop');
    assert.ok(!twice.ok && /two code blocks for src\/b\.ts/.test(twice.error.message));
    const none = filesFromAnswer(input(), 'whole', 'No changes needed.', 'stop');
    assert.ok(!none.ok && none.error.kind === 'malformed-output');
    const cut = filesFromAnswer(input(), 'whole', 'src/a.ts\n```\na\n', 'length');
    assert.ok(!cut.ok && cut.error.kind === 'truncated');
  });
});
