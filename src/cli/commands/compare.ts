import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { LogWarning } from '../../core/log/evalLog';
import { readEvalSet } from '../../core/evalset/read';
import { compareFromLog, taskKey, type Sides } from '../../core/report/compare';
import { formatComparisonText, renderComparisonHtml } from '../../core/report/compareFormat';
import { sameFile, writeFileAtomic } from '../../core/io/writeAtomic';
import { SETTING_DEFAULTS } from '../../core/defaults';
import { choice, many, one, UsageError } from '../args';
import type { Command } from './command';
import { parseSince } from './export';
import { logPathOf, printWarnings } from './logOption';

export const compareCommand: Command = {
  name: 'compare',
  summary: 'Two models (or one before and after a date) on the tasks both answered: paired differences with intervals',
  help: `Usage: editscope compare --model <A> --model <B> [--log <path>] [--set <path>] [--format text|json|html] [--out <path>]
       editscope compare --model <A> --before <date> [...]

Compares two models on the tasks both answered in the eval log (a task run again, the same
file content, lines and instruction, is one task), or one model's runs before a date with
its runs since, on the tasks it answered in both periods. Replays log their runs and grades
there too, so a replay of one set against both models is compared grade by grade.

For every figure the report and replay give (outOfScopeRate, irrelevantEditRate, style drift
overall and per rule, outOfScopeHunksPerResult, acceptRate, keptRate, latencyMsP50, costUsd;
from replays scopeScore, styleScore, referenceScore, referenceExactRate, testPassRate, score):
  diff   B − A on the tasks where both have the figure
  ci     its 95% interval: a seeded paired bootstrap over the tasks
  p      McNemar's exact test for a pass/fail figure (the sign test for any other)
  mde    the smallest difference this many tasks would find at 80% power
A difference is reported as found when its interval leaves out 0 and p < 0.05; otherwise the
figure reads "no difference detectable below <mde>".

Options:
  --model <id>        model A, then model B
  --before <date>     with one --model: A is its runs before this date (2026-11-01, an ISO
                      time, or 30d / 4w ago), B its runs since
  --log <path>        the eval log (default ${SETTING_DEFAULTS.logPath})
  --set <path>        only the tasks of this eval set
  --format text       the finding, then a table (default)
  --format json       {"a","b","tasks","metrics":[{"name","a","b","diff","ci":[lo,hi],"p","mde","n",
                      "lowerIsBetter","better"}]} (rates as shares, 0 to 1)
  --format html       one self-contained page with the differences drawn with their intervals
  --out <path>        write there instead of to standard output

Exit status: 0 compared, 2 bad usage or an unreadable log.
`,
  options: { model: { value: true, repeat: true }, before: { value: true }, log: { value: true }, set: { value: true }, format: { value: true }, out: { value: true } },
  async run(args, io) {
    const format = choice(args, 'format', ['text', 'json', 'html'] as const, 'text');
    if (args.positionals.length) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    const models = many(args, 'model');
    const before = one(args, 'before');
    let sides: Sides;
    if (before !== undefined) {
      if (models.length !== 1) throw new UsageError('--before compares one model with itself: give exactly one --model');
      sides = { model: models[0], before: parseSince(before, new Date(), 'before') };
    } else {
      if (models.length !== 2) throw new UsageError('give two models (--model A --model B), or one with --before <date>');
      sides = { a: models[0], b: models[1] };
    }
    const logPath = logPathOf(args, io);
    const out = one(args, 'out');
    if (out && sameFile(path.resolve(io.cwd, out), logPath)) throw new UsageError(`--out ${out} is the eval log itself; name another file`);
    const setArg = one(args, 'set');
    const warnings: LogWarning[] = [];
    const only = setArg === undefined ? undefined : new Set(readEvalSet(path.resolve(io.cwd, setArg), (w) => warnings.push(w)).map(taskKey));
    if (setArg !== undefined) printWarnings(io, path.resolve(io.cwd, setArg), warnings.splice(0));
    const comparison = compareFromLog(logPath, sides, { only, onWarning: (w) => warnings.push(w) });
    printWarnings(io, logPath, warnings);
    const text = format === 'json' ? JSON.stringify(comparison) + '\n' : format === 'html' ? renderComparisonHtml(comparison, { nonce: randomBytes(18).toString('base64') }) : formatComparisonText(comparison);
    if (out) {
      const target = path.resolve(io.cwd, out);
      writeFileAtomic(target, text);
      io.stdout(`Wrote the ${format} comparison of ${comparison.tasks} tasks to ${target}\n`);
    } else io.stdout(text);
    return 0;
  },
};
