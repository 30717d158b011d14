import * as assert from 'node:assert/strict';
import { globToRegExp, parseEditorConfig, resolveEditorConfig } from '../../src/core/analysis/editorconfig';

describe('.editorconfig', () => {
  it('matches globs as EditorConfig defines them', () => {
    const m = (glob: string, path: string) => globToRegExp(glob).test(path);
    assert.ok(m('*.js', 'src/a.js'));
    assert.ok(!m('*.js', 'src/a.ts'));
    assert.ok(m('*.{js,ts}', 'deep/x/a.ts'));
    assert.ok(m('lib/**.js', 'lib/a/b.js'));
    assert.ok(!m('lib/*.js', 'lib/a/b.js'));
    assert.ok(m('file[0-9].py', 'file3.py'));
    assert.ok(m('v{1..3}.md', 'v2.md'));
    assert.ok(!m('v{1..3}.md', 'v4.md'));
    assert.ok(m('/root.js', 'root.js'));
  });

  it('merges nearer files over farther ones and stops at root = true', () => {
    const far = parseEditorConfig('root = true\n[*]\nindent_style = space\nindent_size = 4\nend_of_line = crlf\n');
    const near = parseEditorConfig('[*.py]\nindent_size = 2\n; comment\n# comment\n');
    const props = resolveEditorConfig([
      { config: near, relativePath: 'a.py' },
      { config: far, relativePath: 'pkg/a.py' },
      { config: parseEditorConfig('[*]\ninsert_final_newline = true\n'), relativePath: 'x/pkg/a.py' },
    ]);
    assert.deepEqual(props, { indent_style: 'space', indent_size: 2, end_of_line: 'crlf' });
  });
});
