import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadEditorConfig } from '../../src/core/io/editorconfig';
import { cli } from './cliHarness';

/** A fresh folder holding `files` (path relative to it -> content); returns its path. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'editscope-ec-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Whether a `[section]` applies to `path` (relative to the .editorconfig's folder). */
function applies(section: string, path: string): boolean {
  const root = tree({ '.editorconfig': `root = true\n[${section}]\nindent_style = tab\n`, [path]: '' });
  return loadEditorConfig(join(root, path)).indent_style === 'tab';
}

describe('.editorconfig', () => {
  it('matches braces as editors do: lists, nested lists, and a single name taken literally', () => {
    assert.ok(applies('*.{js,ts}', 'deep/x/a.ts'));
    assert.ok(!applies('*.{js,ts}', 'a.py'));
    assert.ok(applies('{package.json,.travis.yml}', '.travis.yml'));
    assert.ok(applies('*.{js,{c,m}js}', 'lib/a.mjs'));
    assert.ok(applies('{single}.js', '{single}.js'));
    assert.ok(!applies('{single}.js', 'single.js'));
  });

  it('matches numeric ranges, including negative and reversed bounds', () => {
    assert.ok(applies('v{1..3}.md', 'v2.md'));
    assert.ok(!applies('v{1..3}.md', 'v4.md'));
    assert.ok(applies('v{10..12}.md', 'v11.md'));
    assert.ok(applies('t{-3..3}.txt', 't-2.txt'));
    assert.ok(applies('v{3..1}.md', 'v2.md'));
  });

  it('matches * within one folder, ** across folders, and anchors globs that hold a slash', () => {
    assert.ok(applies('lib/**.js', 'lib/a/b.js'));
    assert.ok(applies('lib/**.js', 'lib/b.js'));
    assert.ok(!applies('lib/*.js', 'lib/a/b.js'));
    assert.ok(applies('a/**/z.c', 'a/b/c/z.c'));
    assert.ok(applies('*.js', 'src/deep/a.js'));
    assert.ok(applies('/root.js', 'root.js'));
    assert.ok(!applies('/root.js', 'sub/root.js'));
    assert.ok(!applies('sub/x.js', 'other/sub/x.js'));
    assert.ok(applies('file[0-9].py', 'file3.py'));
    assert.ok(!applies('file[!0-9].py', 'file3.py'));
    assert.ok(applies('a\\*b.txt', 'a*b.txt'));
    assert.ok(!applies('a\\*b.txt', 'axb.txt'));
  });

  it('lets nearer files and later sections win, and stops at root = true', () => {
    const root = tree({
      '.editorconfig': '[*]\nend_of_line = crlf\ninsert_final_newline = true\n',
      'repo/.editorconfig': 'root = true\n[*]\nindent_style = space\nindent_size = 4\nend_of_line = lf\n[*.py]\nindent_size = 8\n',
      'repo/pkg/.editorconfig': '[*.py]\nindent_size = 2\n; comment\n# comment\n',
      'repo/pkg/a.py': '',
    });
    assert.deepEqual(loadEditorConfig(join(root, 'repo/pkg/a.py')), {
      indent_style: 'space', indent_size: 2, tab_width: 2, end_of_line: 'lf',
    });
  });

  it('reads values case-insensitively, honours unset, and keeps only the properties style uses', () => {
    const root = tree({
      '.editorconfig': [
        'root = true', '[*]', 'indent_style = space', 'trim_trailing_whitespace = true', 'charset = utf-8',
        '[*.ts]', 'indent_style = TAB', 'indent_size = tab', 'tab_width = 8', 'quote_type = Single',
        'trim_trailing_whitespace = unset', 'insert_final_newline = FALSE', '',
      ].join('\n'),
      'a.ts': '',
    });
    assert.deepEqual(loadEditorConfig(join(root, 'a.ts')), {
      indent_style: 'tab', indent_size: 8, tab_width: 8, quote_type: 'single', insert_final_newline: false,
    });
  });

  it('gives nothing for a file no .editorconfig speaks to', () => {
    const root = tree({ '.editorconfig': 'root = true\n[*.md]\nindent_size = 3\n', 'a.js': '' });
    assert.deepEqual(loadEditorConfig(join(root, 'a.js')), {});
  });

  it('decides what editscope check holds an edit against', async () => {
    const original = ['function f() {', '  return 1;', '}', ''].join('\n');
    const edited = ['function f() {', '  return 2;', '  // done', '}', ''].join('\n');
    const root = tree({
      '.editorconfig': 'root = true\n[src/**/*.{js,ts}]\nindent_style = tab\n[gen{1..3}/*.js]\nindent_style = tab\n',
      'src/deep/o.js': original, 'src/deep/e.js': edited,
      'gen2/o.js': original, 'gen2/e.js': edited,
      'gen4/o.js': original, 'gen4/e.js': edited,
    });
    const check = async (folder: string) => {
      const r = await cli(['check', '--original', join(root, folder, 'o.js'), '--edited', join(root, folder, 'e.js'),
        '--range', '1-3', '--format', 'json']);
      const json = JSON.parse(r.stdout);
      return { code: r.code, indent: json.conventions.indent.source, rules: json.styleDrift.map((f: { rule: string }) => f.rule) };
    };
    assert.deepEqual(await check('src/deep'), { code: 1, indent: 'editorconfig', rules: ['indent'] });
    assert.deepEqual(await check('gen2'), { code: 1, indent: 'editorconfig', rules: ['indent'] });
    const outside = await check('gen4');
    assert.deepEqual([outside.code, outside.rules], [0, []]);
    assert.notEqual(outside.indent, 'editorconfig');
  });
});
