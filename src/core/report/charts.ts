import type { Interval } from '../stats/interval';
import { escapeHtml as esc } from '../text/escapeHtml';

/**
 * The report's charts. They reflow with the page rather than scale: each row's label is
 * HTML text beside its plot (above it in a narrow window), and each plot is an SVG as wide as
 * its column with x given in percent and y in pixels, so text keeps its size at any width and
 * never needs a script (the page has none) to measure anything.
 */

/** How many series colours the page's style defines (`.c0` ... `.c7`). */
export const COLOURS = 8;

/** A share of the plot's width as SVG's x takes it: `37.5%`. */
export const at = (share: number): string => `${Number((Math.min(1, Math.max(0, share)) * 100).toFixed(3))}%`;

/** A model name or a path may break after each `/` or `:` rather than anywhere. */
export const breakable = (name: string): string => esc(name).replace(/([/:])/g, '$1<wbr>');

/** An error bar across [lo, hi] (x in percent) at height y, with a cap at each end. */
export function whisker(lo: string, hi: string, y: number, cap: number): string {
  return `<line class="whisker" x1="${lo}" y1="${y}" x2="${hi}" y2="${y}"/><line class="whisker" x1="${lo}" y1="${y - cap}" x2="${lo}" y2="${y + cap}"/><line class="whisker" x1="${hi}" y1="${y - cap}" x2="${hi}" y2="${y + cap}"/>`;
}

/** Content placed at x (percent) and drawn in pixels from there: a value past a bar, a point with its interval. */
export const placed = (x: string, content: string): string => `<svg x="${x}" overflow="visible">${content}</svg>`;

export function legend(labels: string[]): string {
  return `<p class="legend">${labels.map((l, i) => `<span><span class="swatch s${i % COLOURS}"></span>${breakable(l)}</span>`).join(' ')}</p>`;
}

export interface ChartRow {
  label: string;
  /** The row's plot in pixels high, and its SVG content (x in percent of the plot). */
  height: number;
  svg: string;
  /** What the row shows, for a screen reader. */
  describe: string;
}

/**
 * Rows of label and plot under a row of tick labels. `kind` names the plot's margins
 * (`bars`: room on the right for the values; `centred`: room each side for the caps).
 */
export function rowChart(kind: 'bars' | 'centred', ticks: Array<[number, string]>, rows: ChartRow[]): string {
  const grid = ticks.map(([t]) => `<line class="grid" x1="${at(t)}" y1="0" x2="${at(t)}" y2="100%"/>`).join('');
  const axis = `<div class="tick-gap"></div><div class="plot"><svg class="ticks" height="18" aria-hidden="true">${ticks.map(([t, label]) => `<text x="${at(t)}" y="13" text-anchor="${kind === 'bars' && t === 0 ? 'start' : 'middle'}">${esc(label)}</text>`).join('')}</svg></div>`;
  const body = rows.map((r) => `<div class="label">${breakable(r.label)}</div><div class="plot"><svg height="${r.height}" role="img" aria-label="${esc(r.describe)}">${grid}${r.svg}</svg></div>`);
  return `<div class="chart ${kind}">${axis}${body.join('')}</div>`;
}

/** One series of a bar chart: a share (0-1) per group with its interval. */
export interface BarSeries {
  label: string;
  values: Array<number | null>;
  cis?: Array<Interval | null>;
}

const BAR = 14;
const BAR_GAP = 5;

/**
 * Shares as horizontal bars: one row per group, one bar per series, its interval as a
 * whisker and the value past both. `show` writes a value; `title` a bar's tooltip.
 */
export function barChart(groups: string[], series: BarSeries[], show: (v: number | null) => string, title: (g: string, s: BarSeries, gi: number) => string): string {
  const ticks: Array<[number, string]> = [0, 0.25, 0.5, 0.75, 1].map((t) => [t, `${t * 100}%`]);
  const rows = groups.map((g, gi) => {
    const parts: string[] = [];
    series.forEach((s, si) => {
      const v = s.values[gi];
      const y = 8 + si * (BAR + BAR_GAP);
      const ci = v === null ? null : s.cis?.[gi] ?? null;
      parts.push(`<rect class="c${si % COLOURS}" x="0" y="${y}" width="${v === null ? 0 : at(Math.max(v, 0.002))}" height="${BAR}"><title>${esc(title(g, s, gi))}</title></rect>`);
      if (ci) parts.push(whisker(at(ci[0]), at(ci[1]), y + BAR / 2, BAR / 3));
      parts.push(placed(at(Math.max(v ?? 0, ci ? ci[1] : 0)), `<text class="value" x="5" y="${y + BAR - 3}">${esc(show(v))}</text>`));
    });
    return { label: g, height: 18 + series.length * (BAR + BAR_GAP) - BAR_GAP, svg: parts.join(''), describe: `${g}: ${series.map((s) => `${s.label} ${show(s.values[gi])}`).join(', ')}` };
  });
  return legend(series.map((s) => s.label)) + rowChart('bars', ticks, rows);
}

/** One line of a line chart: a share (0-1) at some of the x positions, with intervals and tooltips. */
export interface LinePoint {
  at: number;
  value: number;
  ci: Interval | null;
  title: string;
}

const LINE_HEIGHT = 180;

/**
 * Shares over time, one coloured line per series, each point with its interval. Of the
 * x labels every `dense`-th shows on a wide page and every `sparse`-th on a narrow one, so
 * labels never run into each other; a label may hold a second line (the year).
 */
export function lineChart(xLabels: Array<[string, string?]>, lines: Array<{ label: string; points: LinePoint[] }>): string {
  const n = xLabels.length;
  const x = (i: number) => at(n > 1 ? i / (n - 1) : 0.5);
  const y = (v: number) => 8 + LINE_HEIGHT - v * LINE_HEIGHT;
  const dense = Math.ceil(n / 16);
  const sparse = dense * Math.ceil(n / 7 / dense);
  const parts: string[] = [];
  for (const t of [0, 0.5, 1]) parts.push(`<line class="grid" x1="0" y1="${y(t)}" x2="100%" y2="${y(t)}"/>`, `<text x="-6" y="${y(t) + 4}" text-anchor="end">${t * 100}%</text>`);
  xLabels.forEach(([label, second], i) => {
    if (i % dense) return;
    const lines2 = second ? `<tspan x="${x(i)}" dy="14">${esc(second)}</tspan>` : '';
    parts.push(`<text class="x-label${i % sparse ? ' minor' : ''}" x="${x(i)}" y="${y(0) + 18}" text-anchor="middle">${esc(label)}${lines2}</text>`);
  });
  lines.forEach((l, li) => {
    const k = li % COLOURS;
    l.points.slice(1).forEach((p, j) => parts.push(`<line class="l${k}" x1="${x(l.points[j].at)}" y1="${y(l.points[j].value)}" x2="${x(p.at)}" y2="${y(p.value)}"/>`));
    for (const p of l.points) {
      const bar = p.ci ? `<line class="ci" x1="0" y1="${y(p.ci[1])}" x2="0" y2="${y(p.ci[0])}"/><line class="ci" x1="-3" y1="${y(p.ci[1])}" x2="3" y2="${y(p.ci[1])}"/><line class="ci" x1="-3" y1="${y(p.ci[0])}" x2="3" y2="${y(p.ci[0])}"/>` : '';
      parts.push(`<g class="l${k}">${placed(x(p.at), `${bar}<circle class="c${k}" cx="0" cy="${y(p.value)}" r="3.5"><title>${esc(p.title)}</title></circle>`)}</g>`);
    }
  });
  const describe = lines.map((l) => `${l.label}: ${l.points.map((p) => `${xLabels[p.at].join(' ')} ${Math.round(p.value * 100)}%`).join(', ')}`).join('; ');
  return legend(lines.map((l) => l.label)) + `<div class="chart line"><svg height="${y(0) + 40}" role="img" aria-label="${esc(describe)}">${parts.join('')}</svg></div>`;
}
