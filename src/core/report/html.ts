import { isoWeek, localityRows, type Report, type Stats } from './compute';
import { escapeHtml as esc } from '../text/escapeHtml';
import { plural } from '../text/plural';
import type { Interval } from '../stats/interval';
import { numCi, pct, pctCi } from './format';
import { barChart, breakable, lineChart, type BarSeries, type LinePoint } from './charts';
import { PAGE_STYLE } from './pageStyle';

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
        section('Per model', rateChart(models.map((m) => m.model), [
          figure('irrelevant edits', models, (m) => m, 'irrelevantEditRate'),
          figure('style drift', models, (m) => m, 'styleDriftRate'),
          figure('accepted', models, (m) => m, 'acceptRate'),
          figure('lines kept', models, (m) => m, 'keptRate'),
        ]) + INTERVAL_NOTE),
        section('Out-of-scope rate: local, cross-file (with and without its context), multi-file', rateChart(models.map((m) => m.model), [
          figure('local', models, (m) => m.byLocality.local, 'outOfScopeRate'),
          figure('cross-file, context sent', models, (m) => m.byLocality['cross-file'].withContext, 'outOfScopeRate'),
          figure('cross-file, context not sent', models, (m) => m.byLocality['cross-file'].withoutContext, 'outOfScopeRate'),
          figure('multi-file', models, (m) => m.byLocality['multi-file'], 'outOfScopeRate'),
        ])),
        section('Out-of-scope rate over time', trendChart(r)),
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
<style nonce="${esc(opts.nonce)}">${PAGE_STYLE}</style>
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

/** One series of a bar chart: a rate of each model (or of one slice of it) with its interval. */
function figure<M>(label: string, models: M[], slice: (m: M) => Stats, field: Rate): BarSeries {
  return { label, values: models.map((m) => slice(m)[field]), cis: models.map((m) => slice(m).ci[field] ?? null) };
}

function rateChart(groups: string[], series: BarSeries[]): string {
  return barChart(groups, series, pct, (g, s, gi) => `${g} · ${s.label}: ${pctCi(s.values[gi], s.cis?.[gi])}`);
}

export function section(title: string, content: string): string {
  return `<section><h2>${esc(title)}</h2>\n${content}</section>`;
}

/** A table in a box of its own, so a table wider than the window scrolls there, not the page. */
export const tableBox = (table: string): string => `<div class="table-wrap">${table}</div>`;

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

/** The out-of-scope rate week by week; a week is labelled `W39`, with its year under the first and under each new year's. */
function trendChart(r: Report): string {
  const seen = [...new Set(r.models.flatMap((m) => Object.keys(m.byWeek)))].filter((w) => w !== 'unknown').sort();
  if (seen.length < 2) return `<p>One week of results so far (${esc(seen[0] ?? '—')}); the trend appears from the second week.</p>`;
  const weeks = weeksBetween(seen[0], seen[seen.length - 1]);
  const labels = weeks.map((w, i): [string, string?] => {
    const [year, week] = w.split('-');
    return week && (i === 0 || !weeks[i - 1].startsWith(year)) ? [week, year] : [week ?? w];
  });
  const lines = r.models.map((m) => ({
    label: m.model,
    points: weeks.flatMap((w, i): LinePoint[] => {
      const s = m.byWeek[w];
      if (!s || s.outOfScopeRate === null) return [];
      const ci = s.ci.outOfScopeRate ?? null;
      return [{ at: i, value: s.outOfScopeRate, ci, title: `${m.model} · ${w}: ${pctCi(s.outOfScopeRate, ci)} (${s.ok} usable results)` }];
    }),
  }));
  return lineChart(labels, lines);
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

/** A figure's cell: the value, then its interval (and n), which goes under it when the column is narrow. */
export function figureCell(text: string): string {
  const m = /^(.+?) (\[.*)$/.exec(text);
  return m ? `<td><span class="v">${esc(m[1])}</span> <span class="ci">${esc(m[2])}</span></td>` : `<td>${esc(text)}</td>`;
}

function head(first: string, columns: Column[]): string {
  return `<thead><tr><th>${first}</th>${columns.map(([h]) => `<th>${esc(h)}</th>`).join('')}</tr></thead>`;
}

/** A model's rows start under a heading row of their own, so a long name never widens a column. */
function group(model: string, columns: Column[]): string {
  return `<tr class="group"><th colspan="${columns.length + 1}" scope="rowgroup">${breakable(model)}</th></tr>`;
}

function row(slice: string, s: Stats, columns: Column[]): string {
  // The cross-file rows' own split (context sent or not) is indented under them.
  return `<tr><td${slice.startsWith(' ') ? ' class="sub"' : ''}>${esc(slice.trim())}</td>${columns.map(([, cell]) => figureCell(cell(s))).join('')}</tr>`;
}

function table(r: Report, columns: Column[]): string {
  const rows = r.models.flatMap((m) => [group(m.model, columns), row('all', m, columns), ...localityRows(m).map(([label, s]) => row(label, s, columns))]);
  return tableBox(`<table>${head('slice', columns)}<tbody>${rows.join('')}</tbody></table>`);
}

/** What share of the applied lines was still there at each checkpoint, per model. */
function checkpointTable(r: Report): string {
  const checkpoints = [...new Set(r.models.flatMap((m) => Object.keys(m.keptByCheckpoint)))];
  if (!checkpoints.length) return '<p class="note">No applied edit has been measured yet: what is kept is measured when the file is saved, after 2 and 10 minutes, and at the commit.</p>';
  const rows = r.models.filter((m) => m.keptMeasured).map((m) => `<tr><td class="name">${breakable(m.model)}</td>${checkpoints.map((c) => figureCell(pctCi(m.keptByCheckpoint[c], m.ci[`keptByCheckpoint.${c}`]))).join('')}</tr>`);
  return `<h3>Lines kept, by checkpoint</h3>${tableBox(`<table><thead><tr><th>model</th>${checkpoints.map((c) => `<th>${esc(CHECKPOINT_NAMES[c] ?? c)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`)}`;
}

const CHECKPOINT_NAMES: Record<string, string> = { save: 'at save', commit: 'at commit', cli: 'reported' };

function rulesTable(r: Report): string {
  const rules = [...new Set(r.models.flatMap((m) => Object.keys(m.styleDriftByRule)))];
  if (!rules.length) return '<p>No style drift in any usable result.</p>';
  const rows = r.models.map((m) => `<tr><td class="name">${breakable(m.model)}</td>${rules.map((k) => figureCell(pctCi(m.styleDriftByRule[k] ?? (m.ok ? 0 : null), m.ci[`styleDriftByRule.${k}`]))).join('')}</tr>`);
  return tableBox(`<table><thead><tr><th>model</th>${rules.map((k) => `<th>${esc(k)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`);
}

const WEEK: Column[] = [SCOPE[0], SCOPE[2], SCOPE[4], KEPT[1], ['kept', (s) => pctCi(s.keptRate, s.ci.keptRate)]];

function weekTable(r: Report): string {
  const rows = r.models.flatMap((m) => [group(m.model, WEEK), ...Object.entries(m.byWeek).map(([w, s]) => row(w, s, WEEK))]);
  return tableBox(`<table>${head('week', WEEK)}<tbody>${rows.join('')}</tbody></table>`);
}
