import * as assert from 'node:assert/strict';
import { createTask } from '../../src/core/task/createTask';
import { gradeItem } from '../../src/core/evalset/gradeItem';
import { SCOPE_JS } from '../../src/core/evalset/promptfooAssertions';
import { messagesFor } from '../../src/core/evalset/prompt';
import { rftGrader } from '../../src/core/evalset/rft';
import type { EvalSetTask } from '../../src/core/evalset/evalSetTask';
import { editedFromAnswer } from '../../src/core/prompt/answer';
import { buildPrompt, promptFor, TEMPLATES, type EditFormat } from '../../src/core/prompt/build';
import { filesFromAnswer } from '../../src/core/prompt/multiFile';
import { applySearchReplace, parseSearchReplaceAnswer, parseWholeAnswer } from '../../src/core/prompt/parse';
import { formatSearchReplace } from '../../src/core/prompt/searchReplace';
import { ANSWER_SHAPES, CART } from '../fixtures/answerShapes';
import { runPythonGrader } from './pythonGrader';

/** The file after the answer, or the error, for an answer to a prompt built the way the CLI builds it. */
function outcome(file: string, original: string, range: { start: number; end: number }, format: EditFormat, answer: string, finish: string | null = 'stop', contextLines?: number) {
  const task = createTask({ file, original, range, instruction: 'x' });
  const prompt = buildPrompt(task, { format, contextLines });
  return editedFromAnswer(original, prompt.window, format, answer, finish, file, range);
}

const block = (search: string, replace: string) => `<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE`;

describe('answers in the shapes real models give', () => {
  for (const s of ANSWER_SHAPES) {
    it(`${s.name}: ${typeof s.expect === 'string' ? 'the intended text' : s.expect.error}`, () => {
      const r = outcome(s.file, s.original, s.range, s.format, s.answer, s.finish ?? 'stop');
      if (typeof s.expect === 'string') {
        assert.ok(r.ok, r.ok ? '' : r.error.message);
        assert.equal(r.edited, s.expect);
      } else {
        assert.ok(!r.ok, 'the answer must be refused');
        assert.equal(r.error.kind, s.expect.error);
        if (s.expect.message) assert.match(r.error.message, s.expect.message);
      }
    });
  }
});

describe('the exported RFT grader (Python)', () => {
  it('reads every answer shape as Edit Scope does', () => {
    // The grading service gives no finish reason, so answers cut off for length are left out.
    const shapes = ANSWER_SHAPES.filter((s) => s.finish !== 'length');
    const cases = shapes.map((s) => ({ item: { window_text: s.original, file: s.file, format: s.format, selection_start: s.range.start, selection_end: s.range.end }, answer: s.answer }));
    const got = runPythonGrader<Array<string | null>>(rftGrader().source, [
      'out = []',
      'for c in json.load(sys.stdin):',
      '    try:',
      '        out.append("".join(t + e for t, e in scope["edited_window"](c["item"], c["answer"])))',
      '    except scope["Unusable"]:',
      '        out.append(None)',
      'print(json.dumps(out))',
    ], cases);
    const differ = shapes.filter((s, k) => {
      const ts = outcome(s.file, s.original, s.range, s.format, s.answer);
      return (ts.ok ? ts.edited : null) !== got[k];
    });
    assert.deepEqual(differ.map((s) => s.name), []);
  });
});

describe('the exported promptfoo assertions (JavaScript)', () => {
  it('run the bundled TypeScript: every answer shape read as Edit Scope reads it', () => {
    // The assertion's script, with the grade it computes returned instead of the verdict.
    const edited = new Function('output', 'context', SCOPE_JS.replace(/return editScope\.assertScope\(output, context\);\n$/, 'return editScope.gradeItem(context.vars, output).edited;')) as (output: string, context: unknown) => unknown;
    // promptfoo gives no finish reason, so answers cut off for length are left out.
    const differ = ANSWER_SHAPES.filter((s) => s.finish !== 'length').filter((s) => {
      const ts = outcome(s.file, s.original, s.range, s.format, s.answer);
      const vars = { format: s.format, file: s.file, window_text: s.original, selection_start: s.range.start, selection_end: s.range.end };
      const js = edited(s.answer, { vars });
      return (ts.ok ? ts.edited : null) !== js || js !== gradeItem(vars, s.answer).edited;
    });
    assert.deepEqual(differ.map((s) => s.name), []);
  });
});

describe('SEARCH/REPLACE blocks', () => {
  const sr = (original: string, answer: string, finish: string | null = 'stop') => outcome('a.ts', original, { start: 1, end: 1 }, 'search-replace', answer, finish);

  it('reads marker spellings models use, indented or with trailing spaces, and nothing that is not a marker line', () => {
    const original = 'a\nb\nc\n';
    for (const [open, divider, close] of [
      ['<<<<<<< SEARCH', '=======', '>>>>>>> REPLACE'],
      ['<<<<<<<SEARCH', '=====', '>>>>>>>REPLACE'],
      ['<<<<<<< SEARCH>', '=========', '>>>>>>>>> REPLACE'],
      ['   <<<<<<< SEARCH  ', '   =======\t', '   >>>>>>> REPLACE '],
      ['------- SEARCH', '=======', '+++++++ REPLACE'],
    ]) {
      assert.deepEqual(sr(original, `${open}\nb\n${divider}\nB\n${close}`), { ok: true, edited: 'a\nB\nc\n' }, open);
    }
    assert.equal(sr(original, 'Use <<<<<<< SEARCH and >>>>>>> REPLACE markers.').ok, false);
  });

  it('deletes whole lines, line endings with them, and keeps a missing final newline missing', () => {
    assert.deepEqual(sr('a\nb\nc\n', block('b\n', '')), { ok: true, edited: 'a\nc\n' });
    assert.deepEqual(sr('a\nb\nc\n', block('a\nb\nc\n', '')), { ok: true, edited: '' });
    assert.deepEqual(sr('a\nb', block('b\n', '')), { ok: true, edited: 'a' });
    assert.deepEqual(sr('a\nb', block('b\n', 'B\n')), { ok: true, edited: 'a\nB' });
    // A REPLACE part of one empty line is that line, not a deletion.
    assert.deepEqual(sr('a\nb\nc\n', block('b\n', '\n')), { ok: true, edited: 'a\n\nc\n' });
  });

  it('keeps each untouched line ending of a mixed file, and gives new lines the usual one', () => {
    const original = 'a\r\nb\r\nc\nd\r\n';
    assert.deepEqual(sr(original, block('b\n', 'b\nb2\n')), { ok: true, edited: 'a\r\nb\r\nb2\r\nc\nd\r\n' });
    assert.deepEqual(sr(original, block('c\n', 'C\n')), { ok: true, edited: 'a\r\nb\r\nC\nd\r\n' });
  });

  it('applies blocks in order, each to the text the ones before it left', () => {
    const r = sr('x = 1\ny = 2\n', [block('x = 1\n', 'x = 10\n'), block('x = 10\ny = 2\n', 'x = 10\ny = 20\n')].join('\n'));
    assert.deepEqual(r, { ok: true, edited: 'x = 10\ny = 20\n' });
  });

  it('matches only inside the window that was sent and names file lines in its errors', () => {
    const original = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const at = (answer: string) => outcome('big.ts', original, { start: 50, end: 50 }, 'search-replace', answer, 'stop', 20);
    assert.deepEqual(at(block('line 50\n', 'line fifty\n')), { ok: true, edited: original.replace('line 50\n', 'line fifty\n') });
    const outside = at(block('line 5\n', 'line five\n'));
    // "line 5" is in the window only inside longer lines.
    assert.ok(!outside.ok && /matches only part of line 50 \("line 50"\)/.test(outside.error.message), outside.ok ? "" : outside.error.message);
    const twice = at(block('line 50\n', 'x\n') + '\n' + block('line 49\n', 'y\n') + '\n' + block('line 4\n', 'z\n'));
    assert.ok(!twice.ok);
    assert.match(twice.error.message, /^SEARCH\/REPLACE block 3 /);
    const spaced = at(block('line  50\n', 'x\n'));
    assert.ok(!spaced.ok);
    assert.match(spaced.error.message, /matches lines 50-50 only if whitespace inside lines is ignored/);
  });

  it('refuses a re-indent it cannot do rather than guessing', () => {
    // The SEARCH part is indented 4 more than the file; a REPLACE line indented less than that cannot lose 4.
    const r = sr('def f():\n    return 1\n', block('    def f():\n        return 1\n', '    def f():\n  return 2\n'));
    assert.ok(!r.ok);
    assert.match(r.error.message, /cannot be re-indented/);
  });

  it('treats a refused block as the whole answer refused: no block of it applies', () => {
    const r = sr('a\nb\n', block('a\n', 'A\n') + '\n' + block('zzz\n', 'Z\n'));
    assert.ok(!r.ok);
    assert.match(r.error.message, /block 2 does not match the text: "zzz"/);
  });

  it('writes blocks that read back as the same blocks, deletions and empty lines included', () => {
    const blocks = [
      { search: 'a\n', replace: '' },
      { search: 'b\n\n', replace: '\n' },
      { search: 'c', replace: 'C' },
    ];
    const parsed = parseSearchReplaceAnswer(blocks.map(formatSearchReplace).join('\n\n'), 'stop');
    assert.deepEqual(parsed, { ok: true, edits: [{ search: 'a\n', replace: '' }, { search: 'b\n\n', replace: '\n' }, { search: 'c\n', replace: 'C\n' }] });
  });

  it('applies hundreds of blocks to a large file, and refuses a huge answer that matches nowhere, in one pass each', () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => (i % 5 === 4 ? '}' : `  value${i} = compute(${i});`));
    const original = lines.join('\n') + '\n';
    const blocks: string[] = [];
    const expected = lines.slice();
    for (let k = 0; k < 400; k++) {
      const i = k * 70 + 3;
      blocks.push(block(`${lines[i]}\n${lines[i + 1]}\n`, `${lines[i]}\n${lines[i + 1]}\n  // checked ${k}\n`));
      expected[i + 1] += `\n  // checked ${k}`;
    }
    const r = applySearchReplace(original, parseOk(blocks.join('\n\n')));
    assert.deepEqual(r, { ok: true, text: expected.join('\n') + '\n' });
    // Every line of the SEARCH part repeats in the file; only the last one is nowhere.
    const braces = '}\n'.repeat(50_000);
    const miss = applySearchReplace(braces, parseOk(block('}\n'.repeat(5_000) + 'x\n', '')));
    assert.ok(!miss.ok && /does not match/.test(miss.error.message));
  });
});

describe('the whole format', () => {
  it('takes a huge answer whole', () => {
    const body = Array.from({ length: 200_000 }, (_, i) => `line ${i}`).join('\n');
    const r = parseWholeAnswer('Here:\n```text\n' + body + '\n```\n', 'stop', { windowText: body, file: 'big.txt' });
    assert.ok(r.ok && r.text === body);
  });

  it('without a target (an exported answer), still wants exactly one block', () => {
    assert.equal(parseWholeAnswer('```\na\n```\n```bash\nls\n```', 'stop').ok, false);
    assert.deepEqual(parseWholeAnswer('```\na\n```', 'stop'), { ok: true, text: 'a' });
  });
});

describe('multi-file answers, each file read by the same rules', () => {
  const input = { target: { path: 'src/a.ts', original: 'a\nb\n', window: { start: 1, end: 2 } }, editFiles: [{ path: 'src/b.ts', text: 'x\ny\n' }], readOther: () => null };
  const files = (answer: string, format: EditFormat, finish: string | null = 'stop') => {
    const r = filesFromAnswer(input, format, answer, finish);
    return r.ok ? r.files.map((f) => f.edited) : r.error.message;
  };

  it("takes each file's block beside a shell block, and a last block left unclosed when the answer ended normally", () => {
    assert.deepEqual(files('src/a.ts\n```ts\na\nB\n```\nThen run:\n```bash\nnpm test\n```\n\nsrc/b.ts\n```ts\nx\nY\n```', 'whole'), ['a\nB\n', 'x\nY\n']);
    assert.deepEqual(files('src/a.ts\n<<<<<<< SEARCH\nb\n=======\n>>>>>>> REPLACE\n\nsrc/b.ts\n```\n<<<<<<< SEARCH\ny\n=======\nY\n```', 'search-replace'), ['a\n', 'x\nY\n']);
    assert.match(String(files('src/a.ts\n<<<<<<< SEARCH\nb\n=======\nB\n\nsrc/b.ts\n```\n<<<<<<< SEARCH\ny\n=======\nY\n>>>>>>> REPLACE\n```', 'search-replace')), /src\/a.ts: SEARCH\/REPLACE block 1 is never closed/);
  });

  it("takes a path alone on a fence's first line before SEARCH as the block's file (aider's shape), never the target's", () => {
    assert.deepEqual(files('```ts\nsrc/b.ts\n<<<<<<< SEARCH\ny\n=======\nY\n>>>>>>> REPLACE\n```\n', 'search-replace'), ['a\nb\n', 'x\nY\n']);
    // A block for a file the task does not have is that file's: never applied to the target, even where it matches there.
    const r = filesFromAnswer(input, 'search-replace', '```ts\nlib/a.ts\n<<<<<<< SEARCH\nb\n=======\nB\n>>>>>>> REPLACE\n```\n', 'stop');
    assert.ok(!r.ok || r.files.find((f) => f.path === 'src/a.ts')!.edited === 'a\nb\n', 'src/a.ts is untouched');
  });
});

describe('prompt templates', () => {
  it('v2 asks for every line in full, and for a longer fence when the text holds one', () => {
    const md = createTask({ file: 'README.md', original: '# T\n\n````sh\nls\n````\n', range: { start: 1, end: 1 }, instruction: 'Retitle' });
    const p = buildPrompt(md);
    assert.deepEqual(p.template, { id: 'editscope-whole', version: 2 });
    assert.match(p.messages[0].content, /Never leave code out: no placeholders such as "\/\/ \.\.\. existing code \.\.\."/);
    assert.match(p.messages[1].content, /open and close your block with ````` \(5 backticks\)/);
    const plain = buildPrompt(createTask({ file: 'src/cart.ts', original: CART, range: { start: 6, end: 12 }, instruction: 'x' }), { format: 'search-replace' });
    assert.doesNotMatch(plain.messages[1].content, /backticks/);
    assert.match(plain.messages[0].content, /Every block has exactly one ======= line and ends with >>>>>>> REPLACE/);
  });

  it('rebuilds a task logged with v1 with exactly the v1 text', () => {
    const t = {
      file: 'a.ts', language: 'typescript', window: { start: 1, end: 2 }, windowText: 'a\nb\n', totalLines: 2, ranges: [{ start: 1, end: 1 }],
      instruction: 'x', contextFiles: [], prompt: { template: { id: TEMPLATES.whole.id, version: 1 }, format: 'whole', contextLines: 400 },
    } as unknown as EvalSetTask;
    const v1 = messagesFor(t);
    assert.equal(
      v1[0].content,
      'You are a careful code editor. You make the change the instruction asks for, inside the selected lines, and nothing else.\n' +
        'Keep every other line exactly as it is: comments, blank lines, indentation, quote style, semicolons, line breaks and names.\n' +
        'If the instruction truly needs a change outside the selection, make the smallest one.\n' +
        'Answer with the complete updated text of the <file> section (every line of it, not only the selection) in exactly one fenced code block, and no other code blocks.',
    );
    const sr = messagesFor({ ...t, prompt: { ...t.prompt, template: { id: TEMPLATES['search-replace'].id, version: 1 }, format: 'search-replace' } });
    assert.match(sr[0].content, /\nlines copied exactly from the <file> section, enough to match in one place only\n=======\nthe lines that replace them\n>>>>>>> REPLACE$/);
    assert.throws(() => messagesFor({ ...t, prompt: { ...t.prompt, template: { id: TEMPLATES.whole.id, version: 3 } } }), /v3 is not one this version of Edit Scope builds/);
  });

  it('multi-file prompts ask the same at v2, and v1 still builds as it was', () => {
    const p = { file: 'a.ts', language: 'typescript', window: { start: 1, end: 2 }, windowText: 'a\nb\n', totalLines: 2, range: { start: 1, end: 1 }, instruction: 'x', contextFiles: [], editFiles: [{ path: 'b.ts', text: 'c\n', range: null }] };
    const now = promptFor(p, 'search-replace');
    assert.deepEqual(now.template, { id: 'editscope-search-replace-multi', version: 2 });
    assert.match(now.messages[0].content, /Never leave code out/);
    assert.match(now.messages[0].content, /Every block has exactly one ======= line/);
    const v1 = promptFor(p, 'whole', 1);
    assert.deepEqual(v1.template, { id: 'editscope-whole-multi', version: 1 });
    assert.equal(
      v1.messages[0].content,
      'You are a careful code editor. You make the change the instruction asks for, inside the selected lines of the <file> section and inside the files given as <editable_file> sections (only within their change_lines when those are given), and nothing else.\n' +
        'Keep every other line exactly as it is: comments, blank lines, indentation, quote style, semicolons, line breaks and names. Never change or create any other file.\n' +
        'For each file you change, write its path alone on a line, then its complete updated text (for the <file> section: every line of that section) in one fenced code block. Leave out the files you do not change.',
    );
  });
});

function parseOk(answer: string) {
  const p = parseSearchReplaceAnswer(answer, 'stop');
  if (!p.ok) throw new Error(p.error.message);
  return p.edits;
}
