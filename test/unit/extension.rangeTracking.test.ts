import * as assert from 'node:assert/strict';
import { shiftLines, shiftLinesAll, type LineChange } from '../../src/extension/rangeTracking';

/** An edit replacing [start, end) (0-based line, character) with text. */
function edit(startLine: number, startCharacter: number, endLine: number, endCharacter: number, text: string): LineChange {
  return { startLine, startCharacter, endLine, endCharacter, text };
}

describe('extension shiftLines (Run Again follows the selected code)', () => {
  const sel = { start: 13, end: 18 };

  it('moves the lines when lines are added or removed above them', () => {
    assert.deepEqual(shiftLines(sel, edit(0, 0, 0, 0, '// a change made meanwhile\n')), { start: 14, end: 19 });
    assert.deepEqual(shiftLines(sel, edit(2, 0, 5, 0, '')), { start: 10, end: 15 });
    // Typing on the line just above, or inserting at column 0 of the first line, is above too.
    assert.deepEqual(shiftLines(sel, edit(11, 4, 11, 4, 'x\ny')), { start: 14, end: 19 });
    assert.deepEqual(shiftLines(sel, edit(12, 0, 12, 0, 'a\nb\n')), { start: 15, end: 20 });
    assert.deepEqual(shiftLines(sel, edit(11, 0, 12, 0, '')), { start: 12, end: 17 });
  });

  it('grows or shrinks them with an edit inside, and leaves them for an edit below', () => {
    assert.deepEqual(shiftLines(sel, edit(17, 10, 17, 10, '\n  // edited as asked')), { start: 13, end: 19 });
    assert.deepEqual(shiftLines(sel, edit(13, 0, 15, 0, '')), { start: 13, end: 16 });
    assert.deepEqual(shiftLines(sel, edit(13, 2, 13, 2, 'x')), sel);
    assert.deepEqual(shiftLines(sel, edit(18, 0, 18, 0, 'after\n')), sel);
    assert.deepEqual(shiftLines(sel, edit(30, 0, 40, 0, '')), sel);
  });

  it('keeps at least one line when the edit swallows them, starting where the edit starts', () => {
    assert.deepEqual(shiftLines(sel, edit(10, 0, 20, 0, 'x\n')), { start: 11, end: 11 });
    assert.deepEqual(shiftLines(sel, edit(12, 0, 17, 5, '')), { start: 13, end: 13 });
  });

  it('counts CRLF and lone CR as one line break each', () => {
    assert.deepEqual(shiftLines(sel, edit(0, 0, 0, 0, 'a\r\nb\rc\n')), { start: 16, end: 21 });
  });

  it('applies an event\'s edits one after another, as the editor lists them (last first)', () => {
    assert.deepEqual(shiftLinesAll(sel, [edit(15, 0, 15, 0, 'in\n'), edit(1, 0, 1, 0, 'above\n')]), { start: 14, end: 20 });
  });
});
