import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ANSWER_SHAPES } from '../fixtures/answerShapes';
import { startMockModelServer, type MockModelServer } from '../fixtures/mockModelServer';
import { cli } from './cliHarness';
import { SAMPLE } from './edit.fanout.test';

/**
 * `editscope edit --apply` against models answering in imperfect shapes: afterwards the file
 * holds exactly the intended text, or is byte for byte what it was and the model's error is
 * named. Never anything else.
 */
describe('editscope edit --apply with real answer shapes', () => {
  let server: MockModelServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    server = await startMockModelServer();
    dir = mkdtempSync(join(tmpdir(), 'editscope-answers-'));
    mkdirSync(join(dir, '.editscope'));
    writeFileSync(join(dir, '.editscope', 'config.json'), JSON.stringify({ providers: [{ id: 'mock', baseUrl: server.url, apiKeyEnv: 'MOCK_API_KEY', retryBaseMs: 10 }] }));
    env = { MOCK_API_KEY: 'sk-test', XDG_CONFIG_HOME: join(dir, 'user-config') };
    assert.equal((await cli(['trust'], { cwd: dir, env })).code, 0);
  });
  after(() => server.close());

  const apply = (file: string, range: { start: number; end: number }, model: string, format: string, instruction = 'Edit it') =>
    cli(['edit', '--file', file, '--range', `${range.start}-${range.end}`, '--instruction', instruction, '--model', `mock/${model}`, '--edit-format', format, '--apply', `mock/${model}`], { cwd: dir, env });

  for (const s of ANSWER_SHAPES) {
    it(`${s.name}: ${typeof s.expect === 'string' ? 'writes the intended text' : `leaves the file unchanged (${s.expect.error})`}`, async () => {
      const path = join(dir, 'shapes', s.name, s.file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, s.original);
      const r = await apply(join('shapes', s.name, s.file), s.range, `shape-${s.name}`, s.format, s.instruction);
      if (typeof s.expect === 'string') {
        assert.equal(r.code, 0, r.stderr);
        assert.equal(readFileSync(path, 'utf8'), s.expect);
      } else {
        assert.equal(r.code, 1);
        assert.equal(readFileSync(path, 'utf8'), s.original);
        assert.match(r.stderr, new RegExp(`not applying mock/shape-${s.name}: it has no usable edit \\(${s.expect.error}\\)`));
      }
    });
  }

  // good's edit: a comment line after the selection's last line, indented like it.
  const GOOD = SAMPLE.replace('  return sum;\n}', '  return sum;\n  // edited as asked\n}');
  const shapes: Array<[string, string, string]> = [
    ['sr-indented', 'search-replace', GOOD],
    ['sr-blank-edges', 'search-replace', GOOD],
    ['sr-no-closer', 'search-replace', GOOD],
    ['sr-crlf', 'search-replace', GOOD],
    ['sr-cline', 'search-replace', GOOD],
    ['sr-delete', 'search-replace', SAMPLE.replace(/export function total[\s\S]*  return sum;\n/, '')],
    ['whole-plus-shell', 'whole', GOOD],
  ];
  for (const [model, format, expected] of shapes) {
    it(`${model}: the intended edit, in a plain file and in a CRLF file with a BOM`, async () => {
      for (const [name, original, want] of [
        [`${model}.ts`, SAMPLE, expected],
        [`${model}-crlf.ts`, '\uFEFF' + SAMPLE.replace(/\n/g, '\r\n'), '\uFEFF' + expected.replace(/\n/g, '\r\n')],
      ]) {
        writeFileSync(join(dir, name), original);
        const r = await apply(name, { start: 13, end: 18 }, model, format, model === 'sr-delete' ? 'Delete total()' : undefined);
        assert.equal(r.code, 0, `${name}: ${r.stderr}`);
        assert.equal(readFileSync(join(dir, name), 'utf8'), want, name);
      }
    });
  }

  for (const [model, format, why] of [
    ['sr-second-divider', 'search-replace', /second ======= line/],
    ['whole-unfenced', 'whole', /another language \(bash\)/],
    ['whole-no-closer', 'whole', /never closes\): it was cut off/],
  ] as const) {
    it(`${model}: refused, the file untouched, the reason in the output`, async () => {
      const name = `${model}.ts`;
      writeFileSync(join(dir, name), SAMPLE);
      const r = await apply(name, { start: 13, end: 18 }, model, format);
      assert.equal(r.code, 1);
      assert.equal(readFileSync(join(dir, name), 'utf8'), SAMPLE);
      assert.match(r.stdout, why);
      assert.match(r.stderr, new RegExp(`not applying mock/${model}: it has no usable edit \\(malformed-output\\)`));
    });
  }
});
