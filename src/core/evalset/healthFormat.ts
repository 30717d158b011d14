import { pctWhole } from '../report/format';
import { section, tableBox } from '../report/html';
import { breakable } from '../report/charts';
import { escapeHtml as esc } from '../text/escapeHtml';
import { plural } from '../text/plural';
import type { SetHealth, TaskHealth } from './health';


function facts(h: SetHealth): string[] {
  return [
    `${plural(h.tasks, 'task')}, median age ${h.medianAgeDays ?? '—'} days`,
    `${h.stale} stale (the recorded region no longer exists in the workspace)`,
    `${h.saturated} saturated, ${pctWhole(h.saturatedShare)} of the set (every model of the last runs passes: ${h.models.length ? h.models.join(', ') : 'no grades in the log'})`,
    `${h.separating} separate the models (some pass, some fail)`,
    `${h.disputed} disputed (the grader and the person's verdict disagree)`,
  ];
}

const listed = (h: SetHealth, f: (t: TaskHealth) => boolean) => h.taskHealth.filter(f);

/** The health as people read it: the summary line, the counts, then each task to look at. */
export function formatHealthText(h: SetHealth, set: string): string {
  const out = [`Eval set ${set}: ${h.summary}`, '', ...facts(h).map((f) => `  ${f}`)];
  const stale = listed(h, (t) => t.stale !== null);
  if (stale.length) out.push('', 'Stale tasks:', ...stale.map((t) => `  ${t.id}  ${t.stale}`));
  const saturated = listed(h, (t) => t.saturated);
  if (saturated.length) out.push('', 'Saturated tasks:', ...saturated.map((t) => `  ${t.id}  ${t.file}, ${t.ageDays ?? '—'} days old`));
  const separating = listed(h, (t) => t.separates);
  if (separating.length) out.push('', 'Tasks that separate the models:', ...separating.map((t) => `  ${t.id}  passed by ${Object.keys(t.passes).filter((m) => t.passes[m]).join(', ')}; failed by ${Object.keys(t.passes).filter((m) => !t.passes[m]).join(', ')}`));
  const disputed = listed(h, (t) => t.disputes.length > 0);
  if (disputed.length) out.push('', 'Disputed tasks (review: misgraded or ambiguous?):', ...disputed.flatMap((t) => t.disputes.map((d) => `  ${t.id}  ${d.model}: ${d.why}`)));
  return out.join('\n') + '\n';
}

/** The same as a section of the HTML report. */
export function healthSection(h: SetHealth, set: string): string {
  const rows = h.taskHealth
    .filter((t) => t.stale || t.saturated || t.separates || t.disputes.length)
    .map((t) => `<tr><td>${esc(t.id)}</td><td>${breakable(t.file)}</td><td>${t.ageDays ?? '—'}</td><td>${esc([t.stale ? 'stale' : '', t.saturated ? 'saturated' : '', t.separates ? 'separates' : '', t.disputes.length ? 'disputed' : ''].filter(Boolean).join(', '))}</td><td>${esc([t.stale ?? '', ...t.disputes.map((d) => `${d.model}: ${d.why}`)].filter(Boolean).join('; '))}</td></tr>`);
  const table = rows.length ? tableBox(`<table class="text"><thead><tr><th>task</th><th>file</th><th>age (days)</th><th>flags</th><th>why</th></tr></thead><tbody>${rows.join('')}</tbody></table>`) : '<p>No task is stale, saturated, separating or disputed.</p>';
  return section(`Eval set health: ${set}`, `<p>${esc(h.summary)}</p><ul>${facts(h).map((f) => `<li>${esc(f)}</li>`).join('')}</ul>${table}`);
}
