/** Series colours, readable on a light and on a dark background alike. */
const PALETTE = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#14b8a6', '#ec4899', '#84cc16'];

/**
 * The report's and the comparison's style. In the editor the theme's variables (--vscode-*)
 * colour it; a page opened from disk follows the system's light or dark setting. Nothing is
 * drawn smaller than 11 px, and nothing but a table scrolls sideways: charts reflow (see
 * charts.ts) and stack their labels above the plots in a narrow window.
 */
export const PAGE_STYLE = `
:root { --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d0d7de; --grid: #e3e7eb; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #1e1e1e; --muted: #9da7b3; --line: #454c54; --grid: #30363d; } }
body { color-scheme: light dark; font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 14px); line-height: 1.45;
  color: var(--vscode-foreground, var(--fg)); background: var(--vscode-editor-background, var(--bg)); margin: 1.5rem auto; padding: 0 1.5rem; max-width: 80rem; }
body.vscode-light { color-scheme: light; } body.vscode-dark, body.vscode-high-contrast { color-scheme: dark; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2.2rem; } h3 { font-size: 1rem; margin-top: 1.5rem; }
p, li { overflow-wrap: anywhere; }
.note { color: var(--vscode-descriptionForeground, var(--muted)); }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { padding: 0.3rem 0.6rem; border-bottom: 1px solid var(--vscode-panel-border, var(--line)); text-align: right; vertical-align: top; }
th { font-weight: 600; vertical-align: bottom; }
td { font-variant-numeric: tabular-nums; }
th:first-child, td:first-child, table.text th, table.text td { text-align: left; }
td .v, td .ci { white-space: nowrap; } td .ci { color: var(--vscode-descriptionForeground, var(--muted)); }
td.sub { padding-left: 1.6rem; }
tr.group th { text-align: left; padding-top: 0.8rem; border-bottom-width: 2px; overflow-wrap: anywhere; }
table.text td { min-width: 4rem; overflow-wrap: break-word; } td.name { overflow-wrap: anywhere; }
.legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; }
.legend > span { display: inline-flex; align-items: center; gap: 0.35rem; overflow-wrap: anywhere; }
.swatch { flex: none; width: 0.8rem; height: 0.8rem; border-radius: 2px; }
.chart { max-width: 64rem; }
.chart.bars, .chart.centred { display: grid; grid-template-columns: fit-content(18rem) minmax(0, 1fr); column-gap: 1rem; }
.chart .label { align-self: center; padding: 0.35rem 0; font-size: 0.9em; overflow-wrap: anywhere; }
.chart .plot { min-width: 0; }
.chart.bars .plot { padding-right: 52px; }
.chart.centred .plot { padding: 0 24px; }
.chart.line { padding: 0 24px 0 44px; }
.chart svg { display: block; width: 100%; overflow: visible; }
.chart text { fill: var(--vscode-foreground, var(--fg)); font-size: 12px; }
.chart text.value { font-size: 11px; }
.grid { stroke: var(--vscode-panel-border, var(--grid)); stroke-width: 1; }
.axis { stroke: var(--vscode-foreground, var(--fg)); stroke-opacity: 0.5; }
.whisker { stroke: var(--vscode-foreground, var(--fg)); stroke-width: 1.3; }
.chart.line line[class^="l"] { stroke-width: 2; }
.chart.line .ci { stroke-width: 1.2; stroke-opacity: 0.55; }
@media (max-width: 899px) { .chart.line .minor { display: none; } }
@media (max-width: 640px) {
  body { margin: 0.75rem auto; padding: 0 0.75rem; }
  th, td { padding: 0.25rem 0.4rem; }
  .chart.bars, .chart.centred { grid-template-columns: minmax(0, 1fr); }
  .chart .tick-gap { display: none; }
  .chart .label { padding: 0.5rem 0 0.1rem; }
}
${PALETTE.map((c, i) => `.c${i} { fill: ${c}; stroke: ${c}; } .l${i} { fill: none; stroke: ${c}; } .s${i} { background: ${c}; }`).join('\n')}
`;
