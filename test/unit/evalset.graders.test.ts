import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { languageOf } from '../../src/core/analysis/language';
import type { EvalSetTask } from '../../src/core/evalset/evalSetTask';
import { gradeItem, type GradeItem } from '../../src/core/evalset/gradeItem';
import { REFERENCE_JS, SCOPE_JS } from '../../src/core/evalset/promptfooAssertions';
import { replay } from '../../src/core/evalset/replayEvalSet';
import { rftGrader } from '../../src/core/evalset/rft';
import { readLog } from '../../src/core/log/evalLog';
import { templateFor } from '../../src/core/prompt/build';
import { loadProvidersConfig } from '../../src/core/providers/config';
import { createProviders } from '../../src/core/providers/registry';
import { splitLines } from '../../src/core/text/lines';
import { graderCases, type GraderCase } from '../fixtures/cases';
import { startMockModelServer } from '../fixtures/mockModelServer';
import { cli } from './cliHarness';
import { runPythonGrader } from './pythonGrader';

/**
 * The three graders of an exported task read the same answers (test/fixtures/grader-cases/)
 * and must agree within 0.01 with each other and with replay: `editscope replay` itself (a
 * model scripted to give each answer), the promptfoo assertions (Edit Scope's TypeScript,
 * bundled) and the RFT grader (Python, kept by hand). Hostile answers are most of them:
 * wiped files, foreign paths, look-alike paths, answers cut off mid-block.
 */

/** The Python grader's (score, scope) for each case: scope is null when the answer is unusable. */
function gradeWithPython(cases: readonly GraderCase[]): Array<{ score: number; scope: number | null }> {
  return runPythonGrader(rftGrader().source, [
    'out = []',
    'for c in json.load(sys.stdin):',
    '    sample = {"output_text": c["answer"], "finish_reason": c.get("finish") or "stop"}',
    '    g = scope["grades"](c["item"], c["answer"], sample["finish_reason"])',
    '    out.append({"score": scope["grade"](sample, c["item"]), "scope": None if g is None else g[0]})',
    'print(json.dumps(out))',
  ], cases);
}

/** The promptfoo assertions as promptfoo runs them (a function body of output and context), combined as replay scores. */
function gradeWithPromptfoo(c: GraderCase): { score: number; scope: number | null } {
  const run = (code: string) => (new Function('output', 'context', code) as (o: string, ctx: unknown) => { pass: boolean; score: number; reason: string })(c.answer, { vars: c.item });
  const scope = run(SCOPE_JS);
  if (/^The answer holds no usable edit/.test(scope.reason)) return { score: 0, scope: null };
  const refs = (c.item.reference !== undefined ? 1 : 0) + (c.item.edit_files ?? []).filter((f) => f.reference !== undefined).length;
  if (!refs) return { score: scope.score, scope: scope.score };
  const reference = run(REFERENCE_JS);
  return { score: (scope.score + reference.score * refs) / (1 + refs), scope: scope.score };
}

/** A replayable task holding exactly the item: the window as the whole file, sent whole. */
function taskOf(c: GraderCase, id: string): EvalSetTask {
  const it: GradeItem = c.item;
  const lines = splitLines(it.window_text).lines.length;
  return {
    schemaVersion: 1,
    kind: 'evalset-task',
    id,
    time: '2026-01-01T00:00:00.000Z',
    file: it.file,
    language: languageOf(it.file),
    fileHash: '',
    original: it.window_text,
    totalLines: lines,
    window: { start: 1, end: lines },
    windowText: it.window_text,
    ranges: [{ start: it.selection_start, end: it.selection_end }],
    instruction: 'Make the change',
    contextFiles: [],
    // As an export writes them: no reference for a file the accepted edit left unchanged.
    ...(it.edit_files
      ? {
          editFiles: it.edit_files.map((f) => ({
            path: f.path,
            sha256: '',
            text: f.text,
            range: f.start === undefined ? null : { start: f.start, end: f.end ?? f.start },
            reference: f.reference === undefined || f.reference === f.text ? null : f.reference,
          })),
        }
      : {}),
    locality: it.edit_files ? 'multi-file' : 'local',
    prompt: { template: templateFor(it.format, !!it.edit_files), format: it.format, contextLines: 100_000 },
    reference: it.reference === undefined ? null : { model: 'mock/accepted', accepted: 'all', output: it.reference },
    graders: { scope: true, style: false, reference: true, test: null },
  };
}

describe('the graders of an exported task, on the shared answer cases', () => {
  const cases = graderCases();

  it('the cases are there, hostile ones among them', () => {
    assert.ok(cases.length >= 25, `${cases.length} cases`);
    assert.ok(cases.some((c) => /wiped/.test(c.name)) && cases.some((c) => /foreign/.test(c.name)) && cases.some((c) => /cut/.test(c.name)) && cases.some((c) => /look-alike/.test(c.name)));
  });

  it('Edit Scope grades each case as the case expects', () => {
    const wrong = cases.flatMap((c) => {
      const g = gradeItem(c.item, c.answer, c.finish ?? 'stop');
      const e = c.expect;
      const ok = (e.score === undefined || Math.abs(g.score - e.score) < 1e-9) && (e.below === undefined || g.score < e.below) && (e.scope === undefined || (g.usable && g.scope === e.scope));
      return ok ? [] : [`${c.name}: score ${g.score.toFixed(3)}, scope ${g.scope}, usable ${g.usable} (${g.reason}); expected ${JSON.stringify(e)}`];
    });
    assert.deepEqual(wrong, []);
  });

  it('the promptfoo assertions are the TypeScript, bundled: no hand-kept copy', () => {
    for (const js of [SCOPE_JS, REFERENCE_JS]) {
      assert.match(js, /matches only part of line/, 'the reader of src/core/prompt/applyBlocks.ts is in it');
      assert.match(js, /return editScope\.assert(Scope|Reference)\(output, context\);\n$/);
    }
  });

  it('replay, the promptfoo assertions and the RFT grader agree within 0.01 on every case', async function () {
    this.timeout(120_000);
    const pythonGrades = gradeWithPython(cases);
    const server = await startMockModelServer();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'editscope-graders-'));
      mkdirSync(join(dir, '.editscope'));
      writeFileSync(join(dir, '.editscope', 'config.json'), JSON.stringify({ providers: [{ id: 'mock', baseUrl: server.url, apiKeyEnv: 'MOCK_API_KEY', maxRetries: 0 }] }));
      const env = { MOCK_API_KEY: 'sk-graders', PATH: process.env.PATH, XDG_CONFIG_HOME: join(dir, 'user-config') };
      assert.equal((await cli(['trust'], { cwd: dir, env })).code, 0);
      const providers = createProviders(loadProvidersConfig(dir, '.editscope/config.json', env), env);
      const logPath = join(dir, 'replay.jsonl');
      for (const [k, c] of cases.entries()) {
        server.answerWith(`case-${k}`, c.answer, c.finish);
        await replay([taskOf(c, `case-${k}`)], { set: 'grader-cases', models: [`mock/case-${k}`], providers, logPath, runTests: false });
      }
      const replayed = new Map<string, { score: number; scope: number; ok: boolean }>();
      readLog(logPath, { onRecord: () => {}, onGrade: (g) => replayed.set(g.model, g) });

      const table: string[] = [];
      const disagree: string[] = [];
      let worst = 0;
      cases.forEach((c, k) => {
        const r = replayed.get(`mock/case-${k}`);
        assert.ok(r, `replay graded ${c.name}`);
        const ts = gradeItem(c.item, c.answer, c.finish ?? 'stop');
        const pf = gradeWithPromptfoo(c);
        const py = pythonGrades[k];
        const scores = [r!.score, ts.score, pf.score, py.score];
        const spread = Math.max(...scores) - Math.min(...scores);
        worst = Math.max(worst, spread);
        const scopes = [r!.ok ? r!.scope : null, ts.usable ? ts.scope : null, pf.scope, py.scope];
        const line = `${c.name}: replay ${r!.score.toFixed(3)}, TypeScript ${ts.score.toFixed(3)}, promptfoo ${pf.score.toFixed(3)}, Python ${py.score.toFixed(3)}; scope ${scopes.join('/')}`;
        table.push(line);
        if (spread > 0.01 || new Set(scopes).size > 1) disagree.push(line);
      });
      if (process.env.GRADER_TABLE) console.log(`${table.join('\n')}\nlargest spread: ${worst.toFixed(4)} over ${cases.length} cases`);
      assert.deepEqual(disagree, [], table.join('\n'));
    } finally {
      await server.close();
    }
  });
});
