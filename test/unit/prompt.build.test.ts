import * as assert from 'node:assert/strict';
import { createTask } from '../../src/core/task/createTask';
import { editedFromAnswer } from '../../src/core/prompt/answer';
import { buildPrompt } from '../../src/core/prompt/build';
import { parseWholeAnswer } from '../../src/core/prompt/parse';
import { spliceWindow } from '../../src/core/prompt/window';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

describe('prompt', () => {
  it('sends the whole small file in XML sections with the selection, context and instruction', () => {
    const task = createTask({
      file: 'src/a.ts',
      original: lines(10),
      range: { start: 3, end: 4 },
      instruction: 'Rename things',
      contextFiles: [{ path: 'src/b.ts', text: 'export const b = 1;\n' }],
      dependsOn: [{ file: 'src/b.ts', symbols: ['b'] }],
    });
    const p = buildPrompt(task);
    assert.deepEqual(p.window, { start: 1, end: 10 });
    assert.deepEqual(p.template, { id: 'editscope-whole', version: 2 });
    const user = p.messages[1].content;
    assert.match(user, /<file path="src\/a.ts" language="typescript" lines="1-10" total_lines="10">\nline 1\n[\s\S]*line 10\n<\/file>/);
    assert.match(user, /<selection lines="3-4">\nline 3\nline 4\n<\/selection>/);
    assert.match(user, /<context_file path="src\/b.ts">\nexport const b = 1;\n<\/context_file>/);
    assert.match(user, /<instruction>\nRename things\n<\/instruction>/);
    assert.equal(task.locality, 'cross-file');
    // Attaching a file does not make a task cross-file: what the selection uses does.
    assert.equal(createTask({ file: 'a.ts', original: 'x\n', range: { start: 1, end: 1 }, instruction: 'y', contextFiles: [{ path: 'b.ts', text: '' }] }).locality, 'local');
  });

  it('sends a window around the selection of a large file and records its bounds', () => {
    const task = createTask({ file: 'big.py', original: lines(5000), range: { start: 2000, end: 2010 }, instruction: 'x' });
    const p = buildPrompt(task, { contextLines: 100 });
    assert.deepEqual(p.window, { start: 1900, end: 2110 });
    assert.match(p.messages[1].content, /lines="1900-2110" total_lines="5000" partial="true">\nline 1900\n/);
    assert.equal(task.locality, 'local');
  });

  it('refuses a range outside the file and an empty instruction, naming the problem', () => {
    assert.throws(() => createTask({ file: 'a.ts', original: lines(5), range: { start: 4, end: 9 }, instruction: 'x' }), /range 4-9 is outside a.ts, which has 5 lines/);
    assert.throws(() => createTask({ file: 'a.ts', original: lines(5), range: { start: 1, end: 2 }, instruction: '  ' }), /instruction is empty/);
  });

  it('takes one fenced block whatever its tag, and refuses none, several, empty, unclosed or truncated', () => {
    assert.deepEqual(parseWholeAnswer('Sure:\n```typescript\nconst a = 1;\n```\nDone.', 'stop'), { ok: true, text: 'const a = 1;' });
    assert.deepEqual(parseWholeAnswer('~~~\nx\n~~~', 'stop'), { ok: true, text: 'x' });
    // A longer fence keeps a shorter one inside it as text (a Markdown file being edited).
    assert.deepEqual(parseWholeAnswer('````md\n```js\nx\n```\n````', 'stop'), { ok: true, text: '```js\nx\n```' });
    const kind = (text: string, finish: string | null = 'stop') => {
      const r = parseWholeAnswer(text, finish);
      return r.ok ? 'ok' : r.error.kind;
    };
    assert.equal(kind('I think it is fine.'), 'malformed-output');
    assert.equal(kind('```\na\n```\nor\n```\nb\n```'), 'malformed-output');
    assert.equal(kind('```\n\n```'), 'malformed-output');
    assert.equal(kind('```\na'), 'malformed-output');
    assert.equal(kind('```\na\n```', 'length'), 'truncated');
  });

  it('splices the window back with the original line endings and final newline', () => {
    const crlf = 'a\r\nb\r\nc\r\nd';
    assert.equal(spliceWindow(crlf, { start: 2, end: 4 }, 'B\nc\nd\n'), 'a\r\nB\r\nc\r\nd');
    assert.equal(spliceWindow('a\nb\nc\n', { start: 1, end: 3 }, 'a\nb2\nc'), 'a\nb2\nc\n');
    assert.equal(spliceWindow('a\nb\nc\nd\n', { start: 2, end: 3 }, 'x\ny\nz'), 'a\nx\ny\nz\nd\n');
    // Lines left as they were keep their own endings; changed ones take the usual one.
    assert.equal(spliceWindow('a\r\nb\nc\r\nd\n', { start: 1, end: 4 }, 'a\nB\nc\nd'), 'a\r\nB\nc\r\nd\n');
    assert.equal(spliceWindow('a\r\nb\r\nc\n', { start: 1, end: 3 }, 'a\nb\nnew\nc'), 'a\r\nb\r\nnew\r\nc\n');
  });

  it('applies search-replace blocks and refuses one that matches nowhere or twice', () => {
    const original = 'function f() {\n  return 1;\n}\nfunction g() {\n  return 1;\n}\n';
    const w = { start: 1, end: 6 };
    const ok = editedFromAnswer(original, w, 'search-replace', '```\n<<<<<<< SEARCH\nfunction g() {\n  return 1;\n=======\nfunction g() {\n  return 2;\n>>>>>>> REPLACE\n```', 'stop');
    assert.deepEqual(ok, { ok: true, edited: original.replace(/return 1;\n}\n$/, 'return 2;\n}\n') });
    const twice = editedFromAnswer(original, w, 'search-replace', '<<<<<<< SEARCH\n  return 1;\n=======\n  return 3;\n>>>>>>> REPLACE', 'stop');
    assert.equal(!twice.ok && twice.error.kind, 'malformed-output');
    assert.match(!twice.ok ? twice.error.message : '', /more than one place/);
    const nowhere = editedFromAnswer(original, w, 'search-replace', '<<<<<<< SEARCH\n  return 9;\n=======\n  return 3;\n>>>>>>> REPLACE', 'stop');
    assert.match(!nowhere.ok ? nowhere.error.message : '', /does not match/);
  });
});
