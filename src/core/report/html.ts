import type { Report, Stats } from './compute';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
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
export function renderReportHtml(r: Report, opts: HtmlOptions): string {
  // A nonce is base64; anything else could end the CSP's quoted source and add its own.
  if (!/^[A-Za-z0-9+/_=-]{8,}$/.test(opts.nonce)) throw new Error('renderReportHtml: the nonce must be at least 8 base64 characters');
  if (opts.cspSource && /[;'"\s,]/.test(opts.cspSource.trim())) throw new Error('renderReportHtml: cspSource must be one CSP source');
  const csp = `default-src 'none'; style-src 'nonce-${opts.nonce}'; img-src ${opts.cspSource ? opts.cspSource + ' ' : ''}data:;`;
  const models = r.models;
  const body = models.length
    ? [
        section('Per model', barChart(models.map((m) => m.model), [
          { label: 'out of scope', values: models.map((m) => m.outOfScopeRate) },
          { label: 'style drift', values: models.map((m) => m.styleDriftRate) },
          { label: 'accepted', values: models.map((m) => m.acceptRate) },
        ])),
        section('Out-of-scope rate: local vs cross-file', barChart(models.map((m) => m.model), [
          { label: 'local', values: models.map((m) => m.byLocality.local.outOfScopeRate) },
          { label: 'cross-file', values: models.map((m) => m.byLocality['cross-file'].outOfScopeRate) },
        ])),
        section('Out-of-scope rate over time', lineChart(r)),
        section('Figures', table(r)),
        section('Style drift by rule', rulesTable(r)),
        section('By week', weekTable(r)),
      ].join('\n')
    : '<p>No results in the log yet.</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Edit Scope report</title>
<style nonce="${esc(opts.nonce)}">
body { font-family: var(--vscode-font-family, system-ui, sans-serif); color: var(--vscode-foreground, #222); background: var(--vscode-editor-background, #fff); margin: 1.5rem; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; font-size: 0.9rem; } th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid var(--vscode-panel-border, #ddd); text-align: right; }
th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; }
svg text { fill: var(--vscode-foreground, #222); font-size: 11px; }
.axis { stroke: var(--vscode-panel-border, #bbb); }
.legend span { display: inline-block; margin-right: 1rem; } .swatch { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; vertical-align: middle; }
${PALETTE.map((c, i) => `.c${i} { fill: ${c}; stroke: ${c}; } .s${i} { background: ${c}; }`).join('\n')}
</style>
</head>
<body>
<h1>Edit Scope report</h1>
<p>${r.tasks} tasks · ${models.length} models · generated ${esc(r.generatedAt)}</p>
${body}
</body>
</html>
`;
}

function section(title: string, content: string): string {
  return `<section><h2>${esc(title)}</h2>\n${content}</section>`;
}

function legend(labels: string[]): string {
  return `<p class="legend">${labels.map((l, i) => `<span><span class="swatch s${i % PALETTE.length}"></span>${esc(l)}</span>`).join('')}</p>`;
}

/** Grouped bars of rates (0-1), one group per model. */
function barChart(groups: string[], series: Array<{ label: string; values: Array<number | null> }>): string {
  const bar = 18;
  const gap = 28;
  const groupWidth = series.length * bar + gap;
  const height = 180;
  const top = 10;
  const width = Math.max(320, 40 + groups.length * groupWidth);
  const parts: string[] = [`<line class="axis" x1="36" y1="${top + height}" x2="${width}" y2="${top + height}"/>`];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const y = top + height - tick * height;
    parts.push(`<text x="0" y="${y + 4}">${tick * 100}%</text><line class="axis" x1="34" y1="${y}" x2="38" y2="${y}"/>`);
  }
  groups.forEach((g, gi) => {
    const x0 = 44 + gi * groupWidth;
    series.forEach((s, si) => {
      const v = s.values[gi];
      const h = v === null ? 0 : Math.max(1, v * height);
      parts.push(`<rect class="c${si % PALETTE.length}" x="${x0 + si * bar}" y="${top + height - h}" width="${bar - 3}" height="${h}"><title>${esc(`${g} · ${s.label}: ${pct(v)}`)}</title></rect>`);
    });
    parts.push(`<text x="${x0}" y="${top + height + 16}">${esc(g.length > 22 ? g.slice(0, 21) + '…' : g)}</text>`);
  });
  return `${legend(series.map((s) => s.label))}<svg role="img" width="${width}" height="${top + height + 28}" viewBox="0 0 ${width} ${top + height + 28}">${parts.join('')}</svg>`;
}

function lineChart(r: Report): string {
  const weeks = [...new Set(r.models.flatMap((m) => Object.keys(m.byWeek)))].sort();
  if (weeks.length < 2) return `<p>One week of results so far (${esc(weeks[0] ?? '—')}); the trend appears from the second week.</p>`;
  const width = Math.max(360, 60 + weeks.length * 70);
  const height = 180;
  const top = 10;
  const x = (i: number) => 44 + (i * (width - 64)) / (weeks.length - 1);
  const y = (v: number) => top + height - v * height;
  const parts: string[] = [`<line class="axis" x1="36" y1="${top + height}" x2="${width}" y2="${top + height}"/>`];
  for (const tick of [0, 0.5, 1]) parts.push(`<text x="0" y="${y(tick) + 4}">${tick * 100}%</text>`);
  weeks.forEach((w, i) => parts.push(`<text x="${x(i) - 24}" y="${top + height + 16}">${esc(w)}</text>`));
  r.models.forEach((m, mi) => {
    const pts = weeks.map((w, i) => [i, m.byWeek[w]?.outOfScopeRate ?? null] as const).filter((p): p is readonly [number, number] => p[1] !== null);
    const c = `c${mi % PALETTE.length}`;
    if (pts.length > 1) parts.push(`<polyline class="${c}" fill="none" stroke-width="2" points="${pts.map(([i, v]) => `${x(i)},${y(v)}`).join(' ')}"/>`);
    for (const [i, v] of pts) parts.push(`<circle class="${c}" cx="${x(i)}" cy="${y(v)}" r="3"><title>${esc(`${m.model} · ${weeks[i]}: ${pct(v)}`)}</title></circle>`);
  });
  return `${legend(r.models.map((m) => m.model))}<svg role="img" width="${width}" height="${top + height + 28}" viewBox="0 0 ${width} ${top + height + 28}">${parts.join('')}</svg>`;
}

const HEAD = '<thead><tr><th>model</th><th>slice</th><th>results</th><th>ok</th><th>out of scope</th><th>hunks/result</th><th>style drift</th><th>accepted</th><th>p50 ms</th><th>p95 ms</th><th>tokens in/out</th><th>cost</th></tr></thead>';

function rulesTable(r: Report): string {
  const rules = [...new Set(r.models.flatMap((m) => Object.keys(m.styleDriftByRule)))];
  if (!rules.length) return '<p>No style drift in any usable result.</p>';
  const rows = r.models.map((m) => `<tr><td>${esc(m.model)}</td>${rules.map((k) => `<td>${pct(m.styleDriftByRule[k] ?? (m.ok ? 0 : null))}</td>`).join('')}</tr>`);
  return `<table><thead><tr><th>model</th>${rules.map((k) => `<th>${esc(k)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function weekTable(r: Report): string {
  const rows = r.models.flatMap((m) => Object.entries(m.byWeek).map(([w, s], i) => row(i === 0 ? m.model : '', w, s)));
  return `<table>${HEAD}<tbody>${rows.join('')}</tbody></table>`;
}

function row(model: string, slice: string, s: Stats): string {
  return `<tr><td>${esc(model)}</td><td>${esc(slice)}</td><td>${s.tasks}</td><td>${s.ok}</td><td>${pct(s.outOfScopeRate)}</td><td>${s.outOfScopeHunksPerResult === null ? '—' : s.outOfScopeHunksPerResult.toFixed(2)}</td><td>${pct(s.styleDriftRate)}</td><td>${pct(s.acceptRate)}</td><td>${s.latencyMsP50 ?? '—'}</td><td>${s.latencyMsP95 ?? '—'}</td><td>${s.inputTokens}/${s.outputTokens}</td><td>${s.costUsd === null ? '—' : '$' + s.costUsd.toFixed(4)}</td></tr>`;
}

function table(r: Report): string {
  const rows = r.models.flatMap((m) => [row(m.model, 'all', m), ...(['local', 'cross-file'] as const).filter((l) => m.byLocality[l].tasks).map((l) => row('', l, m.byLocality[l]))]);
  return `<table>${HEAD}<tbody>${rows.join('')}</tbody></table>`;
}
