import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cliHarness';

describe('editscope check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'editscope-check-'));
  const orig = ["const a = 'x';", '// note', 'function f() {', '  return 1;', '}', 'const b = 2;', ''].join('\n');
  const good = orig.replace('  return 1;', '  return 2;');
  const overreach = good.replace('// note\n', '').replace("const a = 'x';", 'const a = "x";');
  const write = (name: string, content: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const o = write('orig.js', orig);
  const g = write('good.js', good);
  const bad = write('bad.js', overreach);

  it('exits 0 with no findings and prints one JSON object in the contract shape', async () => {
    const r = await cli(['check', '--original', o, '--edited', g, '--range', '3-5', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(json.hunks, [{ originalStart: 4, originalLines: 1, editedStart: 4, editedLines: 1, scope: 'in', whitespaceOnly: false, reason: json.hunks[0].reason }]);
    assert.equal(json.outOfScopeHunks, 0);
    assert.deepEqual(json.styleDrift, []);
  });

  it('exits 1 with out-of-scope hunks and style findings, explained in text', async () => {
    const r = await cli(['check', '--original', o, '--edited', bad, '--range', '3-5']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /1 out of scope/);
    assert.match(r.stdout, /Out of scope:\n\s+@@ -1,2 \+1,1 @@\s+changes lines 1-2, outside the selection \(lines 3-5\)/);
    assert.match(r.stdout, /-\/\/ note/);
    assert.match(r.stdout, /comments-removed\s+line 1\s+A comment was deleted/);
    const json = JSON.parse((await cli(['check', '--original', o, '--edited', bad, '--range', '3-5', '--format', 'json'])).stdout);
    assert.equal(json.outOfScopeHunks, 1);
    assert.ok(json.hunks.some((h: { scope: string }) => h.scope === 'out'));
  });

  it('without --range checks style only', async () => {
    const r = await cli(['check', '--original', o, '--edited', g, '--format', 'json']);
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.stdout).hunks[0].scope, 'in');
  });

  it('exits 2 with a one-line reason for bad usage and bad input', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['check', '--edited', g], /--original is required/],
      [['check', '--original', o, '--edited', g, '--range', 'ten'], /--range must look like <start>-<end>/],
      [['check', '--original', o, '--edited', g, '--range', '5-50'], /outside the original, which has 6 lines/],
      [['check', '--original', join(dir, 'missing.js'), '--edited', g], /missing\.js does not exist/],
      [['check', '--original', o, '--edited', write('bin.dat', Buffer.from([1, 0, 2, 3]))], /looks binary/],
      [['check', '--original', dir, '--edited', g], /is a folder/],
      [['check', '--original', o, '--edited', g, '--format', 'xml'], /--format must be one of text, json/],
      [['check', '--original', o, '--edited', g, '--bogus'], /unknown option --bogus/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.equal(r.stdout, '');
    }
  });

  it('analyses CRLF and mixed line endings instead of failing', async () => {
    const crlf = write('crlf.js', orig.replace(/\n/g, '\r\n'));
    const crlfEdited = write('crlf-edited.js', good.replace(/\n/g, '\r\n'));
    const r = await cli(['check', '--original', crlf, '--edited', crlfEdited, '--range', '3-5', '--format', 'json']);
    assert.equal(r.code, 0, r.stdout);
    const mixed = write('mixed.js', good.replace('\n', '\r\n'));
    const m = JSON.parse((await cli(['check', '--original', o, '--edited', mixed, '--range', '3-5', '--format', 'json'])).stdout);
    assert.equal(m.outOfScopeHunks, 1);
    assert.equal(m.styleDrift[0].rule, 'line-endings');
  });

  it('reads .editorconfig beside the original', async () => {
    const sub = join(dir, 'ec');
    mkdirSync(sub);
    writeFileSync(join(sub, '.editorconfig'), 'root = true\n[*.js]\nindent_style = tab\n');
    const eo = join(sub, 'o.js');
    writeFileSync(eo, orig);
    const ee = join(sub, 'e.js');
    writeFileSync(ee, orig.replace('  return 1;', '  return 3;'));
    const json = JSON.parse((await cli(['check', '--original', eo, '--edited', ee, '--range', '3-5', '--format', 'json'])).stdout);
    assert.equal(json.conventions.indent.source, 'editorconfig');
    assert.deepEqual(json.styleDrift.map((f: { rule: string }) => f.rule), ['indent']);
  });

  it('has help for the program and the command', async () => {
    const top = await cli(['--help']);
    assert.equal(top.code, 0);
    assert.match(top.stdout, /check\s+Compare an edited file/);
    const sub = await cli(['check', '--help']);
    assert.equal(sub.code, 0);
    assert.match(sub.stdout, /Exit status: 0 no findings, 1 findings, 2 bad usage/);
    const unknown = await cli(['frobnicate']);
    assert.equal(unknown.code, 2);
  });
});
