import { isoWeek, localityRows, type Report, type Stats } from './compute';
import { escapeHtml as esc } from '../text/escapeHtml';
import { plural } from '../text/plural';
import type { Interval } from '../stats/interval';
import { numCi, pct, pctCi } from './format';

const PALETTE = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#14b8a6', '#ec4899', '#84cc16'];

export interface HtmlOptions {
  /** A fresh random value per page: the only style allowed to run. */
  nonce: string;
  /** The webview's own source (the editor), or '' in a file written by the CLI. */
  cspSource?: string;
}

/**
 * The report as one self-contained page with SVG charts and no script at all, so it can be
 * opened from disk or shown in a webview under a nonce-only CSP. Model names come from the
 * log and are escaped like any other input.
 */
export function renderReportHtml(r: Report, opts: HtmlOptions & { health?: string }): string {
  const models = r.models;
  const body = models.length
    ? [
        section('Per model', barChart(models.map((m) => m.model), [
          figure('irrelevant edits', models, (m) => m, 'irrelevantEditRate'),
          figure('style drift', models, (m) => m, 'styleDriftRate'),
          figure('accepted', models, (m) => m, 'acceptRate'),
          figure('lines kept', models, (m) => m, 'keptRate'),
        ]) + INTERVAL_NOTE),
        section('Out-of-scope rate: local, cross-file (with and without its context), multi-file', barChart(models.map((m) => m.model), [
          figure('local', models, (m) => m.byLocality.local, 'outOfScopeRate'),
          figure('cross-file, context sent', models, (m) => m.byLocality['cross-file'].withContext, 'outOfScopeRate'),
          figure('cross-file, context not sent', models, (m) => m.byLocality['cross-file'].withoutContext, 'outOfScopeRate'),
          figure('multi-file', models, (m) => m.byLocality['multi-file'], 'outOfScopeRate'),
        ])),
        section('Out-of-scope rate over time', lineChart(r)),
        section('Scope and style', table(r, SCOPE) + `<p>Irrelevant: the irrelevant-edit rate, usable results with a hunk the task did not need. Supporting hunks (imports, helpers, call sites the change needs) ${r.testsIrrelevant ? 'do not count; tests of the changed code do' : 'and tests of the changed code do not count'}.</p>`),
        section('Verdicts and what was kept', table(r, KEPT) + checkpointTable(r)),
        section('Speed and cost', table(r, COST)),
        section('Style drift by rule', rulesTable(r)),
        section('By week', weekTable(r)),
      ].join('\n')
    : '<p>No results in the log yet.</p>';
  return renderPage('Edit Scope report', `${plural(r.tasks, 'task')} · ${plural(models.length, 'model')} · generated ${r.generatedAt}`, body + (opts.health ?? ''), opts);
}

/**
 * A self-contained page (the report, a comparison): the given body under a nonce-only CSP,
 * styled by the editor's theme when shown in a webview.
 */
export function renderPage(title: string, subtitle: string, body: string, opts: HtmlOptions): string {
  // A nonce is base64; anything else could end the CSP's quoted source and add its own.
  if (!/^[A-Za-z0-9+/_=-]{8,}$/.test(opts.nonce)) throw new Error('renderReportHtml: the nonce must be at least 8 base64 characters');
  if (opts.cspSource && /[;'"\s,]/.test(opts.cspSource.trim())) throw new Error('renderReportHtml: cspSource must be one CSP source');
  const csp = `default-src 'none'; style-src 'nonce-${opts.nonce}'; img-src ${opts.cspSource ? opts.cspSource + ' ' : ''}data:;`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style nonce="${esc(opts.nonce)}">
body { font-family: var(--vscode-font-family, system-ui, sans-serif); color: var(--vscode-foreground, #222); background: var(--vscode-editor-background, #fff); margin: 1.5rem; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; font-size: 0.9rem; max-width: 100%; } th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid var(--vscode-panel-border, #ddd); text-align: right; }
th { font-weight: 600; vertical-align: bottom; } td { font-variant-numeric: tabular-nums; white-space: nowrap; }
th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; } td:first-child { white-space: normal; overflow-wrap: anywhere; }
/* Charts keep their size, so their labels stay readable in a narrow editor: a section too narrow scrolls across instead. */
section { overflow-x: auto; } svg { max-width: none; height: auto; }
@media (max-width: 640px) { body { margin: 0.75rem; } th, td { padding: 0.2rem 0.35rem; } }
.note { color: var(--vscode-descriptionForeground, #666); }
svg text { fill: var(--vscode-foreground, #222); font-size: 11px; }
.axis { stroke: var(--vscode-panel-border, #bbb); }
.whisker { stroke: var(--vscode-foreground, #222); stroke-width: 1.2; }
.legend span { display: inline-block; margin-right: 1rem; } .swatch { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; vertical-align: middle; }
svg text.value { font-size: 10px; }
${PALETTE.map((c, i) => `.c${i} { fill: ${c}; stroke: ${c}; } .l${i} { fill: none; stroke: ${c}; } .s${i} { background: ${c}; }`).join('\n')}
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p>${esc(subtitle)}</p>
${body}
</body>
</html>
`;
}

const INTERVAL_NOTE = '<p class="note">Whiskers and brackets: 95% intervals (Wilson for a share; a seeded cluster bootstrap where several results come from one file).</p>';

type Rate = 'outOfScopeRate' | 'irrelevantEditRate' | 'styleDriftRate' | 'acceptRate' | 'keptRate';
interface Series {
  label: string;
  values: Array<number | null>;
  cis?: Array<Interval | null>;
}

/** One series of a bar chart: a rate of each model (or of one slice of it) with its interval. */
function figure<M>(label: string, models: M[], slice: (m: M) => Stats, field: Rate): Series {
  return { label, values: models.map((m) => slice(m)[field]), cis: models.map((m) => slice(m).ci[field] ?? null) };
}

/** An error bar: a line across the interval with a cap at each end. */
export function whisker(x1: number, x2: number, y: number, cap: number, horizontal = true): string {
  if (!horizontal) return `<line class="whisker" x1="${y}" y1="${x1}" x2="${y}" y2="${x2}"/><line class="whisker" x1="${y - cap}" y1="${x1}" x2="${y + cap}" y2="${x1}"/><line class="whisker" x1="${y - cap}" y1="${x2}" x2="${y + cap}" y2="${x2}"/>`;
  return `<line class="whisker" x1="${x1}" y1="${y}" x2="${x2}" y2="${y}"/><line class="whisker" x1="${x1}" y1="${y - cap}" x2="${x1}" y2="${y + cap}"/><line class="whisker" x1="${x2}" y1="${y - cap}" x2="${x2}" y2="${y + cap}"/>`;
}

export function section(title: string, content: string): string {
  return `<section><h2>${esc(title)}</h2>\n${content}</section>`;
}

function legend(labels: string[]): string {
  return `<p class="legend">${labels.map((l, i) => `<span><span class="swatch s${i % PALETTE.length}"></span>${esc(l)}</span>`).join('')}</p>`;
}

/** Rates (0-1) as horizontal bars: one row per model, one bar per series, its interval as a whisker, the value past both. */
function barChart(groups: string[], series: Series[]): string {
  const bar = 12;
  const rowHeight = series.length * (bar + 2) + 14;
  const labelWidth = Math.min(320, 16 + 6.6 * Math.max(...groups.map((g) => Math.min(g.length, 48))));
  const plot = 360;
  const top = 18;
  const width = labelWidth + plot + 56;
  const height = top + groups.length * rowHeight;
  const x = (v: number) => labelWidth + v * plot;
  const parts: string[] = [];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line class="axis" x1="${x(tick)}" y1="${top - 4}" x2="${x(tick)}" y2="${height}"/><text x="${x(tick) - 10}" y="${top - 8}">${tick * 100}%</text>`);
  }
  groups.forEach((g, gi) => {
    const y0 = top + gi * rowHeight + 6;
    parts.push(`<text x="0" y="${y0 + (series.length * (bar + 2)) / 2 + 4}">${esc(g.length > 48 ? g.slice(0, 47) + '…' : g)}<title>${esc(g)}</title></text>`);
    series.forEach((s, si) => {
      const v = s.values[gi];
      const y = y0 + si * (bar + 2);
      const w = v === null ? 0 : Math.max(1, v * plot);
      const ci = v === null ? null : s.cis?.[gi] ?? null;
      parts.push(`<rect class="c${si % PALETTE.length}" x="${x(0)}" y="${y}" width="${w}" height="${bar}"><title>${esc(`${g} · ${s.label}: ${pctCi(v, ci)}`)}</title></rect>`);
      if (ci) parts.push(whisker(x(ci[0]), x(ci[1]), y + bar / 2, bar / 3));
      parts.push(`<text class="value" x="${Math.max(x(0) + w, ci ? x(ci[1]) : 0) + 4}" y="${y + bar - 2}">${esc(pct(v))}</text>`);
    });
  });
  return `${legend(series.map((s) => s.label))}<svg role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

/** Every ISO week from the first to the last, so a quiet week is a gap in time, not skipped. */
export function weeksBetween(first: string, last: string): string[] {
  const monday = (w: string) => {
    const m = /^(\d{4})-W(\d{2})$/.exec(w);
    if (!m) return NaN;
    const jan4 = Date.UTC(Number(m[1]), 0, 4);
    const dow = (new Date(jan4).getUTCDay() + 6) % 7;
    return jan4 - dow * 86_400_000 + (Number(m[2]) - 1) * 7 * 86_400_000;
  };
  const a = monday(first);
  const b = monday(last);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a || (b - a) / 604_800_000 > 520) return [first, last].filter((w, i, xs) => xs.indexOf(w) === i);
  const out: string[] = [];
  for (let t = a; t <= b; t += 604_800_000) out.push(isoWeek(new Date(t).toISOString()));
  return out;
}

function lineChart(r: Report): string {
  const seen = [...new Set(r.models.flatMap((m) => Object.keys(m.byWeek)))].filter((w) => w !== 'unknown').sort();
  if (seen.length < 2) return `<p>One week of results so far (${esc(seen[0] ?? '—')}); the trend appears from the second week.</p>`;
  const weeks = weeksBetween(seen[0], seen[seen.length - 1]);
  const step = Math.max(24, Math.min(70, 1000 / weeks.length));
  const width = 80 + (weeks.length - 1) * step;
  const height = 180;
  const top = 10;
  const x = (i: number) => 44 + i * step;
  const y = (v: number) => top + height - v * height;
  const every = Math.ceil(weeks.length / 14);
  const parts: string[] = [`<line class="axis" x1="36" y1="${top + height}" x2="${width}" y2="${top + height}"/>`];
  for (const tick of [0, 0.5, 1]) parts.push(`<text x="0" y="${y(tick) + 4}">${tick * 100}%</text><line class="axis" x1="36" y1="${y(tick)}" x2="${width}" y2="${y(tick)}" stroke-dasharray="2 4"/>`);
  weeks.forEach((w, i) => {
    if (i % every === 0) parts.push(`<text x="${x(i) - 24}" y="${top + height + 16}">${esc(w)}</text>`);
  });
  r.models.forEach((m, mi) => {
    const pts = weeks.map((w, i) => [i, m.byWeek[w]?.outOfScopeRate ?? null] as const).filter((p): p is readonly [number, number] => p[1] !== null);
    const k = mi % PALETTE.length;
    if (pts.length > 1) parts.push(`<polyline class="l${k}" stroke-width="2" points="${pts.map(([i, v]) => `${x(i)},${y(v)}`).join(' ')}"/>`);
    for (const [i, v] of pts) {
      const ci = m.byWeek[weeks[i]].ci.outOfScopeRate;
      if (ci) parts.push(`<g class="l${k}">${whisker(y(ci[1]), y(ci[0]), x(i), 3, false)}</g>`);
      parts.push(`<circle class="c${k}" cx="${x(i)}" cy="${y(v)}" r="3"><title>${esc(`${m.model} · ${weeks[i]}: ${pctCi(v, ci)} (${m.byWeek[weeks[i]].ok} usable results)`)}</title></circle>`);
    }
  });
  return `${legend(r.models.map((m) => m.model))}<svg role="img" width="${width}" height="${top + height + 28}" viewBox="0 0 ${width} ${top + height + 28}">${parts.join('')}</svg>`;
}

/** A column of the figures tables: its heading and its cell. */
type Column = [string, (s: Stats) => string];

const ms = (x: number | null) => (x === null ? '—' : `${x}\u00a0ms`);
const msCi = (x: number | null, ci: Interval | null | undefined) => (x === null || !ci ? ms(x) : `${ms(x)} [${ci[0]}, ${ci[1]}]`);
const judged = (s: Stats) => s.verdicts.all + s.verdicts.inScope + s.verdicts.picked + s.verdicts.none + s.verdicts.reverted;

// Three narrow tables rather than one wide one, so each fits half an editor's width.
const SCOPE: Column[] = [
  ['results', (s) => String(s.tasks)],
  ['ok', (s) => String(s.ok)],
  ['irrelevant', (s) => pctCi(s.irrelevantEditRate, s.ci.irrelevantEditRate)],
  ['out of scope', (s) => pctCi(s.outOfScopeRate, s.ci.outOfScopeRate)],
  ['hunks / result', (s) => numCi(s.outOfScopeHunksPerResult, s.ci.outOfScopeHunksPerResult)],
  ['style drift', (s) => pctCi(s.styleDriftRate, s.ci.styleDriftRate)],
];
const KEPT: Column[] = [
  ['judged', (s) => String(judged(s))],
  ['accepted', (s) => pctCi(s.acceptRate, s.ci.acceptRate)],
  ['undone', (s) => String(s.verdicts.reverted)],
  ['hunks accepted', (s) => (s.n.hunkAcceptRate ? `${pctCi(s.hunkAcceptRate, s.ci.hunkAcceptRate)} of ${s.n.hunkAcceptRate}` : '—')],
  ['lines kept', (s) => (s.keptMeasured ? `${pctCi(s.keptRate, s.ci.keptRate)} of ${s.keptMeasured}` : '—')],
];
const COST: Column[] = [
  ['p50', (s) => msCi(s.latencyMsP50, s.ci.latencyMsP50)],
  ['p95', (s) => msCi(s.latencyMsP95, s.ci.latencyMsP95)],
  ['tokens in', (s) => String(s.inputTokens)],
  ['tokens out', (s) => String(s.outputTokens)],
  ['cost', (s) => (s.costUsd === null ? '—' : '$' + s.costUsd.toFixed(4))],
];

function head(first: string, second: string, columns: Column[]): string {
  return `<thead><tr><th>${first}</th><th>${second}</th>${columns.map(([h]) => `<th>${esc(h)}</th>`).join('')}</tr></thead>`;
}

function row(model: string, slice: string, s: Stats, columns: Column[]): string {
  return `<tr><td>${esc(model)}</td><td>${esc(slice)}</td>${columns.map(([, cell]) => `<td>${esc(cell(s))}</td>`).join('')}</tr>`;
}

function table(r: Report, columns: Column[]): string {
  const rows = r.models.flatMap((m) => [row(m.model, 'all', m, columns), ...localityRows(m).map(([label, s]) => row('', label.trim(), s, columns))]);
  return `<table>${head('model', 'slice', columns)}<tbody>${rows.join('')}</tbody></table>`;
}

/** What share of the applied lines was still there at each checkpoint, per model. */
function checkpointTable(r: Report): string {
  const checkpoints = [...new Set(r.models.flatMap((m) => Object.keys(m.keptByCheckpoint)))];
  if (!checkpoints.length) return '<p class="note">No applied edit has been measured yet: what is kept is measured when the file is saved, after 2 and 10 minutes, and at the commit.</p>';
  const rows = r.models.filter((m) => m.keptMeasured).map((m) => `<tr><td>${esc(m.model)}</td>${checkpoints.map((c) => `<td>${esc(pctCi(m.keptByCheckpoint[c], m.ci[`keptByCheckpoint.${c}`]))}</td>`).join('')}</tr>`);
  return `<h3>Lines kept, by checkpoint</h3><table><thead><tr><th>model</th>${checkpoints.map((c) => `<th>${esc(CHECKPOINT_NAMES[c] ?? c)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const CHECKPOINT_NAMES: Record<string, string> = { save: 'at save', commit: 'at commit', cli: 'reported' };

function rulesTable(r: Report): string {
  const rules = [...new Set(r.models.flatMap((m) => Object.keys(m.styleDriftByRule)))];
  if (!rules.length) return '<p>No style drift in any usable result.</p>';
  const rows = r.models.map((m) => `<tr><td>${esc(m.model)}</td>${rules.map((k) => `<td>${esc(pctCi(m.styleDriftByRule[k] ?? (m.ok ? 0 : null), m.ci[`styleDriftByRule.${k}`]))}</td>`).join('')}</tr>`);
  return `<table><thead><tr><th>model</th>${rules.map((k) => `<th>${esc(k)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const WEEK: Column[] = [SCOPE[0], SCOPE[2], SCOPE[4], KEPT[1], ['kept', (s) => pctCi(s.keptRate, s.ci.keptRate)]];

function weekTable(r: Report): string {
  const rows = r.models.flatMap((m) => Object.entries(m.byWeek).map(([w, s], i) => row(i === 0 ? m.model : '', w, s, WEEK)));
  return `<table>${head('model', 'week', WEEK)}<tbody>${rows.join('')}</tbody></table>`;
}
