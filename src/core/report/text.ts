import { localityRows, type Report, type Stats } from './compute';
import { plural } from '../text/plural';
import { numCi, pctCi } from './format';

const ms = (x: number | null) => (x === null ? '—' : x >= 10_000 ? `${(x / 1000).toFixed(0)} s` : x >= 1000 ? `${(x / 1000).toFixed(1)} s` : `${x} ms`);
const usd = (x: number | null) => (x === null ? '—' : `$${x.toFixed(x < 1 ? 4 : 2)}`);
const accepted = (s: Stats) => {
  const judged = s.verdicts.all + s.verdicts.inScope + s.verdicts.picked + s.verdicts.none + s.verdicts.reverted;
  return judged ? `${pctCi(s.acceptRate, s.ci.acceptRate)} of ${judged}` : '—';
};
const kept = (s: Stats) => (s.keptMeasured ? `${pctCi(s.keptRate, s.ci.keptRate)} of ${s.keptMeasured}` : '—');

const HEAD = ['model', 'slice', 'results', 'ok', 'irrelevant', 'out of scope', 'hunks/result', 'style drift', 'accepted', 'kept', 'p50', 'p95', 'tokens in/out', 'cost'];

function cells(model: string, slice: string, s: Stats): string[] {
  return [
    model, slice, String(s.tasks), String(s.ok), pctCi(s.irrelevantEditRate, s.ci.irrelevantEditRate), pctCi(s.outOfScopeRate, s.ci.outOfScopeRate), numCi(s.outOfScopeHunksPerResult, s.ci.outOfScopeHunksPerResult), pctCi(s.styleDriftRate, s.ci.styleDriftRate),
    accepted(s), kept(s), ms(s.latencyMsP50), ms(s.latencyMsP95), `${s.inputTokens}/${s.outputTokens}`, usd(s.costUsd),
  ];
}

function table(rows: string[][]): string[] {
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ').trimEnd();
  return [line(HEAD), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** The report as tables a person reads in a terminal. */
export function formatReportText(r: Report, opts: { log?: string } = {}): string {
  const where = opts.log ? ` in ${opts.log}` : '';
  if (!r.models.length) return `No results${where} yet (${plural(r.tasks, 'task')}).\n`;
  const period = r.from && r.to ? `, ${r.from.slice(0, 10)} to ${r.to.slice(0, 10)}` : '';
  const out = [`${plural(r.tasks, 'task')}${where}${period}; ${plural(r.verdicts, 'verdict')}; 95% intervals in brackets`, ''];
  const rows: string[][] = [];
  for (const m of r.models) {
    rows.push(cells(m.model, 'all', m));
    for (const [label, s] of localityRows(m)) rows.push(cells('', label, s));
  }
  out.push(...table(rows));
  out.push('', `irrelevant: the irrelevant-edit rate, usable results with a hunk the task did not need; supporting hunks (imports, helpers, call sites the change needs) ${r.testsIrrelevant ? 'do not count, tests of the changed code do' : 'and tests of the changed code do not count'}.`);

  const drift = r.models.filter((m) => Object.keys(m.styleDriftByRule).length);
  if (drift.length) {
    out.push('', 'Style drift by rule (share of usable results with a finding of that rule):');
    for (const m of drift) out.push(`  ${m.model}: ${Object.entries(m.styleDriftByRule).map(([rule, x]) => `${rule} ${pctCi(x, m.ci[`styleDriftByRule.${rule}`])}`).join(', ')}`);
  }
  const measured = r.models.filter((m) => m.keptMeasured);
  if (measured.length) {
    out.push('', 'Applied lines kept (latest measurement; an undone apply keeps none), by checkpoint:');
    for (const m of measured) {
      const at = Object.entries(m.keptByCheckpoint).map(([c, x]) => `${c} ${pctCi(x, m.ci[`keptByCheckpoint.${c}`])}`);
      out.push(`  ${m.model}: ${pctCi(m.keptRate, m.ci.keptRate)} of ${plural(m.keptMeasured, 'applied result')}${m.verdicts.reverted ? `, ${m.verdicts.reverted} undone` : ''}${at.length ? `; ${at.join(', ')}` : ''}`);
    }
  }
  const reviewed = r.models.filter((m) => m.n.hunkAcceptRate);
  if (reviewed.length) {
    out.push('', 'Hunks accepted in review (results judged hunk by hunk):');
    for (const m of reviewed) out.push(`  ${m.model}: ${pctCi(m.hunkAcceptRate, m.ci.hunkAcceptRate)} of ${plural(m.n.hunkAcceptRate, 'hunk')}${m.verdicts.picked ? `; ${plural(m.verdicts.picked, 'result')} applied in part` : ''}`);
  }
  const errors = r.models.filter((m) => Object.keys(m.errors).length);
  if (errors.length) {
    out.push('', 'Failed results by kind:');
    for (const m of errors) out.push(`  ${m.model}: ${Object.entries(m.errors).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
  const weeks = new Set(r.models.flatMap((m) => Object.keys(m.byWeek)));
  if (weeks.size > 1) {
    const weekRows: string[][] = [];
    for (const m of r.models) {
      let first = true;
      for (const [week, s] of Object.entries(m.byWeek)) {
        weekRows.push(cells(first ? m.model : '', week, s));
        first = false;
      }
    }
    out.push('', 'By week:', ...table(weekRows));
  }
  if (r.unmatchedVerdicts) out.push('', `${plural(r.unmatchedVerdicts, 'verdict')} name${r.unmatchedVerdicts === 1 ? 's' : ''} a task or model not in the log (ignored).`);
  return out.join('\n') + '\n';
}
