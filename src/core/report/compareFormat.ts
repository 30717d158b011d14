import type { Interval } from '../stats/interval';
import { escapeHtml as esc } from '../text/escapeHtml';
import { plural } from '../text/plural';
import { metricInfo, type Comparison, type MetricComparison } from './compare';
import { figureCell, renderPage, section, tableBox, type HtmlOptions } from './html';
import { at, placed, rowChart, whisker, type ChartRow } from './charts';

/** A number without a trailing `.0`: 6, 0.4, 12.5. */
const short = (x: number, digits = 1) => String(Number(x.toFixed(digits)));

/** An amount in the metric's own unit: points for a rate, ms, dollars, hunks. */
function amount(m: Pick<MetricComparison, 'name'>, x: number): string {
  const unit = metricInfo(m.name).unit;
  if (unit === 'ms') return `${short(x, 0)} ms`;
  if (unit === 'usd') return `$${x.toFixed(4)}`;
  if (unit === 'hunks') return short(x, 2);
  return short(x * 100);
}
const bare = (m: MetricComparison, x: number) => amount(m, x).replace(/ ms$/, '');
/** A side's figure: a rate as a percentage, anything else in its unit. */
const level = (m: MetricComparison, x: number) => (['points', 'score'].includes(metricInfo(m.name).unit) ? `${short(x * 100)}%` : amount(m, x));
const UNIT_WORDS: Record<string, string> = { points: ' points', score: ' points', hunks: ' hunks', ms: ' ms', usd: '' };
const unitWord = (m: MetricComparison) => UNIT_WORDS[metricInfo(m.name).unit];

/** B's improvement over A (positive: B better) and its interval, in the metric's raw unit. */
export function improvement(m: MetricComparison): { value: number; ci: Interval } {
  return m.lowerIsBetter ? { value: -m.diff, ci: [-m.ci[1], -m.ci[0]] } : { value: m.diff, ci: m.ci };
}

/** The irrelevant-edit rate says nothing the out-of-scope rate has not when they agree on every task (supporting tests not counted). */
function repeatsScope(c: Comparison, m: MetricComparison): boolean {
  const scope = c.metrics.find((x) => x.name === 'outOfScopeRate');
  return m.name === 'irrelevantEditRate' && !!scope && scope.a === m.a && scope.b === m.b && scope.n === m.n;
}

/** "better at scope by 6 points [2, 10]" for one side, as the finding reads. */
function finding(m: MetricComparison): string {
  const label = metricInfo(m.name).label;
  const imp = improvement(m);
  const [value, ci]: [number, Interval] = m.better === 'b' ? [imp.value, imp.ci] : [-imp.value, [-imp.ci[1], -imp.ci[0]]];
  return `${m.better === 'b' ? 'better' : 'worse'} at ${label} by ${bare(m, value)}${unitWord(m)} [${bare(m, ci[0])}, ${bare(m, ci[1])}]`;
}

/** The comparison as a finding, then a table: every figure, its difference, interval, p, detectable difference and n. */
export function formatComparisonText(c: Comparison): string {
  const out = [`${c.b} against ${c.a} on ${plural(c.tasks, 'task')} both answered (95% intervals: paired bootstrap by task; p: McNemar's exact test, or the sign test for a non-binary figure).`, ''];
  if (!c.metrics.length) return out.concat(['Nothing to compare: no task was answered by both.']).join('\n') + '\n';
  const said = c.metrics.filter((m) => !repeatsScope(c, m));
  const found = said.filter((m) => m.better);
  const none = said.filter((m) => !m.better);
  const parts = [...found.map(finding), ...none.map((m) => `${metricInfo(m.name).label}: no difference detectable below ${bare(m, m.mde)}${unitWord(m)}`)];
  out.push(`${found.length ? `${c.b} is ` : ''}${parts.join('; ')}.`, '');
  const head = ['metric', 'A', 'B', 'B − A [95% interval]', 'p', 'detectable', 'n'];
  const rows = c.metrics.map((m) => [m.name, level(m, m.a), level(m, m.b), `${amount(m, m.diff)} [${bare(m, m.ci[0])}, ${bare(m, m.ci[1])}]`, m.p < 0.001 ? '<0.001' : m.p.toFixed(3), amount(m, m.mde), String(m.n)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ').trimEnd();
  out.push(`A: ${c.a}`, `B: ${c.b}`, '', line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line));
  out.push('', 'Rates in percentage points; "detectable": the smallest difference this many tasks would find at 80% power.');
  return out.join('\n') + '\n';
}

/** B's improvement on each rate with its interval, drawn around zero: right of the line, B is better. */
function forestPlot(c: Comparison): string {
  const rates = c.metrics.filter((m) => ['points', 'score'].includes(metricInfo(m.name).unit));
  if (!rates.length) return '';
  const span = Math.max(0.05, ...rates.flatMap((m) => improvement(m).ci.map(Math.abs)));
  const x = (v: number) => at(0.5 + v / span / 2);
  const ticks: Array<[number, string]> = [[0, `-${short(span * 100)}`], [0.5, '0'], [1, `+${short(span * 100)}`]];
  const rows = rates.map((m): ChartRow => {
    const imp = improvement(m);
    const k = m.better === 'b' ? 2 : m.better === 'a' ? 3 : 0;
    const said = `${short(imp.value * 100)} points [${short(imp.ci[0] * 100)}, ${short(imp.ci[1] * 100)}]`;
    return {
      label: metricInfo(m.name).label,
      height: 24,
      svg: `<line class="axis" x1="50%" y1="0" x2="50%" y2="100%"/>${whisker(x(imp.ci[0]), x(imp.ci[1]), 12, 5)}${placed(x(imp.value), `<circle class="c${k}" cx="0" cy="12" r="4.5"><title>${esc(`${m.name}: ${said}, p ${m.p.toFixed(3)}, n ${m.n}`)}</title></circle>`)}`,
      describe: `${metricInfo(m.name).label}: ${said}`,
    };
  });
  return `<p class="note">B's improvement over A in percentage points (right of the line: B is better), with its 95% interval.</p>${rowChart('centred', ticks, rows)}`;
}

/** A figure and its unit on one line: `1565 ms` never breaks before `ms`. */
const kept = (figure: string) => esc(figure).replace(/ ms$/, '\u00a0ms');

/** The comparison as a page: the finding, the plot of each rate's difference with its interval, and the table. */
export function renderComparisonHtml(c: Comparison, opts: HtmlOptions): string {
  const text = formatComparisonText(c).split('\n');
  const rows = c.metrics.map((m) => `<tr><td class="name">${esc(m.name).replace(/\./g, '.<wbr>')}</td><td>${kept(level(m, m.a))}</td><td>${kept(level(m, m.b))}</td>${figureCell(`${amount(m, m.diff)} [${bare(m, m.ci[0])}, ${bare(m, m.ci[1])}]`)}<td>${esc(m.p < 0.001 ? '<0.001' : m.p.toFixed(3))}</td><td>${kept(amount(m, m.mde))}</td><td>${m.n}</td></tr>`);
  const table = tableBox(`<table><thead><tr><th>metric</th><th>A</th><th>B</th><th>B − A [95% interval]</th><th>p</th><th>detectable</th><th>n</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  const body = [
    `<p><strong>A</strong>: ${esc(c.a)} · <strong>B</strong>: ${esc(c.b)}</p>`,
    section('Finding', `<p>${esc(text[2] ?? '')}</p>`),
    c.metrics.length ? section('Differences with their intervals', forestPlot(c)) : '',
    c.metrics.length ? section('Every figure', table + '<p class="note">Rates in percentage points; p: McNemar\'s exact test (sign test for a non-binary figure); detectable: the smallest difference this many tasks would find at 80% power.</p>') : '',
  ].join('\n');
  return renderPage('Edit Scope comparison', `${c.b} against ${c.a} · ${plural(c.tasks, 'task')} both answered`, body, opts);
}
