import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { LogWarning } from '../../core/log/evalLog';
import { reportFromLog } from '../../core/report/compute';
import { renderReportHtml } from '../../core/report/html';
import { formatReportText } from '../../core/report/text';
import { sameFile, writeFileAtomic } from '../../core/io/writeAtomic';
import { isInsideRelative } from '../../core/io/readText';
import { choice, one, UsageError } from '../args';
import type { CliIO, Command } from './command';
import { evalSetHealth, type SetHealth } from '../../core/evalset/health';
import { formatHealthText, healthSection } from '../../core/evalset/healthFormat';
import { readEvalSet } from '../../core/evalset/read';
import { logPathOf, printWarnings } from './logOption';
import { plural } from '../../core/text/plural';
import { SETTING_DEFAULTS } from '../../core/defaults';

export const reportCommand: Command = {
  name: 'report',
  summary: 'Per-model figures from the eval log: out-of-scope and style drift rates, accept rate, lines kept, latency, tokens, cost',
  help: `Usage: editscope report [--log <path>] [--format text|json|html] [--out <path>] [--count-tests] [--set <path>]

Reads the eval log (default ${SETTING_DEFAULTS.logPath}) and reports, per model:
  results (tasks sent), ok (usable edits), irrelevant-edit rate (share of usable results with
  at least one hunk the task did not need, scope "out"; supporting hunks, the imports, new
  helpers, call sites and tests the in-scope change needs, do not count), out-of-scope rate
  (share of usable results with at least one out-of-scope hunk), out-of-scope hunks per usable result, style drift rate (share
  of usable results with a finding) overall and by rule, accept rate (share of judged results
  whose latest verdict is all or in-scope; an undone apply is judged, not accepted), lines
  kept (share of applied lines still there at the latest retention measurement, 0 for an
  undone apply; also by checkpoint: save, minutes after, commit), latency p50/p95 of usable
  results (nearest rank),
  tokens and cost; each also split by locality and by ISO week. Locality: local, cross-file
  (the region uses definitions from other files; also split by whether the model was shown
  them all: withContext, withoutContext) and multi-file (the model could change several
  files; a result counts as out of scope when any of its files has an out-of-scope hunk).
Every rate and score has its 95% interval and the n it rests on (JSON: "ci":{"<field>":[lo,hi]},
"n":{"<field>":n} in every model, locality and week object): Wilson's for a share of
independent results; with at least 10 files holding several results each (or 10 tasks run
several times), a seeded cluster bootstrap over the files (or tasks); t for a mean; order
statistics for latency percentiles. See docs/statistics.md.

Options:
  --log <path>        the eval log (default ${SETTING_DEFAULTS.logPath})
  --format text       tables for people (default)
  --format json       {"models":[{"model","tasks","ok","irrelevantEditRate","outOfScopeRate","styleDriftRate","acceptRate",
                      "latencyMsP50",...,"byLocality":{"local":{...},"cross-file":{...,"withContext":{...},
                      "withoutContext":{...}},"multi-file":{...}},"byWeek":{...}}],...}
  --format html       one self-contained page with charts (no script; a strict CSP)
  --out <path>        write the report there instead of to standard output
  --set <path>        add the health of this eval set (as editscope evalset health gives it)
  --count-tests       count a supporting test (a test of the changed code in another file the
                      model may change) as an irrelevant edit

Damaged lines in the log are skipped with a warning naming each line.
Exit status: 0 report written, 2 bad usage or an unreadable log.
`,
  options: { log: { value: true }, format: { value: true }, out: { value: true }, set: { value: true }, 'count-tests': {} },
  async run(args, io) {
    const format = choice(args, 'format', ['text', 'json', 'html'] as const, 'text');
    if (args.positionals.length) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    const logPath = logPathOf(args, io);
    const out = one(args, 'out');
    if (out && sameFile(path.resolve(io.cwd, out), logPath)) throw new UsageError(`--out ${out} is the eval log itself; name another file`);
    const warnings: LogWarning[] = [];
    const report = reportFromLog(logPath, { countTests: args.flags.has('count-tests'), onWarning: (w) => warnings.push(w) });
    printWarnings(io, logPath, warnings);
    const setArg = one(args, 'set');
    const health = setArg === undefined ? undefined : healthOf(io, setArg, logPath);
    let text: string;
    if (format === 'json') text = JSON.stringify(health ? { ...report, health } : report) + '\n';
    else if (format === 'html') text = renderReportHtml(report, { nonce: randomBytes(18).toString('base64'), health: health && healthSection(health, setArg!) });
    else {
      const rel = path.relative(io.cwd, logPath);
      text = formatReportText(report, { log: isInsideRelative(rel) ? rel : logPath }) + (health ? '\n' + formatHealthText(health, setArg!) : '');
    }
    if (out) {
      const target = path.resolve(io.cwd, out);
      writeFileAtomic(target, text, { root: io.cwd });
      io.stdout(`Wrote the ${format} report of ${plural(report.tasks, 'task')} to ${target}\n`);
    } else io.stdout(text);
    return 0;
  },
};

function healthOf(io: CliIO, setArg: string, logPath: string): SetHealth {
  const setPath = path.resolve(io.cwd, setArg);
  const warnings: LogWarning[] = [];
  const set = readEvalSet(setPath, (w) => warnings.push(w));
  printWarnings(io, setPath, warnings);
  return evalSetHealth(set, { logPath, workspaceRoot: io.cwd });
}
