import * as assert from 'node:assert/strict';
import { analyze } from '../../src/core/analysis/analyze';
import { planApply } from '../../src/core/edit/applyPlan';
import type { FileResult } from '../../src/core/task/editTask';

// Ten lines; the selection is lines 4-6.
const ORIGINAL = ['// Prices.', 'const rate = 0.2;', '', 'export function price(net: number) {', '  const gross = net * (1 + rate);', '  return gross;', '}', '', 'export const unused = 1;', ''].join('\n');
// One hunk in the selection, one above it and one below it (both out of scope).
const EDITED = ORIGINAL.replace('// Prices.', '// Prices, in euros.').replace('  return gross;', '  return Math.round(gross * 100) / 100;').replace('export const unused = 1;', '');
const IN_SCOPE_ONLY = ORIGINAL.replace('  return gross;', '  return Math.round(gross * 100) / 100;');

function file(name: string, role: FileResult['role'], original: string, edited: string, ranges = [{ start: 4, end: 6 }]): FileResult {
  return { file: name, role, original, edited, exists: true, analysis: analyze(original, edited, { fileName: name, ranges }) };
}

describe('planApply: what Apply All, Apply In-Scope Only and picked hunks write (editor and CLI alike)', () => {
  const target = file('src/price.ts', 'target', ORIGINAL, EDITED);
  const other = file('src/other.ts', 'other', 'export const a = 1;\n', 'export const a = 2;\n', []);

  it('Apply All writes every writable file whole, ticks every hunk of it, and never writes an `other` file', () => {
    const plan = planApply([target, other], 'all');
    assert.ok(plan.ok);
    assert.deepEqual(plan.files.map((f) => [f.file, f.text]), [['src/price.ts', EDITED]]);
    assert.deepEqual(plan.picks, [[true, true, true], [false]]);
    assert.deepEqual(plan.notWritten, ['src/other.ts']);
    assert.equal(plan.lazy, null);
  });

  it('Apply In-Scope Only writes only the in-scope hunk', () => {
    const plan = planApply([target], 'in-scope');
    assert.ok(plan.ok);
    assert.equal(plan.files[0].text, IN_SCOPE_ONLY);
    assert.deepEqual(plan.picks, [[false, true, false]]);
  });

  it('picked writes exactly the ticked hunks, and a missing tick is no tick', () => {
    const plan = planApply([target], 'picked', [[true]]);
    assert.ok(plan.ok);
    assert.equal(plan.files[0].text, ORIGINAL.replace('// Prices.', '// Prices, in euros.'));
    assert.deepEqual(plan.picks, [[true, false, false]]);
  });

  it('refuses to write a lazy answer whole, but writes its in-scope hunks without the placeholder and says what was left out', () => {
    const lazyEdited = ORIGINAL.replace('  const gross = net * (1 + rate);\n  return gross;', '  // ... existing code ...\n  return gross;').replace('// Prices.', '// Prices, in euros.');
    const lazy = file('src/price.ts', 'target', ORIGINAL, lazyEdited, [{ start: 1, end: 9 }]);
    assert.ok(lazy.analysis.styleDrift.some((d) => d.rule === 'placeholder'), 'the fixture is a lazy answer');
    const all = planApply([lazy], 'all');
    assert.equal(all.ok, false);
    assert.match(all.ok ? '' : all.lazy.text, /placeholder comment/);
    const inScope = planApply([lazy], 'in-scope');
    assert.ok(inScope.ok);
    assert.ok(inScope.lazy);
    assert.equal(inScope.files[0].text, ORIGINAL.replace('// Prices.', '// Prices, in euros.'));
  });
});
