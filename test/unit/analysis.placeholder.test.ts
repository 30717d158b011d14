import * as assert from 'node:assert/strict';
import { analyze } from '../../src/core/analysis/analyze';
import { formatAnalysisText } from '../../src/core/analysis/formatText';
import { isElisionText } from '../../src/core/analysis/placeholder';
import type { AnalyzeOptions } from '../../src/core/analysis/analysisTypes';
import { CONFIG_JS } from '../fixtures/configJs';

/** loadConfig is lines 4-11, formatName 16-19 (its doc comment 13-15), countItems 21-27. */
const JS = CONFIG_JS;
const js = JS.join('\n') + '\n';

/** The original with lines [from, to] (1-based) replaced by `lines`. */
function replaced(base: string[], from: number, to: number, lines: string[]): string {
  return [...base.slice(0, from - 1), ...lines, ...base.slice(to)].join('\n') + '\n';
}

function placeholders(original: string, edited: string, opts: AnalyzeOptions) {
  return analyze(original, edited, opts).styleDrift.filter((f) => f.rule === 'placeholder');
}

describe('placeholder: code replaced by a comment that stands for it', () => {
  const opts: AnalyzeOptions = { fileName: 'config.js', ranges: [{ start: 4, end: 19 }] };

  it('names an elision comment inside the selection, with how many lines vanished and where', () => {
    const edited = replaced(JS, 5, 9, ['  // ... existing code ...']).replace('return fullName.trim();', 'return fullName.trim().toUpperCase();');
    const a = analyze(js, edited, opts);
    assert.equal(a.outOfScopeHunks, 0);
    const f = a.styleDrift.filter((x) => x.rule === 'placeholder');
    assert.equal(f.length, 1);
    assert.equal(f[0].line, 5);
    assert.match(f[0].message, /stands for 5 original lines \(lines 5-9\)/);
  });

  it('names one outside the selection too, where the hunk is also out of scope', () => {
    const edited = replaced(JS, 5, 9, ['  /* ... */']);
    const a = analyze(js, edited, { fileName: 'config.js', ranges: [{ start: 16, end: 19 }] });
    assert.equal(a.outOfScopeHunks, 1);
    assert.deepEqual(a.styleDrift.map((f) => f.rule), ['placeholder']);
  });

  it('knows the usual wordings in JavaScript and Python', () => {
    for (const words of ['// ... existing code ...', '// (unchanged)', '/* ... */', '// ... rest of the function unchanged ...', '// remaining cases as before', '{/* ... */}', '// …', '// [unchanged]', '// Keep existing code', '// (rest omitted)', '// Your existing code']) {
      const f = placeholders(js, replaced(JS, 5, 8, [`  ${words}`]), opts);
      assert.equal(f.length, 1, words);
    }
    const py = ['def area(r):', '    pi = 3.14159', '    squared = r * r', '    result = pi * squared', '    rounded = round(result, 2)', '    return rounded', ''].join('\n');
    const edited = py.replace('    pi = 3.14159\n    squared = r * r\n    result = pi * squared\n', '    # ... rest of the function unchanged ...\n');
    const f = placeholders(py, edited, { fileName: 'area.py' });
    assert.equal(f.length, 1);
    assert.match(f[0].message, /3 original lines \(lines 2-4\)/);
  });

  it('is not raised for a comment the original already had, or one that leaves nothing out', () => {
    const withElision = replaced(JS, 12, 12, ['', '// ...']);
    assert.deepEqual(placeholders(withElision, withElision.replace("  const raw = readFile(path, 'utf8');\n", '// ...\n'), { fileName: 'a.js' }), []);
    // Added beside the code rather than instead of it.
    assert.deepEqual(placeholders(js, replaced(JS, 5, 5, ['  // ... existing code ...', JS[4]]), opts), []);
    // A comment that describes, not one that stands for code.
    assert.deepEqual(placeholders(js, replaced(JS, 5, 9, ['  // Reads the file as before, then checks the name.']), opts), []);
  });

  it('is not raised for a doc comment\'s prose rewritten in words an elision uses (as real commits do)', () => {
    const doc = ['/**', ' * The code a comment-only original line describes (the statement after it, with the', ' * body it opens) is kept.', ' */', 'export function kept(i) {', '  return i;', '}', ''].join('\n');
    const reworded = doc.replace(' * body it opens) is kept.', ' * body it opens) is still there, unchanged.').replace(' * The code a', ' * ... the code a');
    assert.deepEqual(placeholders(doc, reworded, { fileName: 'a.ts', ranges: [{ start: 1, end: 7 }] }), []);
  });

  it('finds the vanished lines when the diff pairs them with look-alike lines the edit added', () => {
    const test = (n: number) => [`test('case ${n}', async t => {`, '  const server = await createServer();', `  t.is(await get(server.url, {headers: {a: '${n}'}}), '${n}');`, '  await server.close();', '});', ''];
    const base = [...test(1), ...test(2), ...test(3)];
    // The edit adds a test like the others after test 2 and elides test 2's middle.
    const edited = [...test(1), test(2)[0], '  // ... existing code ...', ...test(2).slice(4), ...test(9), ...test(3)];
    const f = placeholders(base.join('\n') + '\n', edited.join('\n') + '\n', { fileName: 'test.js', ranges: [{ start: 7, end: 12 }] });
    assert.equal(f.length, 1);
    assert.match(f[0].message, /3 original lines \(lines 8-10\)/);
  });

  it('reads a whole-file answer that elides everything around the change', () => {
    // Only the edited function, with placeholders for the rest: the blank line after the
    // first one must not split what it stands for, nor its comments count as deleted ones.
    const edited = ['// ... existing code ...', '', ...JS.slice(15, 17), '  return fullName.trim().toUpperCase();', '}', '', '// ... rest of the file unchanged ...'].join('\n') + '\n';
    const a = analyze(js, edited, { fileName: 'config.js', ranges: [{ start: 16, end: 19 }] });
    assert.deepEqual(a.styleDrift.map((f) => [f.rule, f.line, f.replaces]), [
      ['placeholder', 1, { originalStart: 1, originalLines: 15 }],
      // The blank line 20 before countItems is kept (edited line 7): lines 21-27 vanished.
      ['placeholder', 8, { originalStart: 21, originalLines: 7 }],
    ]);
  });

  it('counts only the lines that vanished, not the blank lines the edit kept around the placeholder', () => {
    // A whole function between blank lines, and a function's body before two blank lines.
    const ts = ['import { a } from "a";', '', 'export function load() {', '  const x = a();', '  return x;', '}', '', 'export function first() {', '  return 1;', '}', ''].join('\n');
    const lazyTs = ts.replace('export function load() {\n  const x = a();\n  return x;\n}', '// ... existing code ...').replace('return 1;', 'return 2;');
    assert.deepEqual(placeholders(ts, lazyTs, { fileName: 'a.ts', ranges: [{ start: 1, end: 10 }] }).map((f) => f.replaces), [{ originalStart: 3, originalLines: 4 }]);
    const py = ['import os', '', '', 'def load(path):', '    """Read lines."""', '    with open(path) as f:', '        text = f.read()', '    return text.splitlines()', '', '', 'def count(lines):', '    return len(lines)', ''].join('\n');
    const lazyPy = py.replace('    with open(path) as f:\n        text = f.read()\n    return text.splitlines()', '    # ... rest of the function unchanged ...').replace('len(lines)', 'len(lines) or 0');
    const f = placeholders(py, lazyPy, { fileName: 'a.py', ranges: [{ start: 4, end: 12 }] });
    assert.match(f[0].message, /stands for 3 original lines \(lines 6-8\)/);
  });

  it('finds the branches a placeholder stands for when the diff keeps the brace before it', () => {
    const ts = ['export function kind(x: unknown): string {', "  if (typeof x === 'string') {", "    return 'string';", "  } else if (typeof x === 'number') {", '    // NaN is a number too.', "    return Number.isNaN(x) ? 'nan' : 'number';", '  } else if (Array.isArray(x)) {', "    return 'array';", '  }', "  return 'other';", '}', ''].join('\n');
    // The diff keeps the last branch's `}` and deletes the branches before it.
    const lazy = ts.replace(/ else if \(typeof[\s\S]*'array';\n  \}/, '\n  // ... other branches stay the same ...');
    const f = placeholders(ts, lazy, { fileName: 'kind.ts', ranges: [{ start: 1, end: 11 }] });
    assert.deepEqual(f.map((x) => [x.line, x.replaces]), [[5, { originalStart: 4, originalLines: 5 }]]);
  });

  it('finds them when the lines before the placeholder were also taken for new ones', () => {
    // fastify's tests: a new test added before a look-alike one whose body the edit elides;
    // the diff reads the kept head of the old test as part of the new one.
    const test = (name: string, body: string[]) => [`test('${name}', t => {`, '  t.plan(78)', "  const doc = readFileSync('Errors.md', 'utf8')", '', '  const keys = Object.keys(errors)', ...body, '})', ''];
    const every = ['  for (const key of keys) {', '    t.ok(doc.includes(key), key)', '  }'];
    const none = ['  for (const match of doc.matchAll(/- (\\w+)/g)) {', '    t.ok(keys.includes(match[1]), match[1])', '  }'];
    const base = [...test('all errors are in the TOC', every), ...test('all errors are documented', every)];
    const edited = [...test('all errors are in the TOC', every), ...test('no unknown errors in the TOC', none), ...test('all errors are documented', every).slice(0, 5), '  // ... rest of the code unchanged ...', '})', ''];
    const f = placeholders(base.join('\n') + '\n', edited.join('\n') + '\n', { fileName: 'errors.test.js', ranges: [{ start: 9, end: 18 }] });
    assert.deepEqual(f.map((x) => x.replaces), [{ originalStart: 16, originalLines: 3 }]);
  });

  it('says so at the top of the text report when the answer is lazy', () => {
    const edited = replaced(JS, 5, 9, ['  // ... existing code ...']);
    const a = analyze(js, edited, opts);
    const text = formatAnalysisText(a, { fileName: 'config.js' });
    const lines = text.split('\n');
    assert.match(lines[1], /lazy answer/i);
    assert.match(lines[1], /5 original lines/);
  });

  it('tells elision wordings from ordinary comments', () => {
    for (const t of ['...', '[...]', '... existing code ...', '(unchanged)', 'rest of the file unchanged', 'other methods ...', 'Existing imports remain the same', '... omitted for brevity', 'remaining cases as before', '[existing code]', 'existing implementation', 'No changes below', '... truncated ...', 'keep the rest as is']) assert.ok(isElisionText(t), t);
    for (const t of ['Wait for the server...', 'Rest of the arguments go to the handler', 'Keep the order: the parser depends on it', 'TODO: handle errors', 'Unchanged files are skipped below', 'x = y...']) assert.ok(!isElisionText(t), t);
  });
});
