import * as assert from 'node:assert/strict';
import { analyze } from '../../src/core/analysis/analyze';
import { applyHunks } from '../../src/core/analysis/apply';
import { InputError } from '../../src/core/errors';

const lines = (n: number, f: (i: number) => string = (i) => `line ${i}`) => Array.from({ length: n }, (_, i) => f(i + 1));
const text = (ls: string[]) => ls.join('\n') + '\n';

describe('scope: hunks against the selected region', () => {
  const base = lines(40);

  it('reports no hunks for identical text', () => {
    const a = analyze(text(base), text(base), { ranges: [{ start: 5, end: 10 }] });
    assert.equal(a.hunks.length, 0);
    assert.equal(a.outOfScopeHunks, 0);
  });

  it('keeps a change inside the region in scope and flags one far away', () => {
    const edited = base.slice();
    edited[6] = 'line 7 changed';
    edited[30] = 'line 31 changed';
    const a = analyze(text(base), text(edited), { ranges: [{ start: 5, end: 10 }] });
    assert.deepEqual(
      a.hunks.map((h) => [h.originalStart, h.originalLines, h.editedStart, h.editedLines, h.scope]),
      [[7, 1, 7, 1, 'in'], [31, 1, 31, 1, 'out']],
    );
    assert.equal(a.outOfScopeHunks, 1);
    assert.match(a.hunks[1].reason, /outside the selection \(lines 5-10\)/);
  });

  it('treats insertions at either edge of the region as in scope, and one line beyond as out', () => {
    const at = (after: number) => {
      const edited = base.slice();
      edited.splice(after, 0, 'inserted');
      return analyze(text(base), text(edited), { ranges: [{ start: 5, end: 10 }] }).hunks[0];
    };
    assert.equal(at(4).scope, 'in'); // after line 4 = start-1
    assert.equal(at(4).originalStart, 4);
    assert.equal(at(4).originalLines, 0);
    assert.equal(at(10).scope, 'in'); // after line 10 = end
    assert.equal(at(3).scope, 'out');
    assert.equal(at(11).scope, 'out');
  });

  it('splits adjacent changes inside and outside the region into separate hunks', () => {
    const edited = base.slice();
    for (let i = 7; i <= 12; i++) edited[i - 1] = `line ${i} rewritten`;
    const a = analyze(text(base), text(edited), { ranges: [{ start: 5, end: 10 }] });
    assert.deepEqual(
      a.hunks.map((h) => [h.originalStart, h.originalLines, h.editedStart, h.editedLines, h.scope]),
      [[7, 4, 7, 4, 'in'], [11, 2, 11, 2, 'out']],
    );
  });

  it('splits a replacement that grows across the region end, keeping the growth with the region', () => {
    const edited = [...base.slice(0, 8), 'line 9 new', 'extra a', 'extra b', 'line 10 new', 'line 11 new', ...base.slice(11)];
    const a = analyze(text(base), text(edited), { ranges: [{ start: 5, end: 10 }] });
    const outHunks = a.hunks.filter((h) => h.scope === 'out');
    assert.equal(outHunks.length, 1);
    assert.equal(outHunks[0].originalStart, 11);
    assert.equal(outHunks[0].originalLines, 1);
    assert.equal(outHunks[0].editedLines, 1);
  });

  it('reports a deleted far comment and a re-indented far line as out of scope, whitespace-only for the latter', () => {
    const orig = ['function a() {', '  // keep me', '  return 1;', '}', ...lines(20, (i) => `const v${i} = ${i};`), 'function b() {', '  return 2;', '}'];
    const edited = orig.slice();
    edited.splice(1, 1); // delete the comment
    edited[edited.length - 2] = '    return 2;'; // re-indent
    const a = analyze(text(orig), text(edited), { fileName: 'x.js', ranges: [{ start: 10, end: 12 }] });
    assert.equal(a.outOfScopeHunks, 2);
    assert.equal(a.hunks[0].editedLines, 0);
    assert.equal(a.hunks[0].whitespaceOnly, false);
    assert.equal(a.hunks[1].whitespaceOnly, true);
  });

  it('puts everything in scope without ranges', () => {
    const edited = base.slice();
    edited[0] = 'changed';
    edited[39] = 'changed too';
    const a = analyze(text(base), text(edited));
    assert.equal(a.outOfScopeHunks, 0);
    assert.equal(a.hunks.length, 2);
  });

  it('handles several regions', () => {
    const edited = base.slice();
    edited[2] = 'x';
    edited[20] = 'y';
    edited[35] = 'z';
    const a = analyze(text(base), text(edited), { ranges: [{ start: 1, end: 5 }, { start: 30, end: 38 }] });
    assert.deepEqual(a.hunks.map((h) => h.scope), ['in', 'out', 'in']);
  });

  it('recognises a moved block', () => {
    const orig = lines(30, (i) => `statement number ${i};`);
    const block = orig.slice(4, 8);
    const edited = [...orig.slice(0, 4), ...orig.slice(8, 25), ...block, ...orig.slice(25)];
    const a = analyze(text(orig), text(edited), { ranges: [{ start: 20, end: 30 }] });
    const moved = a.hunks.filter((h) => h.moved);
    assert.equal(moved.length, 2);
    assert.deepEqual(moved.map((h) => h.moved!.role).sort(), ['from', 'to']);
    assert.match(moved[0].reason, /moves lines 5-8/);
  });

  it('sees a line-ending change as a whitespace-only change of that line', () => {
    const orig = 'a\nb\nc\n';
    const a = analyze(orig, 'a\nb\r\nc\n', { ranges: [{ start: 1, end: 1 }] });
    assert.equal(a.hunks.length, 1);
    assert.equal(a.hunks[0].originalStart, 2);
    assert.equal(a.hunks[0].whitespaceOnly, true);
    assert.equal(a.hunks[0].scope, 'out');
  });

  it('rejects a range outside the file and an inverted range with a clear error', () => {
    assert.throws(() => analyze('a\nb\n', 'a\nb\n', { ranges: [{ start: 2, end: 3 }] }), (e: unknown) => e instanceof InputError && /outside the original, which has 2 lines/.test(e.message));
    assert.throws(() => analyze('a\nb\n', 'a\nb\n', { ranges: [{ start: 2, end: 1 }] }), InputError);
  });

  it('handles empty files on either side', () => {
    assert.equal(analyze('', '').hunks.length, 0);
    const added = analyze('', 'a\nb\n');
    assert.deepEqual([added.hunks[0].originalStart, added.hunks[0].originalLines, added.hunks[0].editedLines], [0, 0, 2]);
    const removed = analyze('a\nb\n', '');
    assert.deepEqual([removed.hunks[0].originalLines, removed.hunks[0].editedStart, removed.hunks[0].editedLines], [2, 0, 0]);
  });

  it('diffs a whole-file rewrite of 20,000 lines as one block without hanging', () => {
    const orig = lines(20000, (i) => `old ${i}`);
    const edited = lines(20000, (i) => `new ${i}`);
    const a = analyze(text(orig), text(edited), { ranges: [{ start: 1, end: 10 }] });
    assert.equal(a.stats.linesAdded, 20000);
    assert.equal(a.stats.linesRemoved, 20000);
    assert.ok(a.outOfScopeHunks >= 1);
  });
});

describe('scope: blocks that look like their neighbours', () => {
  // Tests and doc comments repeat their shape: a walk that resyncs on the first few agreeing
  // lines would pair the new block with the old ones and scatter changes past the selection.
  const test = (name: string) => [`  it('${name}', function(done){`, '    var app = express();', '', '    app.use(function(req, res){', `      res.end('${name}');`, '    });', '  })', ''];
  const filler = lines(30, (i) => `var x${i} = ${i};`);
  const orig = ["describe('app', function(){", ...test('a'), ...test('b'), '})', ...filler];

  it('sees a block inserted before look-alike blocks as one insertion, as git does', () => {
    const edited = [orig[0], ...test('c'), ...orig.slice(1)];
    const a = analyze(text(orig), text(edited), { fileName: 'app.js', ranges: [{ start: 1, end: 3 }] });
    assert.deepEqual(a.hunks.map((h) => [h.originalStart, h.originalLines, h.editedStart, h.editedLines, h.scope]), [[1, 0, 2, 8, 'in']]);
  });

  it('places a deleted block among nested closers where the untouched closers match exactly', () => {
    // With whitespace folded every `})` looks alike; a deletion placed among the wrong ones
    // would leave an untouched closer below the selection "re-indented".
    const o = ["describe('res', function(){", "  describe('render', function(){", "    describe('on error', function(){", "      it('calls next', function(done){", '        request(app)', '        .end(function(res){', '          done();', '        });', '      })', '      ', "      describe('in the callback', function(){", "        it('calls next', function(done){", '          request(app)', '          .end(function(res){', '            done();', '          });', '        })', '      })', '    })', '  })', '})'];
    const edited = [...o.slice(0, 9), ...o.slice(18)];
    const a = analyze(text(o), text(edited), { fileName: 'render.js', ranges: [{ start: 9, end: 19 }] });
    assert.deepEqual(a.hunks.map((h) => [h.originalStart, h.originalLines, h.editedLines, h.scope]), [[10, 9, 0, 'in']]);
  });

  it('sees a block inserted near the end of a file, among closers, as one insertion', () => {
    // The shape of a commit to express's tests: a describe block inserted before the file's
    // last one. Near the end the closers (`})` at several indents) agree at a wrong offset
    // until the shorter file runs out; taken as the point where the files agree again, that
    // left an untouched closer "changed" far below the selection.
    const test = (title: string, name: string, body: string[]) => [
      `  describe('${title}', function(){`, `    it('${name}', function(done){`, '      var server = create();', '',
      "      server.set('root', __dirname + '/pages');", '', '      server.use(function(req, res){', ...body, '      });', '',
      '      send(server)', "      .get('/')", '      .end(function(res){', "        res.text.should.equal('<p>ann</p>');", '        done();', '      });', '    })',
    ];
    const plain = ["        res.show('page.html', function(err, html){", "          res.end(html.replace('bob', 'ann'));", '        });'];
    const withOptions = ["        res.show('page.html', { who: 'bob' }, function(err, html){", "          res.end(html.replace('bob', 'ann'));", '        });'];
    const nested = [
      '', "    describe('when it fails', function(){", "      it('should hand the error over', function(done){", '        var server = create();', '',
      "        server.set('root', __dirname + '/pages');", '', '        server.use(function(req, res){', "          res.show('page.html', function(err){",
      '            res.end(err.message);', '          });', '        });', '', '        send(server)', "        .get('/')", '        .end(function(res){',
      '          res.text.should.match(/missing/);', '          done();', '        });', '      })', '    })', '  })', '})',
    ];
    const o = ["describe('res', function(){", '  })', '', ...test('.show(name, fn)', 'should not answer', plain), ...nested];
    const edited = ["describe('res', function(){", '  })', '', ...test('.show(name, options, fn)', 'should pass the page', withOptions), '  })', '', ...test('.show(name, fn)', 'should pass the page', plain), ...nested];
    const a = analyze(text(o), text(edited), { fileName: 'res.show.js', ranges: [{ start: 3, end: 5 }] });
    assert.deepEqual(a.hunks.map((h) => [h.originalStart, h.originalLines, h.editedStart, h.editedLines, h.scope]), [[3, 0, 4, 21, 'in'], [5, 1, 26, 1, 'in']]);
  });

  it('places a deletion or insertion among repeated lines inside the selection when it could sit there', () => {
    // httpx's tests: blank lines and a decorator repeat, so deleting test b (lines 7-11, as git
    // shows it) could as well be read as deleting lines 10-14, past the selection.
    const pyTest = (n: string) => ['', '', '@pytest.mark.skipif(sys.version_info < (3, 11), reason="old")', `def test_${n}() -> None:`, '    run()'];
    const o = ['import pytest', ...pyTest('a'), ...pyTest('b'), ...pyTest('c'), ''];
    const deleted = [...o.slice(0, 6), ...o.slice(11)];
    const a = analyze(text(o), text(deleted), { fileName: 't.py', ranges: [{ start: 7, end: 11 }] });
    assert.deepEqual(a.hunks.map((h) => [h.originalStart, h.originalLines, h.editedLines, h.scope]), [[7, 5, 0, 'in']]);
    // A test added after test a's lines, which end as test b's do.
    const o2 = ['import pytest', '', '', 'def test_a() -> None:', '    run()', '', '', 'def test_b() -> None:', '    run()', ''];
    const added = [...o2.slice(0, 7), 'def test_z() -> None:', '    run()', '', '', ...o2.slice(7)];
    const b = analyze(text(o2), text(added), { fileName: 't.py', ranges: [{ start: 3, end: 5 }] });
    assert.equal(b.outOfScopeHunks, 0);
    assert.deepEqual(b.hunks.map((h) => [h.originalStart, h.originalLines, h.editedLines]), [[5, 0, 4]]);
  });

  it('does not lock onto look-alike tests at a wrong offset when a new one is added among them', () => {
    // Tests that differ only in their names disagree every few lines at any offset, so the
    // walk never settles; carried on at a wrong offset it reported a block a thousand lines
    // further down as deleted and inserted again.
    const block = (n: number) => [`  it('handles case ${n}', async () => {`, '    const server = await createServer();', '    const res = await request(server).get("/");', '    expect(res.status).toBe(200);', '    await server.close();', '  });', ''];
    const o = ["describe('api', () => {", ...Array.from({ length: 300 }, (_, n) => block(n)).flat(), '});'];
    const at = 1 + 100 * 7;
    const edited = [...o.slice(0, at), ...block(1000), ...o.slice(at)];
    const a = analyze(text(o), text(edited), { fileName: 'api.test.js', ranges: [{ start: at - 2, end: at + 2 }] });
    assert.deepEqual(a.hunks.map((h) => [h.originalStart, h.originalLines, h.editedStart, h.editedLines, h.scope]), [[at, 0, at + 1, 7, 'in']]);
  });

  it('keeps tests added among look-alikes with long identical bodies one insertion, as git shows it', () => {
    // Bodies of 20 or more identical lines agree at a wrong offset long enough for the walk to
    // settle there: each old test was paired with a new one, and a 75-line insertion became
    // dozens of one-line rewrites of test names, all but one out of scope.
    const body = Array.from({ length: 22 }, (_, k) => `        step_${k}(ctx)`);
    const t = (name: string, v: number) => [`    def test_${name}(self):`, `        ctx = setup(${v})`, ...body, `        self.assertEqual(ctx.value, ${v})`, ''];
    const o = ['import unittest', '', '', 'class ItemTests(unittest.TestCase):', ...Array.from({ length: 30 }, (_, i) => t(`item_${i}`, i)).flat()];
    const at = 4 + 12 * 26;
    const added = [...t('new_0', 100), ...t('new_1', 101), ...t('new_2', 102)];
    const edited = [...o.slice(0, at), ...added, ...o.slice(at)];
    const a = analyze(text(o), text(edited), { fileName: 'test_items.py', ranges: [{ start: at - 1, end: at + 1 }] });
    assert.equal(a.hunks.length, 1);
    assert.equal(a.outOfScopeHunks, 0);
    assert.equal(a.hunks[0].originalLines, 0);
    assert.equal(a.hunks[0].editedLines, added.length);
    assert.equal(applyHunks(text(o), text(edited), a.hunks, () => true), text(edited), 'the file rebuilds exactly');
  });

  it('rebuilds every file exactly from its hunks when look-alike blocks are inserted, deleted and changed at random', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const body = (v: number) => Array.from({ length: 18 + (v % 5) }, (_, k) => (k === 9 ? `    check(${v % 3})` : `    step_${k}()`));
    const block = (v: number) => [`def test_${v}():`, ...body(v), ''];
    for (let round = 0; round < 40; round++) {
      const o = Array.from({ length: 12 }, (_, i) => block(i)).flat();
      const e = [...o];
      for (let k = 0; k < 4; k++) {
        const at = rand(e.length);
        const what = rand(3);
        if (what === 0) e.splice(at, 0, ...block(100 + rand(50)));
        else if (what === 1) e.splice(at, 1 + rand(25));
        else e[at] = `    changed_${rand(9)}()`;
      }
      const a = analyze(text(o), text(e), { fileName: 't.py', ranges: [{ start: 1, end: 5 }] });
      assert.equal(applyHunks(text(o), text(e), a.hunks, () => true), text(e), `round ${round}`);
      assert.equal(applyHunks(text(o), text(e), a.hunks, () => false), text(o), `round ${round}`);
    }
  });

  it('sees a deleted look-alike block as one deletion', () => {
    const edited = [orig[0], ...orig.slice(9)];
    const a = analyze(text(orig), text(edited), { fileName: 'app.js', ranges: [{ start: 2, end: 9 }] });
    assert.deepEqual(a.hunks.map((h) => [h.originalStart, h.originalLines, h.editedLines, h.scope]), [[2, 8, 0, 'in']]);
  });
});

describe('applying chosen hunks', () => {
  it('applies only in-scope hunks and leaves the rest of the original alone', () => {
    const orig = text(lines(30));
    const editedLines = lines(30);
    editedLines[4] = 'in scope change';
    editedLines.splice(20, 1); // out of scope deletion
    editedLines.splice(25, 0, 'out of scope insertion');
    const edited = text(editedLines);
    const a = analyze(orig, edited, { ranges: [{ start: 3, end: 8 }] });
    const result = applyHunks(orig, edited, a.hunks, (h) => h.scope === 'in');
    const expected = lines(30);
    expected[4] = 'in scope change';
    assert.equal(result, text(expected));
    assert.equal(applyHunks(orig, edited, a.hunks, () => true), edited);
    assert.equal(applyHunks(orig, edited, a.hunks, () => false), orig);
  });

  it('never runs two lines together when the kept hunk held the unterminated last line', () => {
    const orig = 'a\nb\nc\nd\n';
    const edited = 'a\nB'; // changes b, deletes c and d, drops the final newline
    const a = analyze(orig, edited, { ranges: [{ start: 2, end: 2 }] });
    const result = applyHunks(orig, edited, a.hunks, (h) => h.scope === 'in');
    assert.equal(result, 'a\nB\nc\nd\n');
  });

  it('round-trips random edits: applying every hunk gives the edited text, none gives the original', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let trial = 0; trial < 200; trial++) {
      const orig = lines(5 + rnd(40), (i) => (rnd(4) === 0 ? '}' : `v${i}`));
      const edited = orig.slice();
      for (let k = 0; k < 1 + rnd(6); k++) {
        const op = rnd(4);
        const at = rnd(edited.length + 1);
        if (op === 0) edited.splice(at, 0, `new${rnd(100)}`);
        else if (op === 1 && edited.length) edited.splice(Math.min(at, edited.length - 1), 1);
        else if (op === 2 && at < edited.length) edited[at] = '  ' + edited[at];
        else if (at < edited.length) edited[at] = `changed${rnd(100)}`;
      }
      const o = text(orig);
      const e = edited.length ? text(edited) : '';
      const start = 1 + rnd(orig.length);
      const a = analyze(o, e, { ranges: [{ start, end: Math.min(orig.length, start + rnd(8)) }] });
      assert.equal(applyHunks(o, e, a.hunks, () => true), e, `trial ${trial}`);
      assert.equal(applyHunks(o, e, a.hunks, () => false), o, `trial ${trial}`);
      for (const h of a.hunks) assert.ok(h.originalLines > 0 || h.editedLines > 0);
    }
  });
});

describe('scope: long identical stretches', () => {
  // Identical text is compared in growing blocks; these cases put the one difference at or
  // next to a block's edge, and in a terminator, where a line-by-line reading is easy to lose.
  const many = lines(6000, (i) => `  value_${i} = compute(${i}); // keeps the ${i % 7}th slot`);

  it('finds a single changed line anywhere in a long file, whatever the line endings', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      for (const at of [0, 3, 4, 5, 63, 64, 65, 2999, 5998, 5999]) {
        const edited = many.slice();
        edited[at] = `${edited[at]} changed`;
        const a = analyze(many.join(eol) + eol, edited.join(eol) + eol);
        assert.deepEqual(a.hunks.map((h) => [h.originalStart, h.originalLines, h.editedStart, h.editedLines, h.whitespaceOnly]), [[at + 1, 1, at + 1, 1, false]], `${JSON.stringify(eol)} at ${at}`);
      }
    }
  });

  it('reports a changed terminator as a whitespace-only change of that line, CR becoming CRLF included', () => {
    for (const [from, to] of [['\r', '\r\n'], ['\r\n', '\r'], ['\n', '\r\n'], ['\r\n', '\n']]) {
      for (const at of [2, 4100, 5998]) {
        const edited = many.map((l, i) => l + (i === at ? to : from)).join('');
        const a = analyze(many.map((l) => l + from).join(''), edited);
        assert.deepEqual(a.hunks.map((h) => [h.originalStart, h.originalLines, h.whitespaceOnly]), [[at + 1, 1, true]], `${JSON.stringify(from)} -> ${JSON.stringify(to)} at ${at}`);
      }
    }
  });

  it('reports an added or removed final newline on the last line only', () => {
    const a = analyze(many.join('\n'), many.join('\n') + '\n');
    assert.deepEqual(a.hunks.map((h) => [h.originalStart, h.originalLines, h.editedLines, h.whitespaceOnly]), [[6000, 1, 1, true]]);
    const b = analyze(many.join('\n') + '\n', many.join('\n'));
    assert.deepEqual(b.hunks.map((h) => [h.originalStart, h.originalLines, h.editedLines, h.whitespaceOnly]), [[6000, 1, 1, true]]);
  });

  it('reports lines appended after a long identical text as one insertion', () => {
    const a = analyze(many.join('\n') + '\n', [...many, 'extra 1', 'extra 2'].join('\n') + '\n');
    assert.deepEqual(a.hunks.map((h) => [h.originalStart, h.originalLines, h.editedStart, h.editedLines]), [[6000, 0, 6001, 2]]);
  });
});
