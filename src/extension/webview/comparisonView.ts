// The comparison panel's body, rendered from a plain snapshot of the comparison. Pure, so
// its escaping of model output (untrusted input) is unit-tested without an editor.
import type { FileResult, ModelResult } from '../../core/task/editTask';
import type { ProgressState } from '../../core/edit/runModels';
import { isApplied, type Accepted } from '../../core/log/records';
import type { RetryNotice } from '../../core/providers/chatProvider';
import type { ColumnAction } from '../protocol';
import { escapeHtml as e } from '../../core/text/escapeHtml';
import { plural } from '../../core/text/plural';
import { inScopeApplicable, lazyAnswer } from '../../core/analysis/apply';
import { supportingWhy } from '../../core/analysis/formatText';

/** The latest measurement of how much of an applied edit is still in the file. */
export interface KeptView {
  checkpoint: string;
  appliedLines: number;
  keptLines: number;
}

export interface ModelRunView {
  model: string;
  phase: ProgressState;
  chars: number;
  /** The answer's text as it arrived; once done, the whole answer (or what had arrived when it was stopped). */
  streamed?: string;
  result: ModelResult | null;
  /** Per file of the result (the target first), per hunk: ticked for Apply Picked. */
  picks?: boolean[][] | null;
  verdict: Accepted | null;
  /** While the model's request is being retried. */
  retry?: RetryNotice | null;
  kept?: KeptView | null;
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
  /** The document no longer holds the text the models were given (and not because of an apply from here). */
  stale: boolean;
  runs: ModelRunView[];
}

const LOCALITY_MEANS: Record<string, string> = {
  local: 'the selection uses nothing defined in other files',
  'cross-file': 'the selection uses names defined in other files',
  'multi-file': 'the model may change more than one file',
};

export function renderComparisonBody(c: ComparisonView): string {
  const ctx =
    (c.contextFiles.length ? ` · context: ${c.contextFiles.map(e).join(', ')}` : '') + (c.editFiles.length ? ` · may also change: ${c.editFiles.map(e).join(', ')}` : '');
  const stateText = c.state === 'running' ? 'Running…' : c.state === 'cancelled' ? 'Cancelled' : 'Done';
  const stale = c.stale
    ? `<p class="notice" role="status">${ICONS.warn}The document has changed since this request, so its results can no longer be applied. <button type="button" class="secondary" data-rerun="1">Run Again</button></p>`
    : '';
  const locality = LOCALITY_MEANS[c.locality] ?? c.locality;
  return `<header class="task">
<h1>${e(c.file)} <span class="range">lines ${c.range.start}–${c.range.end}</span></h1>
<p class="instruction">${e(c.instruction)}</p>
<p class="meta"><span title="${e(locality)}">Locality: ${e(c.locality)}</span>${ctx} · <span class="state" aria-live="polite">${stateText}</span>${c.state === 'running' ? ' <button type="button" class="secondary" data-stop="1">Stop</button>' : ''}</p>
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
  const files = filesOf(r);
  const inScope = a ? files.reduce((n, f) => n + f.analysis.hunks.filter((h) => h.scope === 'in').length, 0) : null;
  const outScope = a ? files.reduce((n, f) => n + f.analysis.outOfScopeHunks, 0) : null;
  const supportingHunks = files.flatMap((f) => f.analysis.hunks.filter((h) => h.scope === 'supporting').map((h) => ({ h, file: f.file })));
  const drift = files.flatMap((f) => f.analysis.styleDrift.map((d) => ({ ...d, file: f.file })));
  const multi = c.editFiles.length > 0;
  const rows: Array<[string, string]> = [
    ['Latency', res ? seconds(res.latencyMs) : '—'],
    ...(res?.ttftMs != null ? [['First token', seconds(res.ttftMs)] as [string, string]] : []),
    ['Tokens', res?.usage ? `${res.usage.inputTokens} in / ${res.usage.outputTokens} out` : '—'],
    ['Cost', res?.costUsd != null ? `$${res.costUsd.toFixed(4)}` : '—'],
    ...(res && res.retries > 0 ? [['Retries', String(res.retries)] as [string, string]] : []),
    ['In-scope hunks', inScope === null ? '—' : String(inScope)],
    ...(supportingHunks.length ? [['Supporting hunks', String(supportingHunks.length)] as [string, string]] : []),
    ['Out-of-scope hunks', outScope === null ? '—' : String(outScope)],
    ['Style findings', a ? String(drift.length) : '—'],
  ];
  // The badge already names the kind; say the message only when it adds something.
  const error = res?.error && res.error.message.trim().toLowerCase() !== res.error.kind.toLowerCase() ? `<p class="error"><strong>${e(res.error.kind)}</strong>: ${e(res.error.message)}</p>` : '';
  // The count only: the one button that opens what arrived is with the card's other actions.
  const partial = res && !res.ok && r.streamed ? `<p class="partial" role="note">${plural(r.streamed.length, 'character')} had arrived.</p>` : '';
  const live = !res && r.streamed ? `<pre class="stream" aria-label="${e(r.model)}'s answer so far">${e(tail(r.streamed, 6))}</pre>` : '';
  const retry = !res && r.retry ? `<p class="retry" role="status">${e(retryText(r.retry))}</p>` : '';
  const where = (file: string) => (multi ? `${e(file)} ` : '');
  const outHunks = files.flatMap((f) => f.analysis.hunks.filter((h) => h.scope === 'out').map((h) => ({ h, file: f.file, exists: f.exists })));
  const outList = outHunks.length
    ? `<details open><summary>Out of scope</summary><ul>${outHunks.map(({ h, file, exists }) => `<li>${where(file)}${hunkLines(h, exists)}: ${e(h.reason)}</li>`).join('')}</ul></details>`
    : '';
  // Outside the selection but needed by the change (an import, a helper, a call site): kept by Apply In-Scope Only.
  const supportList = supportingHunks.length
    ? `<details><summary>Supporting (kept with the change)</summary><ul>${supportingHunks
        .map(({ h, file }) => `<li>${where(file)}${hunkLines(h, true)}: ${e(supportingWhy(h))}</li>`)
        .join('')}</ul></details>`
    : '';
  const styleList = drift.length
    ? `<details open><summary>Style drift</summary><ul>${drift.map((f) => `<li>${where(f.file)}<code>${e(f.rule)}</code> line ${f.line}: ${e(f.message)}</li>`).join('')}</ul></details>`
    : '';
  const fileList =
    multi && res?.files
      ? `<details open><summary>Files</summary><ul class="files">${res.files
          .map((f) => {
            const role = f.role === 'target' ? 'selection' : f.role === 'edit' ? 'may change' : f.exists ? 'not allowed' : 'new, not allowed';
            const supporting = f.analysis.hunks.filter((h) => h.scope === 'supporting').length;
            const counts = `${f.analysis.hunks.length - f.analysis.outOfScopeHunks - supporting} in scope, ${supporting ? `${supporting} supporting, ` : ''}${f.analysis.outOfScopeHunks} out`;
            return `<li><span class="file">${e(f.file)}</span> <span class="role">(${role})</span> ${counts} ${button('viewDiff', 'Diff', r.model, true, 'secondary', f.file)}</li>`;
          })
          .join('')}</ul></details>`
      : '';
  const lazy = lazyAnswer(files);
  const lazyNote = lazy ? `<p class="notice" role="note">${ICONS.warn}Apply All is off: this answer ${e(lazy.text)}.</p>` : '';
  const verdict = r.verdict ? `<p class="verdict verdict-${r.verdict}" role="status">${VERDICT_TEXT[r.verdict]}${r.verdict === 'picked' ? ` (${pickedText(r)})` : ''}${keptText(r)}</p>` : '';
  const can = actionsOf(r, c);
  const total = (r.picks ?? []).reduce((n, row) => n + row.length, 0);
  // One way to see the text, named for what it opens: a failed answer with nothing received has none.
  // An answer that came whole but could not be read as an edit is not partial.
  const view = res?.ok ? 'View Diff' : res ? (!r.streamed ? '' : res.error.kind === 'malformed-output' ? 'View Answer' : 'View Partial Answer') : 'Watch Answer';
  // A failed answer can never be applied or judged: its card offers what it can do (see what
  // arrived, try again), not a row of buttons greyed out for good.
  const failed = !!res && !res.ok;
  const buttons = [
    ...(view ? [button('viewDiff', view, r.model, can.viewDiff, 'secondary')] : []),
    ...(failed
      ? []
      : [
          button('applyAll', 'Apply All', r.model, can.applyAll),
          button('applyInScope', 'Apply In-Scope Only', r.model, can.applyInScope),
          ...(total > 1 ? [button('applyPicked', `Apply Picked (${pickedText(r)})`, r.model, can.applyPicked)] : []),
          button('reject', 'Reject', r.model, can.reject, 'secondary'),
        ]),
    ...(can.retry ? [button('retry', 'Retry', r.model, true)] : []),
  ].join('');
  return `<article class="column ${status.cls}" aria-labelledby="${id}">
<h2 id="${id}">${e(r.model)}</h2>
<p class="status"><span class="badge badge-${status.cls}">${ICONS[status.icon]}${e(status.text)}</span></p>
${retry}${live}<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${e(v)}</dd>`).join('')}</dl>
${error}${partial}${lazyNote}${fileList}${outList}${supportList}${styleList}${verdict}
<div class="actions">${buttons}</div>
</article>`;
}

/** A result's files (a multi-file result is counted over all of them), or none without an analysis. */
function filesOf(r: ModelRunView): FileResult[] {
  return r.result?.ok ? r.result.files : [];
}

/**
 * Which of a card's buttons work now. Apply needs a usable result, the document as the
 * models saw it, and no other edit from this comparison in place; an apply undone in the
 * editor opens every card again.
 */
export function actionsOf(r: ModelRunView, c: Pick<ComparisonView, 'runs' | 'stale' | 'file'> & { state?: ComparisonView['state'] }): Record<ColumnAction, boolean> {
  const res = r.result;
  const files = filesOf(r);
  const canView = !!res?.ok;
  const decided = c.runs.some((x) => isApplied(x.verdict ?? undefined));
  const open = r.verdict === null || r.verdict === 'reverted';
  const canApply = canView && !c.stale && !decided && open;
  return {
    // Before the answer is whole (or when it broke off), the text that arrived.
    viewDiff: canView || (!res?.ok && (r.streamed?.length ?? 0) > 0),
    applyAll: canApply && files.some((f) => f.analysis.hunks.length > 0 && f.role !== 'other') && !lazyAnswer(files),
    applyInScope: canApply && files.some((f) => f.role !== 'other' && f.analysis.hunks.some(inScopeApplicable(f.analysis))),
    applyPicked: canApply && (r.picks ?? []).some((row) => row.some(Boolean)),
    // Another card's apply does not settle this one: rejecting it still says which model lost.
    reject: canView && open,
    retry: !!res && !res.ok && c.state !== 'running',
  };
}

/** "2 of 5": the hunks ticked for Apply Picked, of all the answer's hunks. */
function pickedText(r: ModelRunView): string {
  const rows = r.picks ?? [];
  return `${rows.reduce((n, row) => n + row.filter(Boolean).length, 0)} of ${rows.reduce((n, row) => n + row.length, 0)}`;
}

/** Where a hunk is, in the original's lines; a file the model invented has none, only its own. */
function hunkLines(h: { originalStart: number; originalLines: number; editedStart: number; editedLines: number }, exists: boolean): string {
  const [start, n, what] = exists ? [h.originalStart, h.originalLines, 'line'] : [h.editedStart, h.editedLines, 'new file, line'];
  return n > 1 ? `${what}s ${start}–${start + n - 1}` : `${what} ${Math.max(start, 1)}`;
}

/** The last lines of a text, for a glance at an answer arriving. */
function tail(text: string, lines: number): string {
  const all = text.replace(/\s+$/, '').split(/\r?\n/);
  return all.slice(-lines).join('\n');
}

/** Seconds with a non-breaking space, so a narrow card never puts the unit on its own line. */
function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}\u00a0s`;
}

function retryText(n: RetryNotice): string {
  return `Attempt ${n.retry} failed: ${n.error.message}. Retry ${n.retry} of ${n.maxRetries}, after a ${seconds(n.delayMs)} pause…`;
}

const VERDICT_TEXT: Record<Accepted, string> = {
  all: 'Applied: all hunks',
  'in-scope': 'Applied: in-scope hunks only',
  picked: 'Applied: picked hunks',
  none: 'Rejected',
  reverted: 'Applied, then undone in the editor',
};

function keptText(r: ModelRunView): string {
  if (!r.kept || !isApplied(r.verdict ?? undefined) || !r.kept.appliedLines) return '';
  const at = r.kept.checkpoint === 'save' ? 'at save' : r.kept.checkpoint === 'commit' ? 'at commit' : `after ${r.kept.checkpoint.replace('min', ' min')}`;
  return `<span class="kept"> · ${r.kept.keptLines} of ${r.kept.appliedLines} changed lines kept ${e(at)}</span>`;
}

type Icon = 'ok' | 'warn' | 'fail' | 'busy' | 'stop';

interface Status {
  text: string;
  /** Also the badge's class: the colour backs up the icon and the text, never replaces them. */
  cls: 'ok' | 'drift' | 'warn' | 'fail' | 'busy';
  icon: Icon;
}

function statusOf(r: ModelRunView, state: ComparisonView['state']): Status {
  const res = r.result;
  if (res) {
    if (res.ok) {
      const files = res.files;
      const out = files.reduce((n, f) => n + f.analysis.outOfScopeHunks, 0);
      const drift = files.reduce((n, f) => n + f.analysis.styleDrift.length, 0);
      const hunks = files.reduce((n, f) => n + f.analysis.hunks.length, 0);
      if (hunks === 0) return { text: 'No changes', cls: 'warn', icon: 'warn' };
      if (out > 0) return { text: `Out of scope: ${plural(out, 'hunk')}${drift ? ` · style drift: ${plural(drift, 'finding')}` : ''}`, cls: 'warn', icon: 'warn' };
      if (drift > 0) return { text: `In scope · style drift: ${plural(drift, 'finding')}`, cls: 'drift', icon: 'warn' };
      return { text: 'In scope, no style drift', cls: 'ok', icon: 'ok' };
    }
    if (res.error.kind === 'cancelled') return { text: 'Cancelled', cls: 'fail', icon: 'stop' };
    return { text: `Failed: ${res.error.kind}`, cls: 'fail', icon: 'fail' };
  }
  if (state === 'cancelled') return { text: 'Cancelled', cls: 'fail', icon: 'stop' };
  if (r.phase === 'retrying' && r.retry) return { text: `Retrying (${r.retry.retry} of ${r.retry.maxRetries})`, cls: 'busy', icon: 'busy' };
  if (r.phase === 'streaming') return { text: `Streaming (${r.chars} chars)`, cls: 'busy', icon: 'busy' };
  if (r.phase === 'running' || r.phase === 'retrying') return { text: 'Waiting for the model', cls: 'busy', icon: 'busy' };
  return { text: 'Queued', cls: 'busy', icon: 'busy' };
}

// Small inline icons (no icon font to load under the CSP), drawn in the text's colour.
const svg = (body: string) => `<svg class="icon" aria-hidden="true" viewBox="0 0 16 16" width="14" height="14">${body}</svg>`;
const ICONS: Record<Icon, string> = {
  ok: svg('<path d="M6.3 11.6 2.7 8l1-1 2.6 2.6 6-6 1 1z" fill="currentColor"/>'),
  warn: svg('<path d="M8 1.5 15 14H1zm0 2.3L3 12.8h10zM7.4 6h1.2v3.6H7.4zm0 4.6h1.2v1.2H7.4z" fill="currentColor" fill-rule="evenodd"/>'),
  fail: svg('<path d="M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1zm0 1.2a5.8 5.8 0 1 0 0 11.6A5.8 5.8 0 0 0 8 2.2zM5.6 4.8 8 7.2l2.4-2.4.8.8L8.8 8l2.4 2.4-.8.8L8 8.8l-2.4 2.4-.8-.8L7.2 8 4.8 5.6z" fill="currentColor" fill-rule="evenodd"/>'),
  busy: svg('<path d="M8 2a6 6 0 0 1 6 6h-1.2A4.8 4.8 0 1 0 8 12.8V14A6 6 0 0 1 8 2z" fill="currentColor"/>'),
  stop: svg('<path d="M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1zm0 1.2a5.8 5.8 0 1 0 0 11.6A5.8 5.8 0 0 0 8 2.2zM5.5 5.5h5v5h-5z" fill="currentColor" fill-rule="evenodd"/>'),
};

function button(action: ColumnAction, label: string, model: string, enabled: boolean, kind = 'primary', file?: string): string {
  const fileAttr = file === undefined ? '' : ` data-file="${e(file)}"`;
  return `<button type="button" class="${kind}" data-action="${action}" data-model="${e(model)}"${fileAttr}${enabled ? '' : ' disabled'}>${label}</button>`;
}
