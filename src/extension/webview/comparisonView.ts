// The comparison panel's body, rendered from a plain snapshot of the comparison. Pure, so
// its escaping of model output (untrusted input) is unit-tested without an editor.
import type { ModelResult } from '../../core/edit/types';
import type { ColumnAction } from '../protocol';
import { escapeHtml as e } from './html';

export type Phase = 'queued' | 'started' | 'streaming' | 'done';
export type Accepted = 'all' | 'in-scope' | 'none';

export interface ModelRunView {
  model: string;
  phase: Phase;
  chars: number;
  result: ModelResult | null;
  verdict: Accepted | null;
}

export interface ComparisonView {
  file: string;
  range: { start: number; end: number };
  instruction: string;
  locality: string;
  contextFiles: string[];
  /** Files besides the target the models may change (a multi-file task). */
  editFiles: string[];
  state: 'running' | 'done' | 'cancelled';
  /** The document no longer holds the text the models were given. */
  stale: boolean;
  runs: ModelRunView[];
}

export function renderComparisonBody(c: ComparisonView): string {
  const ctx =
    (c.contextFiles.length ? ` · context: ${c.contextFiles.map(e).join(', ')}` : '') + (c.editFiles.length ? ` · may also change: ${c.editFiles.map(e).join(', ')}` : '');
  const stateText = c.state === 'running' ? 'Running…' : c.state === 'cancelled' ? 'Cancelled' : 'Done';
  const stale = c.stale
    ? `<p class="notice" role="status">The document has changed since this request, so its results can no longer be applied. <button type="button" class="secondary" data-rerun="1">Run Again</button></p>`
    : '';
  return `<header class="task">
<h1>${e(c.file)} <span class="range">lines ${c.range.start}–${c.range.end}</span></h1>
<p class="instruction">${e(c.instruction)}</p>
<p class="meta">${e(c.locality)}${ctx} · <span class="state" aria-live="polite">${stateText}</span>${c.state === 'running' ? ' <button type="button" class="secondary" data-stop="1">Stop</button>' : ''}</p>
${stale}</header>
<section class="columns">
${c.runs.map((r, i) => renderColumn(r, i, c)).join('\n')}
</section>`;
}

function renderColumn(r: ModelRunView, index: number, c: ComparisonView): string {
  const id = `model-${index}`;
  const res = r.result;
  const status = statusOf(r, c.state);
  const a = res?.analysis ?? null;
  // A multi-file result is counted over all its files.
  const files = a ? res?.files ?? [{ file: c.file, role: 'target' as const, analysis: a, edited: '', original: '' }] : [];
  const inScope = a ? files.reduce((n, f) => n + f.analysis.hunks.filter((h) => h.scope === 'in').length, 0) : null;
  const outScope = a ? files.reduce((n, f) => n + f.analysis.outOfScopeHunks, 0) : null;
  const drift = files.flatMap((f) => f.analysis.styleDrift.map((d) => ({ ...d, file: f.file })));
  const multi = c.editFiles.length > 0;
  const rows: Array<[string, string]> = [
    ['Latency', res ? `${(res.latencyMs / 1000).toFixed(1)} s${res.ttftMs !== null ? ` (first token ${(res.ttftMs / 1000).toFixed(1)} s)` : ''}` : '—'],
    ['Tokens', res?.usage ? `${res.usage.inputTokens} in / ${res.usage.outputTokens} out` : '—'],
    ['Cost', res?.costUsd != null ? `$${res.costUsd.toFixed(4)}` : '—'],
    ['In-scope hunks', inScope === null ? '—' : String(inScope)],
    ['Out-of-scope hunks', outScope === null ? '—' : String(outScope)],
    ['Style findings', a ? String(drift.length) : '—'],
  ];
  const error = res?.error ? `<p class="error"><strong>${e(res.error.kind)}</strong>: ${e(res.error.message)}</p>` : '';
  const where = (file: string) => (multi ? `${e(file)} ` : '');
  const outHunks = files.flatMap((f) => f.analysis.hunks.filter((h) => h.scope === 'out').map((h) => ({ h, file: f.file })));
  const outList = outHunks.length
    ? `<details open><summary>Out of scope</summary><ul>${outHunks
        .map(({ h, file }) => `<li>${where(file)}line ${h.originalStart}${h.originalLines > 1 ? `–${h.originalStart + h.originalLines - 1}` : ''}: ${e(h.reason)}</li>`)
        .join('')}</ul></details>`
    : '';
  const styleList = drift.length
    ? `<details><summary>Style findings</summary><ul>${drift.map((f) => `<li>${where(f.file)}<code>${e(f.rule)}</code> line ${f.line}: ${e(f.message)}</li>`).join('')}</ul></details>`
    : '';
  const fileList =
    multi && res?.files
      ? `<details open><summary>Files</summary><ul class="files">${res.files
          .map((f) => {
            const role = f.role === 'target' ? 'selection' : f.role === 'edit' ? 'may change' : f.exists ? 'not allowed' : 'new, not allowed';
            const counts = `${f.analysis.hunks.length - f.analysis.outOfScopeHunks} in scope, ${f.analysis.outOfScopeHunks} out`;
            return `<li><span class="file">${e(f.file)}</span> <span class="role">(${role})</span> ${counts} ${button('viewDiff', 'Diff', r.model, true, 'secondary', f.file)}</li>`;
          })
          .join('')}</ul></details>`
      : '';
  const verdict = r.verdict ? `<p class="verdict">${VERDICT_TEXT[r.verdict]}</p>` : '';
  const canView = !!res?.ok && res.edited !== null;
  const decided = c.runs.some((x) => x.verdict === 'all' || x.verdict === 'in-scope');
  const canApply = canView && !c.stale && !decided && r.verdict === null;
  const buttons = [
    button('viewDiff', 'View Diff', r.model, canView, 'secondary'),
    button('applyAll', 'Apply All', r.model, canApply && files.some((f) => f.analysis.hunks.length > 0 && f.role !== 'other')),
    button('applyInScope', 'Apply In-Scope Only', r.model, canApply && (inScope ?? 0) > 0),
    button('reject', 'Reject', r.model, canView && r.verdict === null && !decided, 'secondary'),
  ].join('');
  return `<article class="column ${status.cls}" aria-labelledby="${id}">
<h2 id="${id}">${e(r.model)}</h2>
<p class="status"><span class="badge">${e(status.text)}</span></p>
<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${e(v)}</dd>`).join('')}</dl>
${error}${fileList}${outList}${styleList}${verdict}
<div class="actions">${buttons}</div>
</article>`;
}

const VERDICT_TEXT: Record<Accepted, string> = {
  all: 'Applied: all hunks',
  'in-scope': 'Applied: in-scope hunks only',
  none: 'Rejected',
};

function statusOf(r: ModelRunView, state: ComparisonView['state']): { text: string; cls: string } {
  const res = r.result;
  if (res) {
    if (res.ok) return res.analysis && (res.files ?? [res]).some((f) => f.analysis!.outOfScopeHunks > 0) ? { text: 'Out of scope', cls: 'warn' } : { text: 'In scope', cls: 'ok' };
    return { text: res.error?.kind === 'cancelled' ? 'Cancelled' : 'Failed', cls: 'fail' };
  }
  if (state === 'cancelled') return { text: 'Cancelled', cls: 'fail' };
  if (r.phase === 'streaming') return { text: `Streaming (${r.chars} chars)`, cls: 'busy' };
  if (r.phase === 'started') return { text: 'Waiting for the model', cls: 'busy' };
  return { text: 'Queued', cls: 'busy' };
}

function button(action: ColumnAction, label: string, model: string, enabled: boolean, kind = 'primary', file?: string): string {
  const fileAttr = file === undefined ? '' : ` data-file="${e(file)}"`;
  return `<button type="button" class="${kind}" data-action="${action}" data-model="${e(model)}"${fileAttr}${enabled ? '' : ' disabled'}>${label}</button>`;
}
