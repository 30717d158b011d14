import * as assert from 'node:assert/strict';
import type { Analysis } from '../../src/core/analysis/analysisTypes';
import { analyze } from '../../src/core/analysis/analyze';
import type { EditedResult, ModelResult } from '../../src/core/task/editTask';
import { parseFromWebview } from '../../src/extension/protocol';
import { renderComparisonBody, type ComparisonView } from '../../src/extension/webview/comparisonView';
import { escapeHtml } from '../../src/core/text/escapeHtml';
import { contentSecurityPolicy, makeNonce, renderPage } from '../../src/extension/webview/page';
import { minimalReplacement } from '../../src/extension/minimalEdit';

const HOSTILE = `<img src=x onerror="alert(1)"><script>alert('x')</script>&`;

/** An edited result; its one file is the target with the result's analysis unless `files` is given. */
function result(over: Partial<EditedResult> = {}): EditedResult {
  const r: Omit<EditedResult, 'files'> & { files?: EditedResult['files'] } = {
    model: 'p/m',
    provider: 'p',
    ok: true,
    error: null,
    latencyMs: 1234,
    ttftMs: null,
    usage: { inputTokens: 10, outputTokens: 20 },
    costUsd: 0.0012,
    edited: 'x\n',
    raw: 'x',
    analysis: {
      hunks: [
        { originalStart: 1, originalLines: 1, editedStart: 1, editedLines: 1, scope: 'in', whitespaceOnly: false, reason: 'inside the selection' },
        { originalStart: 9, originalLines: 1, editedStart: 9, editedLines: 0, scope: 'out', whitespaceOnly: false, reason: HOSTILE },
      ],
      outOfScopeHunks: 1,
      styleDrift: [{ rule: 'quotes', line: 1, message: HOSTILE }],
      conventions: {} as never,
      language: 'typescript',
      stats: { originalLines: 10, editedLines: 9, linesAdded: 1, linesRemoved: 2 },
    },
    promptTemplate: { id: 'whole', version: 1 },
    window: { start: 1, end: 10 },
    parameters: {},
    retries: 0,
    ...over,
  };
  return { ...r, files: r.files ?? [{ file: 'src/a.ts', role: 'target', original: '', edited: r.edited, exists: true, analysis: r.analysis }] };
}

function view(over: Partial<ComparisonView> = {}): ComparisonView {
  return {
    file: 'src/a.ts',
    range: { start: 1, end: 3 },
    instruction: HOSTILE,
    locality: 'local',
    contextFiles: [],
    editFiles: [],
    state: 'done',
    stale: false,
    runs: [
      { model: HOSTILE, phase: 'done', chars: 0, result: result({ model: HOSTILE }), verdict: null },
      { model: 'p/bad', phase: 'done', chars: 0, result: { ...result(), ok: false, edited: null, analysis: null, files: undefined, error: { kind: 'malformed-output', message: HOSTILE } } satisfies ModelResult, verdict: null },
    ],
    ...over,
  };
}

describe('extension webview', () => {
  it('escapes everything a model or a user wrote', () => {
    const html = renderComparisonBody(view());
    assert.ok(!html.includes('<img'), 'no raw tag from model output');
    assert.ok(!html.includes('<script'), 'no raw script');
    assert.ok(!/onerror="/.test(html), 'no live attribute');
    assert.ok(html.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'));
    assert.equal(escapeHtml(`a&b<c>"d"'e'`), 'a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;');
  });

  it('offers Apply only for a usable, current result', () => {
    const html = renderComparisonBody(view());
    const buttons = [...html.matchAll(/<button[^>]*data-action="(\w+)"[^>]*data-model="([^"]*)"([^>]*)>/g)].map((m) => ({ action: m[1], model: m[2], disabled: m[3].includes('disabled') }));
    const bad = buttons.filter((b) => b.model === 'p/bad');
    assert.deepEqual(bad.map((b) => [b.action, b.disabled]), [['retry', false]], 'a failed model can only be retried, and shows no buttons greyed out for good');
    const good = buttons.filter((b) => b.model !== 'p/bad');
    assert.deepEqual(good.map((b) => b.disabled), [false, false, false, false]);
    const stale = renderComparisonBody(view({ stale: true }));
    assert.match(stale, /data-action="applyInScope"[^>]*disabled/);
    assert.match(stale, /Run Again/);
  });

  it('turns Apply All off for a lazy answer and says why; Apply In-Scope Only stays for its other in-scope hunks', () => {
    const analysis: Analysis = {
      ...result().analysis,
      hunks: [
        { originalStart: 2, originalLines: 4, editedStart: 2, editedLines: 1, scope: 'in', whitespaceOnly: false, reason: 'inside' },
        { originalStart: 8, originalLines: 1, editedStart: 5, editedLines: 1, scope: 'in', whitespaceOnly: false, reason: 'inside' },
      ],
      outOfScopeHunks: 0,
      styleDrift: [{ rule: 'placeholder', line: 2, message: 'stands for 4 lines', replaces: { originalStart: 2, originalLines: 4 } }],
    };
    const lazy = result({ analysis });
    const run = { model: 'p/lazy', phase: 'done' as const, chars: 0, result: lazy, verdict: null };
    const html = renderComparisonBody(view({ runs: [run] }));
    assert.match(html, /data-action="applyAll"[^>]*disabled/);
    assert.doesNotMatch(html, /data-action="applyInScope"[^>]*disabled/);
    assert.match(html, /Apply All is off: this answer puts a placeholder comment \(src\/a\.ts:2\) where 4 original lines stood/);
    const onlyPlaceholder = { ...run, result: result({ analysis: { ...analysis, hunks: [analysis.hunks[0]] } }) };
    assert.match(renderComparisonBody(view({ runs: [onlyPlaceholder] })), /data-action="applyInScope"[^>]*disabled/, 'nothing to apply once the placeholder hunk is left out');
  });

  it('turns Apply All off for a fragment (one function where the whole file was asked for), naming the rule', () => {
    const original = Array.from({ length: 3 }, (_, k) => [`export function f${k}(x: number): number {`, `  const y = x * ${k + 2};`, `  const z = y + ${k};`, '  return z;', '}', '']).flat().join('\n');
    const edited = original.split('\n').slice(6, 11).join('\n').replace('x * 3', 'x * 30') + '\n';
    const analysis = analyze(original, edited, { fileName: 'src/a.ts', ranges: [{ start: 1, end: 17 }], instruction: 'Multiply by 30 in f1' });
    const run = { model: 'p/fragment', phase: 'done' as const, chars: 0, result: result({ analysis, edited }), verdict: null };
    const html = renderComparisonBody(view({ runs: [run] }));
    assert.match(html, /data-action="applyAll"[^>]*disabled/);
    assert.match(html, /Apply All is off: this answer is only part of the text \(fragment: \d+ original lines dropped at src\/a\.ts:\d+/);
  });

  it('lists supporting hunks apart from in- and out-of-scope ones, with why each goes with the change', () => {
    const r = result({
      analysis: {
        ...result().analysis,
        hunks: [
          { originalStart: 1, originalLines: 0, editedStart: 2, editedLines: 1, scope: 'supporting', whitespaceOnly: false, reason: 'inserts 1 line after line 1; supports the change: imports json', link: { kind: 'import', names: ['json'] } },
          { originalStart: 4, originalLines: 1, editedStart: 5, editedLines: 1, scope: 'in', whitespaceOnly: false, reason: 'inside' },
          { originalStart: 9, originalLines: 1, editedStart: 9, editedLines: 1, scope: 'supporting', whitespaceOnly: false, reason: 'test', link: { kind: 'test', names: ['area'] } },
        ],
        outOfScopeHunks: 0,
        styleDrift: [],
      },
    });
    const html = renderComparisonBody(view({ runs: [{ model: 'p/m', phase: 'done', chars: 0, result: r, verdict: null }] }));
    assert.match(html, /Supporting hunks<\/[^>]+>\s*<[^>]+>2</);
    assert.match(html, /In-scope hunks<\/[^>]+>\s*<[^>]+>1</);
    assert.match(html, /Supporting \(kept with the change\)<\/summary><ul><li>line 1: inserts 1 line after line 1; supports the change: imports json<\/li><li>line 9: a test of area, which the change touched<\/li>/);
    assert.doesNotMatch(html, /<summary>Out of scope/);
    assert.doesNotMatch(html, /data-action="applyInScope"[^>]*disabled/);
  });

  it('uses no inline style or script, so a nonce-only CSP holds', () => {
    const page = renderPage({ title: 't', nonce: 'abc', cspSource: 'vscode-resource:', styleUri: 's.css', scriptUri: 's.js', body: renderComparisonBody(view()) });
    assert.ok(!/ style=/.test(page));
    assert.equal([...page.matchAll(/<script/g)].length, 1);
    assert.match(page, /<script nonce="abc" src="s.js">/);
    const csp = contentSecurityPolicy('vscode-resource:', 'abc');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'/);
    assert.ok(!csp.includes('unsafe'));
  });

  it('makes a fresh nonce each time', () => {
    const a = makeNonce();
    assert.match(a, /^[A-Za-z0-9]{16,}$/);
    assert.notEqual(a, makeNonce());
  });

  it('accepts only protocol messages from the webview', () => {
    assert.deepEqual(parseFromWebview({ type: 'action', action: 'applyInScope', model: 'a/b' }), { type: 'action', action: 'applyInScope', model: 'a/b' });
    assert.equal(parseFromWebview({ type: 'action', action: 'rm -rf', model: 'a/b' }), undefined);
    assert.equal(parseFromWebview({ type: 'action', action: 'reject' }), undefined);
    assert.equal(parseFromWebview('ready'), undefined);
    assert.deepEqual(parseFromWebview({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.deepEqual(parseFromWebview({ type: 'stop' }), { type: 'stop' });
    assert.equal(parseFromWebview({ type: 'stop-everything' }), undefined);
  });

  it('offers Stop while the models run, and not once they are done', () => {
    const stop = /<button[^>]*data-stop="1"[^>]*>Stop<\/button>/;
    const running = view({ state: 'running', runs: [{ model: 'p/slow', phase: 'streaming', chars: 120, result: null, verdict: null }] });
    assert.match(renderComparisonBody(running), stop);
    assert.match(renderComparisonBody(running), /Streaming \(120 chars\)/);
    assert.doesNotMatch(renderComparisonBody(view()), stop);
    assert.doesNotMatch(renderComparisonBody(view({ state: 'cancelled' })), stop);
  });
});

describe('extension minimalReplacement', () => {
  const apply = (a: string, b: string) => {
    const r = minimalReplacement(a, b);
    return a.slice(0, r.start) + r.text + a.slice(r.end);
  };
  it('lists each file of a multi-file result with its role, counts and its own escaped Diff button, counting all files', () => {
    const base = result();
    const other = { ...base.analysis!, hunks: [base.analysis!.hunks[1]], outOfScopeHunks: 1, styleDrift: [] };
    const r = result({
      files: [
        { file: 'src/a.ts', role: 'target', original: '', edited: 'x\n', exists: true, analysis: base.analysis! },
        { file: 'src/b.ts', role: 'edit', original: '', edited: 'y\n', exists: true, analysis: { ...base.analysis!, hunks: [base.analysis!.hunks[0]], outOfScopeHunks: 0, styleDrift: [] } },
        { file: `src/${HOSTILE}.ts`, role: 'other', original: '', edited: 'z\n', exists: false, analysis: other },
      ],
    });
    const html = renderComparisonBody(view({ editFiles: ['src/b.ts'], runs: [{ model: 'p/m', phase: 'done', chars: 0, result: r, verdict: null }] }));
    assert.match(html, /may also change: src\/b.ts/);
    assert.match(html, /<span class="file">src\/b.ts<\/span> <span class="role">\(may change\)<\/span> 1 in scope, 0 out <button[^>]*data-action="viewDiff"[^>]*data-file="src\/b.ts"/);
    assert.match(html, /\(new, not allowed\)/);
    assert.ok(!html.includes('<img'), 'a file name a model wrote is escaped');
    assert.match(html, /<dt>Out-of-scope hunks<\/dt><dd>2<\/dd>/, 'out-of-scope hunks are counted over every file');
    assert.deepEqual(parseFromWebview({ type: 'action', action: 'viewDiff', model: 'p/m', file: 'src/b.ts' }), { type: 'action', action: 'viewDiff', model: 'p/m', file: 'src/b.ts' });
    assert.equal(parseFromWebview({ type: 'action', action: 'viewDiff', model: 'p/m', file: 3 }), undefined);
  });

  it('replaces only the part that differs', () => {
    assert.deepEqual(minimalReplacement('abcXdef', 'abcYYdef'), { start: 3, end: 4, text: 'YY' });
    assert.deepEqual(minimalReplacement('same', 'same'), { start: 4, end: 4, text: '' });
  });
  it('round-trips, and never splits a CRLF or a surrogate pair', () => {
    const cases: Array<[string, string]> = [
      ['a\r\nb', 'a\nb'],
      ['a\nb', 'a\r\nb'],
      ['x😀y', 'x😁y'],
      ['', 'new'],
      ['old', ''],
      ['aaa', 'aa'],
    ];
    for (const [a, b] of cases) {
      assert.equal(apply(a, b), b);
      const r = minimalReplacement(a, b);
      assert.ok(!(a[r.start - 1] === '\r' && a[r.start] === '\n'));
    }
  });
});

describe('extension webview: review in place', () => {
  it('keeps Reject on the other cards once one is applied, so the losers are recorded as such', () => {
    const applied = { model: 'p/win', phase: 'done' as const, chars: 0, result: result(), verdict: 'in-scope' as const };
    const other = { model: 'p/lose', phase: 'done' as const, chars: 0, result: result(), verdict: null };
    const html = renderComparisonBody(view({ runs: [applied, other] }));
    assert.doesNotMatch(html, /data-action="reject" data-model="p\/lose" disabled/);
    assert.match(html, /data-action="applyAll" data-model="p\/lose" disabled/, 'but not a second apply');
  });

  it('badges an answer that changes nothing "No changes", and lists a hunk of an invented file by its own lines', () => {
    const same = result({ analysis: { ...result().analysis!, hunks: [], outOfScopeHunks: 0, styleDrift: [] } });
    assert.match(renderComparisonBody(view({ runs: [{ model: 'p/same', phase: 'done', chars: 0, result: same, verdict: null }] })), /No changes/);
    const invented = result({
      files: [
        { file: 'src/a.ts', role: 'target', original: '', edited: '', exists: true, analysis: { ...result().analysis!, hunks: [], outOfScopeHunks: 0, styleDrift: [] } },
        { file: 'src/new.ts', role: 'other', original: '', edited: 'x\n', exists: false, analysis: { ...result().analysis!, hunks: [{ originalStart: 0, originalLines: 0, editedStart: 1, editedLines: 1, scope: 'out', whitespaceOnly: false, reason: 'in a file the model invented' }], outOfScopeHunks: 1, styleDrift: [] } },
      ],
    });
    const html = renderComparisonBody(view({ editFiles: ['src/b.ts'], runs: [{ model: 'p/inv', phase: 'done', chars: 0, result: invented, verdict: null }] }));
    assert.match(html, /src\/new\.ts new file, line 1: in a file the model invented/);
    assert.doesNotMatch(html, /line 0/);
  });

  it('says "Cancelled" once, and offers what had arrived of a stopped answer', () => {
    const stopped = { ...result(), ok: false, edited: null, analysis: null, files: undefined, error: { kind: 'cancelled', message: 'Cancelled' }, raw: 'Here is the edit:\n```ts\nexport function' } satisfies ModelResult;
    const html = renderComparisonBody(view({ state: 'cancelled', runs: [{ model: 'p/stop', phase: 'done', chars: 0, streamed: stopped.raw!, result: stopped, verdict: null }] }));
    assert.equal(html.match(/Cancelled/gi)!.length, 2, 'the header state and the badge, no "cancelled: Cancelled"');
    assert.match(html, /39 characters had arrived/);
    assert.match(html, /data-action="viewDiff"[^>]*>View Partial Answer/);
    assert.equal(html.match(/data-action="viewDiff"/g)!.length, 1, 'one button opens it, not a View Diff beside it doing the same');
  });

  it('offers no view of a failed answer that sent nothing', () => {
    const failed = { ...result(), ok: false, edited: null, analysis: null, files: undefined, error: { kind: 'timeout', message: 'No answer within 120 s' } } satisfies ModelResult;
    const html = renderComparisonBody(view({ runs: [{ model: 'p/slow', phase: 'done', chars: 0, result: failed, verdict: null }] }));
    assert.doesNotMatch(html, /data-action="viewDiff"/);
    assert.match(html, /data-action="retry" data-model="p\/slow">Retry/);
  });

  it('shows the answer arriving, not only a character count', () => {
    const html = renderComparisonBody(view({ state: 'running', runs: [{ model: 'p/live', phase: 'streaming', chars: 40, streamed: 'line one\nline <two>\n', result: null, verdict: null }] }));
    assert.match(html, /<pre class="stream"[^>]*>line one\nline &lt;two&gt;<\/pre>/);
    assert.match(html, /data-action="viewDiff" data-model="p\/live">Watch Answer/);
  });
});

