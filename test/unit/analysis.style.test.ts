import * as assert from 'node:assert/strict';
import { analyze } from '../../src/core/analysis/analyze';
import type { AnalyzeOptions, StyleRule } from '../../src/core/analysis/analysisTypes';
import { caseExpected, caseFile } from '../fixtures/cases';
import { CONFIG_JS } from '../fixtures/configJs';

const JS = CONFIG_JS;
const jsText = JS.join('\n') + '\n';

function withLines(replace: Record<number, string | string[]>, base = JS): string {
  const out: string[] = [];
  base.forEach((l, i) => {
    const r = replace[i + 1];
    if (r === undefined) out.push(l);
    else out.push(...(Array.isArray(r) ? r : [r]));
  });
  return out.join('\n') + '\n';
}

function rules(original: string, edited: string, opts: AnalyzeOptions = { fileName: 'config.js', ranges: [{ start: 16, end: 19 }] }): StyleRule[] {
  return analyze(original, edited, opts).styleDrift.map((f) => f.rule);
}

describe('style drift against the file\'s conventions (JavaScript)', () => {
  it('reports nothing for an edit in the file\'s own style', () => {
    const edited = withLines({ 17: ["  const fullName = first + ' ' + last;", "  const label = 'user';"] });
    assert.deepEqual(rules(jsText, edited), []);
  });

  it('infers the conventions', () => {
    const c = analyze(jsText, jsText, { fileName: 'a.js' }).conventions;
    assert.equal(c.indent.style, 'spaces');
    assert.equal(c.indent.unit, 2);
    assert.equal(c.quotes, 'single');
    assert.equal(c.semicolons, 'always');
    assert.equal(c.naming, 'camel');
    assert.equal(c.eol.style, 'lf');
  });

  it('flags tab indentation in a spaces file', () => {
    assert.deepEqual(rules(jsText, withLines({ 18: '\treturn fullName.trim();' })), ['indent']);
  });

  it('flags a new block indented by another unit', () => {
    const edited = withLines({ 18: ['  if (fullName) {', '      return fullName.trim();', '  }', '  return fullName;'] });
    const f = analyze(jsText, edited, { fileName: 'a.js' }).styleDrift;
    assert.deepEqual(f.map((x) => x.rule), ['indent']);
    assert.match(f[0].message, /indented by 4 spaces a level; the file uses 2/);
  });

  it('flags double quotes in a single-quote file, but not a string that needs them', () => {
    assert.deepEqual(rules(jsText, withLines({ 17: '  const fullName = first + " " + last;' })), ['quotes']);
    assert.deepEqual(rules(jsText, withLines({ 17: '  const fullName = first + "it\'s" + last;' })), []);
  });

  it('flags a dropped semicolon, not a continued expression', () => {
    assert.deepEqual(rules(jsText, withLines({ 18: '  return fullName.trim()' })), ['semicolons']);
    assert.deepEqual(rules(jsText, withLines({ 18: ['  return fullName', '    .trim();'] })), []);
  });

  it('flags CRLF lines in an LF file', () => {
    const edited = jsText.replace('  return fullName.trim();\n', '  return fullName.trim();\r\n');
    assert.deepEqual(rules(jsText, edited), ['line-endings']);
  });

  it('flags trailing whitespace on new lines', () => {
    const f = analyze(jsText, withLines({ 18: '  return fullName.trim();   ' }), { fileName: 'a.js' }).styleDrift;
    assert.deepEqual(f.map((x) => x.rule), ['trailing-whitespace']);
    assert.equal(f[0].line, 18);
  });

  it('flags a removed final newline', () => {
    assert.deepEqual(rules(jsText, jsText.slice(0, -1)), ['final-newline']);
  });

  it('takes adding the final newline a file lacked as an improvement, unless .editorconfig says none', () => {
    assert.deepEqual(rules(jsText.slice(0, -1), jsText), []);
    assert.deepEqual(rules(jsText.slice(0, -1), jsText, { fileName: 'a.js', editorConfig: { insert_final_newline: false } }), ['final-newline']);
  });

  it('flags a deleted comment whose code stayed, not one deleted with its code or reworded', () => {
    assert.deepEqual(rules(jsText, withLines({ 3: [] }), { fileName: 'a.js', ranges: [{ start: 16, end: 19 }] }), ['comments-removed']);
    assert.deepEqual(rules(jsText, withLines({ 3: '// Reads the config file and parses it.' }), { fileName: 'a.js' }), []);
    const withoutFunction = withLines({ 13: [], 14: [], 15: [], 16: [], 17: [], 18: [], 19: [], 20: [] });
    assert.deepEqual(rules(jsText, withoutFunction, { fileName: 'a.js' }), []);
  });

  it('flags a trailing comment stripped from a kept line', () => {
    const orig = withLines({ 22: '  let totalCount = 0; // running sum' });
    assert.deepEqual(rules(orig, jsText, { fileName: 'a.js' }), ['comments-removed']);
  });

  it('flags a snake_case name in a camelCase file, not one the file already had', () => {
    assert.deepEqual(rules(jsText, withLines({ 17: "  const full_name = first + ' ' + last;", 18: '  return full_name.trim();' })), ['naming']);
  });

  it('reports a whole-file re-indent once', () => {
    const reindented = JS.map((l) => l.replace(/^( +)/, (m) => m + m)).join('\n') + '\n';
    const a = analyze(jsText, reindented, { fileName: 'a.js', ranges: [{ start: 16, end: 19 }] });
    assert.deepEqual(a.styleDrift.map((f) => f.rule), ['indent']);
    assert.match(a.styleDrift[0].message, /whole file was re-indented .* from 2 spaces to 4 spaces/);
    assert.ok(a.outOfScopeHunks > 0);
  });

  it('does not call a wrapper removed from the whole file a re-indent, in tabs or spaces', () => {
    for (const unit of ['\t', '  ']) {
      const body = JS.map((l) => (l ? unit + l.replace(/^( +)/, (m) => unit.repeat(m.length / 2)) : l));
      const wrapped = ['(function () {', ...body, '})();'].join('\n') + '\n';
      const unwrapped = JS.map((l) => l.replace(/^( +)/, (m) => unit.repeat(m.length / 2))).join('\n') + '\n';
      const a = analyze(wrapped, unwrapped, { fileName: 'a.js' });
      assert.deepEqual(a.styleDrift.map((f) => f.message), [], JSON.stringify(unit));
    }
  });

  it('still reports a unit change whose re-indented lines all sit one level deep', () => {
    const o = Array.from({ length: 12 }, (_, i) => [`def f${i}(x):`, `    y = x + ${i}`, '    return y', '']).flat().join('\n') + '\n';
    const a = analyze(o, o.replace(/^ {4}/gm, '  '), { fileName: 'a.py' });
    assert.deepEqual(a.styleDrift.map((f) => f.rule), ['indent']);
    assert.match(a.styleDrift[0].message, /from 4 spaces to 2 spaces/);
  });

  it('reports a whole-file quote change once', () => {
    const o = Array.from({ length: 12 }, (_, i) => [`export function f${i}(x) {`, `  log('calling f${i}');`, `  return x + ${i};`, '}', '']).flat();
    const orig = o.join('\n') + '\n';
    const a = analyze(orig, orig.replace(/'/g, '"'), { fileName: 'a.js' });
    assert.deepEqual(a.styleDrift.map((f) => f.rule), ['quotes']);
    assert.match(a.styleDrift[0].message, /whole file's quotes were changed \(12 lines\)/);
    assert.equal(a.styleDrift[0].lines?.length, 12);
  });

  it('reports findings of two changes apart by only a blank line or a lone closer together, as git shows one hunk', () => {
    const edited = withLines({ 8: '    throw new Error("config needs a name");', 10: '  return parsedValue', 17: '  const fullName = first + " " + last;' });
    const f = analyze(jsText, edited, { fileName: 'a.js' }).styleDrift;
    assert.deepEqual(f.map((x) => [x.rule, x.line, x.lines]), [['quotes', 8, undefined], ['semicolons', 10, undefined], ['quotes', 17, undefined]]);
    const near = withLines({ 8: '    throw new Error("config needs a name");', 10: '  return "value";' });
    assert.deepEqual(analyze(jsText, near, { fileName: 'a.js' }).styleDrift.map((x) => [x.rule, x.line, x.lines]), [['quotes', 8, [8, 10]]]);
  });

  it('reports a whole-file line-ending change once', () => {
    const a = analyze(jsText, jsText.replace(/\n/g, '\r\n'), { fileName: 'a.js' });
    assert.deepEqual(a.styleDrift.map((f) => f.rule), ['line-endings']);
  });

  it('lets .editorconfig decide over the file', () => {
    const a = analyze(jsText, withLines({ 18: '\treturn fullName.trim();' }), { fileName: 'a.js', editorConfig: { indent_style: 'tab' } });
    assert.deepEqual(a.styleDrift.map((f) => f.rule), []);
    const b = analyze(jsText, withLines({ 18: '  return fullName.trimEnd();' }), { fileName: 'a.js', editorConfig: { indent_style: 'tab' } });
    assert.deepEqual(b.styleDrift.map((f) => f.rule), ['indent']);
  });

  it('checks only language-free rules for other text', () => {
    const orig = 'alpha\n  beta\n  gamma\n  delta\n  epsilon\n';
    assert.deepEqual(rules(orig, 'alpha\n  beta\n  "gamma"\n  delta\n  epsilon\n', { fileName: 'notes.txt' }), []);
    assert.deepEqual(rules(orig, 'alpha\n  beta\n\tgamma\n  delta\n  epsilon\n', { fileName: 'notes.txt' }), ['indent']);
  });

  it('says nothing about quotes when the file has no clear preference', () => {
    const mixed = "const a = 'x';\nconst b = \"y\";\nconst c = 'z';\nconst d = \"w\";\n";
    assert.equal(analyze(mixed, mixed, { fileName: 'm.js' }).conventions.quotes, 'unknown');
    assert.deepEqual(rules(mixed, mixed + 'const e = "v";\n', { fileName: 'm.js' }), []);
  });
});

describe('style drift: what real commits do on purpose', () => {
  it('does not call a comment deleted inside the selection drift, but does outside it', () => {
    // Line 3 is the comment above loadConfig (lines 3-11).
    const edited = jsText.replace('// Reads the config file and returns its parsed contents.\n', '').replace("const raw = readFile(path, 'utf8');", "const raw = readFile(path, 'utf-8');");
    assert.deepEqual(rules(jsText, edited, { fileName: 'config.js', ranges: [{ start: 3, end: 11 }] }), []);
    assert.deepEqual(rules(jsText, edited, { fileName: 'config.js', ranges: [{ start: 5, end: 11 }] }), ['comments-removed']);
  });

  it('flags a comment deleted inside the selection when the code it describes is kept', () => {
    // The comment above loadConfig goes; the edit's change is in formatName.
    const edited = jsText.replace('// Reads the config file and returns its parsed contents.\n', '').replace('return fullName.trim();', 'return fullName.trimEnd();');
    const f = analyze(jsText, edited, { fileName: 'config.js', ranges: [{ start: 1, end: 19 }] }).styleDrift;
    assert.deepEqual(f.map((x) => [x.rule, x.line]), [['comments-removed', 3]]);
    assert.match(f[0].message, /original line 3\) while the code it describes was kept/);
  });

  it('flags a JSX comment ({/* ... */}) deleted inside the selection while the markup it describes is kept', () => {
    const jsx = ['export function List({ items }) {', '  return (', '    <ul>', '      {/* One row per item */}', '      {items.map((item) => (', '        <li key={item.id}>{item.label}</li>', '      ))}', '      <li className="footer">{items.length} items</li>', '    </ul>', '  );', '}', ''].join('\n');
    const edited = jsx.replace('      {/* One row per item */}\n', '').replace('className="footer"', 'className="list-footer"');
    const f = analyze(jsx, edited, { fileName: 'list.jsx', ranges: [{ start: 1, end: 11 }] }).styleDrift;
    assert.deepEqual(f.map((x) => [x.rule, x.line]), [['comments-removed', 4]]);
  });

  it('lets a comment go with code the edit rewrote, or when deleting it is the whole edit', () => {
    // The statement after the comment is rewritten in the same edit.
    const orig = withLines({ 17: ['  // Join the two parts with a space.', "  const fullName = first + ' ' + last;"] });
    const rewritten = withLines({ 17: '  const fullName = `${first} ${last}`;' });
    assert.deepEqual(rules(orig, rewritten, { fileName: 'a.js', ranges: [{ start: 16, end: 20 }] }), []);
    // Deleted in the middle of code the edit rewrote (starlette's lifespan rewrite), even
    // though the statement right after it stayed.
    const mid = withLines({ 6: ['  // Parse it as JSON.', '  const parsedValue = JSON.parse(raw);'] });
    const rewrote = withLines({ 5: "  const raw = await readFile(path, 'utf8');", 18: '  return fullName.trimEnd();' });
    assert.deepEqual(rules(mid, rewrote, { fileName: 'a.js', ranges: [{ start: 4, end: 20 }] }), []);
    // Nothing else changed: removing the comment is what was asked.
    assert.deepEqual(rules(orig, jsText, { fileName: 'a.js', ranges: [{ start: 16, end: 20 }] }), []);
    // Commented-out code put back is not a deleted comment.
    const commented = withLines({ 18: ['  // console.log(fullName);', '  return fullName.trim();'] });
    assert.deepEqual(rules(commented, withLines({ 18: ['  console.log(fullName);', '  return fullName.trim();'] }), { fileName: 'a.js', ranges: [{ start: 16, end: 20 }] }), []);
  });

  it('leaves a doc comment alone when the edit rewords it elsewhere in the block', () => {
    const orig = withLines({ 14: [' * Formats a user name for display.', ' * @class'] });
    const edited = withLines({ 14: [' * Formats a user name for display.', ' *', ' * @returns {string}'], 17: "  const fullName = first + ' ' + last + '';" });
    assert.deepEqual(rules(orig, edited, { fileName: 'a.js', ranges: [{ start: 13, end: 20 }] }), []);
  });

  it('names a comment deleted outside the selection even in a hunk that also changes code', () => {
    const edited = jsText.replace("// Reads the config file and returns its parsed contents.\nexport function loadConfig(path) {", 'export function loadConfig(file) {');
    const f = analyze(jsText, edited, { fileName: 'config.js', ranges: [{ start: 16, end: 19 }] }).styleDrift;
    assert.deepEqual(f.map((x) => x.rule), ['comments-removed']);
    assert.match(f[0].message, /outside the selection/);
  });

  it('learns how comments quote from their prose, not from code examples or directives in them', () => {
    // Express's docs: the prose quotes with ", the examples in the doc blocks with '.
    const at = ['style', 'comment-quotes-in-doc-examples'];
    const expected = caseExpected<AnalyzeOptions & { commentQuotes: string; rules: StyleRule[] }>(...at);
    const orig = caseFile(...at, 'before.js');
    assert.equal(analyze(orig, orig, { fileName: expected.fileName }).conventions.commentQuotes, expected.commentQuotes);
    assert.deepEqual(rules(orig, caseFile(...at, 'after.js'), { fileName: expected.fileName, ranges: expected.ranges }), expected.rules);
  });

  it('reads a string continued with a trailing backslash as a string', () => {
    const edited = withLines({ 17: ["  const html = '\\", '<p class="name">\\', "';"] });
    assert.deepEqual(rules(jsText, edited), []);
  });

  it('holds a statement whose braces close on its own line to the semicolon style', () => {
    assert.deepEqual(rules(jsText, withLines({ 17: ['  const fallback = first || {}', "  const fullName = first + ' ' + last;"] })), ['semicolons']);
    assert.deepEqual(rules(jsText, withLines({ 17: ['  const fallback = first || {};', "  const fullName = first + ' ' + last;"] })), []);
  });

  it('holds a dropped semicolon against a file whose call blocks close bare', () => {
    // Test files end `it(...)` blocks with a bare `})` and every other statement with `;`.
    const block = (n: number) => [`it('case ${n}', function(){`, `  var app = express(${n});`, `  app.listen(${n});`, '})', ''];
    const orig = ["var express = require('express');", '', ...Array.from({ length: 6 }, (_, i) => block(i)).flat()].join('\n') + '\n';
    const edited = orig.replace('  var app = express(3);', '  var app = express(3)');
    assert.deepEqual(rules(orig, edited, { fileName: 'app.test.js', ranges: [{ start: 18, end: 21 }] }), ['semicolons']);
  });
});

describe('style drift in a large file (lexed in part)', () => {
  it('reads a change deep inside a long doc comment as comment text, not code', () => {
    const lines: string[] = [];
    for (let i = 0; lines.length < 2400; i++) lines.push(`export const name${i} = 'value ${i}';`);
    lines.push('/**', ...Array.from({ length: 30 }, (_, i) => ` * Explains step ${i} of the setup in plain words.`), ' */', 'export function setup() {}');
    for (let i = 0; lines.length < 5000; i++) lines.push(`export const other${i} = 'more ${i}';`);
    const original = lines.join('\n') + '\n';
    // Line 2425 is 24 lines into the comment: its context starts inside the comment.
    const edited = original.replace(' * Explains step 23 of the setup in plain words.', ' * Explains step 23, the "setup" step, in plain words.');
    const a = analyze(original, edited, { fileName: 'big.ts', ranges: [{ start: 2425, end: 2425 }] });
    assert.equal(a.conventions.quotes, 'single');
    assert.deepEqual(a.styleDrift, []);
  });
});

describe('style drift (Python)', () => {
  const py = caseFile('style', 'python-settings', 'before.py');
  const opts: AnalyzeOptions = { fileName: 'settings.py', ranges: [{ start: 11, end: 14 }] };

  it('infers Python conventions', () => {
    const c = analyze(py, py, { fileName: 'settings.py' }).conventions;
    assert.equal(c.indent.unit, 4);
    assert.equal(c.quotes, 'single');
    assert.equal(c.tripleQuotes, 'double');
    assert.equal(c.naming, 'snake');
  });

  it('holds bytes literals to the file\'s quotes too, as formatters do', () => {
    const edited = py.replace("        handle.write('\\n'.join(lines))", "        handle.write('\\n'.join(lines))\n        handle.write(b\"\\x00\")");
    assert.deepEqual(rules(py, edited, opts), ['quotes']);
  });

  it('reads the lines after a change that opens a docstring as the edited file has them', () => {
    // From click's history: the first change opens a docstring that the second one closes.
    // Lexed from the original's state, the second change read as inside a docstring and its
    // new single-quoted string went unseen.
    const o = ['import os', '', 'NAME = "x"', 'OTHER = "y"', 'THIRD = "z"', '', '', 'def test_it(tmp_path):', '    path = tmp_path / "name"', '', '    # the old note', '    # says why', '    match = r"(a|b)"', '    assert path', ''];
    const e = ['import os', '', 'NAME = "x"', 'OTHER = "y"', 'THIRD = "z"', '', '', 'def test_it(tmp_path):', '    """Checks the path.', '', '    More words here.', '    """', "    path = tmp_path / 'name'", '    match = r"(a|b)"', '    assert path', ''];
    const a = analyze(o.join('\n'), e.join('\n'), { fileName: 't.py', ranges: [{ start: 9, end: 13 }] });
    assert.deepEqual(a.styleDrift.map((f) => [f.rule, f.line]), [['quotes', 13]]);
  });

  it('reads docstring prose after an inserted line that opens the docstring as prose', () => {
    // The insertion's lexer state was the original's snapshot itself, changed in place; the
    // edited text then looked no different from the original after it, and the next change,
    // inside the new docstring, was read as code with a double-quoted string.
    const o = ['import os', '', "NAME = 'x'", "OTHER = 'y'", "THIRD = 'z'", "FOURTH = 'w'", '', '', 'def area(r):', "    # Area of a circle, from 'pi'.", '    # Uses r squared.', '    return 3.14 * r * r', ''];
    const e = [...o.slice(0, 9), '    """', o[9], '    Returns the "area" of a circle of radius r.', '    """', ...o.slice(11)];
    assert.deepEqual(rules(o.join('\n'), e.join('\n'), { fileName: 't.py', ranges: [{ start: 9, end: 12 }] }), []);
  });

  it('flags double quotes and a \'\'\' docstring in a file that uses single quotes and """', () => {
    const edited = py.replace("    with open(path, 'w') as handle:", '    with open(path, "w") as handle:');
    assert.deepEqual(rules(py, edited, opts), ['quotes']);
    const doc = py.replace('    """Write the settings file."""', "    '''Write the settings file.'''");
    assert.deepEqual(rules(py, doc, opts), ['quotes']);
  });

  it('flags a camelCase name in a snake_case file', () => {
    const edited = py.replace("        handle.write('\\n'.join(lines))", "        joinedText = '\\n'.join(lines)\n        handle.write(joinedText)");
    assert.deepEqual(rules(py, edited, opts), ['naming']);
  });

  it('does not apply the JS semicolon rule to Python', () => {
    const edited = py.replace("        handle.write('\\n'.join(lines))", "        handle.write('\\n'.join(lines));");
    assert.deepEqual(rules(py, edited, opts), []);
  });

  it('flags a deleted comment in Python', () => {
    const orig = py.replace('def settings_dir():', '# The folder comes from the environment.\ndef settings_dir():');
    assert.deepEqual(rules(orig, py, { fileName: 'settings.py' }), ['comments-removed']);
  });
});
