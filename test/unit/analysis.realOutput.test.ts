import * as assert from 'node:assert/strict';
import { analyze } from '../../src/core/analysis/analyze';
import type { AnalyzeOptions } from '../../src/core/analysis/analysisTypes';

/**
 * Style rules and false alarms that real model output and real commits exposed. Each case is
 * the smallest shape of what was seen.
 */
const text = (lines: string[]) => lines.join('\n') + '\n';
const findings = (o: string[], e: string[], opts: AnalyzeOptions) => analyze(text(o), text(e), opts).styleDrift;
const rulesOf = (o: string[], e: string[], opts: AnalyzeOptions) => findings(o, e, opts).map((f) => f.rule);

const PY = [
  'import os',
  '',
  '',
  'class Loader:',
  '    """Loads files."""',
  '',
  '    def __init__(self, root):',
  '        self.root = root',
  '',
  '    def path(self, name):',
  '        """The path of a file under the root.',
  '',
  '        Names are relative.',
  '        """',
  '        return os.path.join(self.root, name)',
  '',
  '    def read(self, name):',
  '        # Text mode: callers want strings.',
  '        with open(self.path(name)) as f:',
  '            return f.read()',
  '',
  '',
  'def main():',
  '    print(Loader(".").read("a"))',
  '',
];

describe('style rules that real model output exposed', () => {
  it('calls a blank line turned into indentation only trailing whitespace', () => {
    const edited = [...PY];
    edited[8] = '    ';
    edited[18] = '        with open(self.path(name), encoding="utf-8") as f:';
    const f = findings(PY, edited, { fileName: 'loader.py', ranges: [{ start: 17, end: 20 }] });
    assert.deepEqual(f.map((x) => [x.rule, x.line]), [['trailing-whitespace', 9]]);
  });

  it('leaves a whitespace-only line the original already had in that place alone', () => {
    const o = [...PY];
    o[8] = '    ';
    const e = [...o];
    e[7] = '        self.root = str(root)';
    assert.deepEqual(rulesOf(o, e, { fileName: 'loader.py', ranges: [{ start: 7, end: 9 }] }), []);
  });

  it('calls a method dedented out of its class, or a docstring body re-indented, indent drift though the unit is the same', () => {
    const dedented = [...PY.slice(0, 9), ...PY.slice(9, 16).map((l) => l.replace(/^ {4}/, '')), ...PY.slice(16)];
    const f = findings(PY, dedented, { fileName: 'loader.py', ranges: [{ start: 17, end: 20 }] });
    assert.deepEqual(f.map((x) => x.rule), ['indent']);
    assert.match(f[0].message, /nesting level|level/);
    const docstring = [...PY];
    docstring[12] = '            Names are relative.';
    assert.deepEqual(rulesOf(PY, docstring, { fileName: 'loader.py', ranges: [{ start: 17, end: 20 }] }), ['indent']);
  });

  it('does not call code wrapped in a new block indent drift', () => {
    const wrapped = [...PY.slice(0, 18), '        try:', '            with open(self.path(name)) as f:', '                return f.read()', '        except OSError:', '            return ""', ...PY.slice(20)];
    assert.deepEqual(rulesOf(PY, wrapped, { fileName: 'loader.py', ranges: [{ start: 17, end: 20 }] }), []);
  });

  it('flags a comment deleted in the hunk that rewrites the statement above it while the code it describes stays', () => {
    const e = [...PY];
    e.splice(16, 2, '    def read(self, name, mode="r"):');
    e[17] = '        with open(self.path(name), mode) as f:';
    const f = findings(PY, e, { fileName: 'loader.py', ranges: [{ start: 17, end: 20 }] });
    // The comment describes the `with` line, which the edit changed too: it may go with it.
    assert.deepEqual(f.map((x) => x.rule), []);
    const kept = [...PY];
    kept.splice(16, 2, '    def read(self, name, mode="r"):');
    const g = findings(PY, kept, { fileName: 'loader.py', ranges: [{ start: 17, end: 20 }] });
    assert.deepEqual(g.map((x) => x.rule), ['comments-removed']);
  });

  it('finds a trailing "// ... existing code ..." when the diff pairs a new class with a look-alike one', () => {
    const cls = (n: string) => [`export class ${n}Store {`, '  private items = new Map<string, number>();', '', '  get(key: string): number | undefined {', '    return this.items.get(key);', '  }', '', '  set(key: string, value: number): void {', '    this.items.set(key, value);', '  }', '}', ''];
    const o = ["import { log } from './log';", '', ...cls('User'), ...cls('Order'), ...cls('Price'), 'export const stores = [UserStore, OrderStore, PriceStore];', ''];
    const e = ["import { log } from './log';", '', ...cls('User'), ...cls('Cart'), '// ... existing code ...', ''];
    const f = findings(o, e, { fileName: 'stores.ts', ranges: [{ start: 14, end: 14 }] });
    assert.ok(f.some((x) => x.rule === 'placeholder'), JSON.stringify(f));
  });
});

describe('false alarms seen on real commits', () => {
  it('does not read a comment reworded "e.g." to "e.g.," as a placeholder', () => {
    // An ellipsis and a word like "other" or "rest" made the new wording read as an elision
    // standing for the line it replaced: itself.
    const o = ['const x = 1;', '// Accepts other formats, e.g. ISO dates...', 'function f() {', '  return 1;', '}', ''];
    const e = [...o];
    e[1] = '// Accepts other formats, e.g., ISO dates...';
    assert.deepEqual(rulesOf(o, e, { fileName: 'a.ts', ranges: [{ start: 1, end: 5 }] }), []);
    const py = ['X = 1', '# Handles the rest, e.g. retries ...', 'def f():', '    return 1', ''];
    assert.deepEqual(rulesOf(py, [py[0], '# Handles the rest, e.g., retries ...', ...py.slice(2)], { fileName: 'a.py', ranges: [{ start: 1, end: 4 }] }), []);
    // Code replaced by an elision is still one.
    const lazy = [...o.slice(0, 2), '// ... rest of the code ...', ''];
    assert.deepEqual(rulesOf(o, lazy, { fileName: 'a.ts', ranges: [{ start: 1, end: 5 }] }), ['placeholder']);
  });

  it('follows a generated file that uses double quotes though .editorconfig asks for single, and says where a quote rule comes from', () => {
    const gen = Array.from({ length: 12 }, (_, i) => `export const k${i} = "value ${i}";`);
    const e = [...gen];
    e[3] = 'export const k3 = "value three";';
    assert.deepEqual(rulesOf(gen, e, { fileName: 'gen.ts', ranges: [{ start: 4, end: 4 }], editorConfig: { quote_type: 'single' } }), []);
    const mixed = ["export const a = 'x';", 'export const b = 1;', ''];
    const f = findings(mixed, ["export const a = 'x';", 'export const b = "y";', ''], { fileName: 'm.ts', ranges: [{ start: 2, end: 2 }], editorConfig: { quote_type: 'single' } });
    assert.deepEqual(f.map((x) => x.rule), ['quotes']);
    assert.match(f[0].message, /\.editorconfig asks for single quotes/);
    assert.doesNotMatch(f[0].message, /the file uses/);
  });

  it('does not ask for a semicolon on the last item of an export or import list, or on a line that already lacked one', () => {
    const o = ["import { a } from './a';", "import { b } from './b';", 'const c = 1;', 'const d = 2;', 'export {', '  a,', '  b', '};', ''];
    const e = [...o];
    e.splice(6, 1, '  b,', '  c');
    assert.deepEqual(rulesOf(o, e, { fileName: 'x.ts', ranges: [{ start: 5, end: 8 }] }), []);
    const lacking = ["import { run } from './run';", 'const a = 1;', 'const b = 2;', 'const c = 3;', 'run(a)', 'const d = 4;', ''];
    const changed = [...lacking];
    changed[4] = 'run(a, b)';
    assert.deepEqual(rulesOf(lacking, changed, { fileName: 'y.ts', ranges: [{ start: 5, end: 5 }] }), []);
    const introduced = [...lacking];
    introduced[3] = 'const c = 3';
    assert.deepEqual(rulesOf(lacking, introduced, { fileName: 'y.ts', ranges: [{ start: 4, end: 4 }] }), ['semicolons']);
  });

  it('does not judge a Markdown code block as code', () => {
    const o = ['# Usage', '', '- item one', '- item two', '', '```js', 'const app = create();', 'app.use(a);', 'app.use(b);', 'app.listen(3000);', '```', '', 'Indented:', '', '    x = 1', '    y = 2', ''];
    const shortened = [...o.slice(0, 7), '// ...', ...o.slice(9)];
    assert.deepEqual(rulesOf(o, shortened, { fileName: 'README.md', ranges: [{ start: 6, end: 11 }] }), []);
    const tabbed = [...o.slice(0, 15), '\tz = 3', ...o.slice(15)];
    assert.deepEqual(rulesOf(o, tabbed, { fileName: 'README.md', ranges: [{ start: 14, end: 17 }] }), []);
    // The same elision in a source file is one.
    assert.deepEqual(rulesOf(o.slice(6, 10), [o[6], '// ...', o[9]], { fileName: 'app.js', ranges: [{ start: 1, end: 4 }] }), ['placeholder']);
  });
});
