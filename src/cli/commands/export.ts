import * as path from 'node:path';
import { companionPath, exportLog, EXPORT_FORMATS, SPLIT_FORMATS, type ExportSummary } from '../../core/evalset/exportLog';
import { VERDICT_FILTERS, type ExportFilter } from '../../core/evalset/fromLog';
import { EXCLUSIONS, type Exclusion } from '../../core/evalset/health';
import type { LogWarning } from '../../core/log/evalLog';
import { LOCALITIES } from '../../core/task/editTask';
import { choice, many, one, positiveNumber, required, UsageError } from '../args';
import type { Command } from './command';
import { logPathOf, printWarnings } from './logOption';
import { plural } from '../../core/text/plural';
import { SETTING_DEFAULTS, TEST_TIMEOUT_SECONDS } from '../../core/defaults';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Turn the eval log into an eval set, a promptfoo config, openai/evals samples, or fine-tuning data',
  help: `Usage: editscope export --to evalset|promptfoo|openai-evals|sft|dpo|rft --out <path> [--log <path>]
                        [--model <id> ...] [--locality local|cross-file|multi-file] [--since <date|90d>]
                        [--exclude saturated,stale]
                        [--verdict all|in-scope|none|reverted|accepted|kept|unjudged]
                        [--test-command <cmd> [--test-timeout <s>]] [--validation <share>]

Every export carries exactly the prompt each model was sent (same template, same window).
  evalset       JSONL, one replayable task a line (for editscope replay): the file (or the
                window sent), range, instruction, context files, the accepted edit as the
                reference when there is one, and the graders
  promptfoo     a promptfoo config (YAML): the recorded messages per test, a scope assertion
                on every test and a reference assertion where an edit was accepted
  openai-evals  JSONL samples for openai/evals: {"input": [chat messages], "ideal": answer}
  sft           chat fine-tuning JSONL: {"messages": [system, user, assistant]} with accepted edits
  dpo           preference JSONL (OpenAI preference fine-tuning): {"input": {"messages": [...]},
                "preferred_output": [accepted], "non_preferred_output": [rejected]}
  rft           reinforcement fine-tuning JSONL: {"messages": [system, user], "format",
                "window_text", "selection_start", "selection_end", "reference", ...} for tasks
                with an accepted edit, and <file>.grader.json beside it: a Python grader that
                scores an answer as replay does (mean of scope and reference; 0 without an edit)
An edit accepted in-scope only counts as its in-scope hunks; the answer as the model gave
it is then a non-preferred output too. When the person changed the applied lines afterwards
(a retention record), what they kept is the reference; an undone edit is never one. Tasks
logged by replay are left out (copies of set tasks).

Options:
  --to <format>          one of the formats above
  --out <path>           the file to write (replaced only once the export is complete)
  --log <path>           the eval log (default ${SETTING_DEFAULTS.logPath})
  --model <id>           only this model's results; repeat for several
  --locality <l>         only local, cross-file or multi-file tasks
  --since <date>         only tasks from then on: 2026-11-01, an ISO time, or 90d / 4w ago
  --exclude <kinds>      leave out saturated tasks (every model of the last replays in the
                         log passed them: editscope evalset health) and/or stale ones (the
                         lines the task was about are gone from the workspace), comma-separated
  --verdict <v>          only tasks with a result whose latest verdict is all, in-scope, none
                         or reverted; accepted (all or in-scope); kept (applied and at least
                         partly still there when last measured); unjudged (no verdict)
  --test-command <cmd>   evalset: a command replay runs in a temporary folder holding the
                         edited file and the context files (exit 0 passes)
  --test-timeout <s>     its time limit (default ${TEST_TIMEOUT_SECONDS})
  --validation <share>   sft, dpo, rft: write this share of the tasks (e.g. 0.2) to
                         <file>.valid.jsonl instead; tasks ranked by a hash of their id, so
                         the same log always splits the same way

Exit status: 0 written, 1 nothing matched (no file written), 2 bad usage or an unreadable log.
`,
  options: {
    to: { value: true },
    out: { value: true },
    log: { value: true },
    model: { value: true, repeat: true },
    locality: { value: true },
    since: { value: true },
    exclude: { value: true },
    verdict: { value: true },
    'test-command': { value: true },
    'test-timeout': { value: true },
    validation: { value: true },
  },
  async run(args, io) {
    if (one(args, 'to') === undefined) throw new UsageError(`--to is required (${EXPORT_FORMATS.join(', ')})`);
    const format = choice(args, 'to', EXPORT_FORMATS, 'evalset');
    const out = path.resolve(io.cwd, required(args, 'out'));
    if (args.positionals.length) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    const filter: ExportFilter = {
      models: many(args, 'model'),
      locality: one(args, 'locality') === undefined ? undefined : choice(args, 'locality', LOCALITIES, 'local'),
      since: one(args, 'since') === undefined ? undefined : parseSince(one(args, 'since')!),
      verdict: one(args, 'verdict') === undefined ? undefined : choice(args, 'verdict', VERDICT_FILTERS, 'accepted'),
    };
    const command = one(args, 'test-command');
    if (command !== undefined && format !== 'evalset') throw new UsageError('--test-command applies to --to evalset only');
    if (command === '') throw new UsageError('--test-command is empty');
    if (command === undefined && one(args, 'test-timeout') !== undefined) throw new UsageError('--test-timeout needs --test-command');
    const test = command ? { command, timeoutSeconds: positiveNumber(args, 'test-timeout', TEST_TIMEOUT_SECONDS) } : null;
    const validation = validationShare(one(args, 'validation'), format);
    const exclude = exclusions(one(args, 'exclude'));
    const logPath = logPathOf(args, io);
    const warnings: LogWarning[] = [];
    const summary = exportLog(logPath, out, format, {
      filter,
      workspaceRoot: io.cwd,
      test,
      onWarning: (w) => warnings.push(w),
      source: path.relative(io.cwd, logPath) || logPath,
      requireAny: true,
      validation,
      exclude,
    });
    printWarnings(io, logPath, warnings);
    const notes = leftOut(summary);
    if (summary.written === 0) {
      const matched = summary.tasks > 0 || Object.values(summary.excluded).some(Boolean);
      io.stderr(`editscope export: nothing to export from ${logPath}: ${matched ? notes.join('; ') : 'no task matches'}${matched ? '' : describe(filter)}; ${out} not written\n`);
      return 1;
    }
    const unit = format === 'promptfoo' ? 'test' : 'line';
    const where = validation === undefined ? out : `${out} and ${companionPath(out, '.valid.jsonl')} (${summary.validation} for validation)`;
    io.stdout(`Exported ${plural(summary.written, unit)} from ${plural(summary.tasks, 'task')} to ${where} (${format})${notes.length ? `; ${notes.join('; ')}` : ''}\n`);
    if (format === 'rft') io.stdout(`Grader: ${companionPath(out, '.grader.json')}\n`);
    if (validation !== undefined && summary.validation === 0) io.stderr(`editscope export: only one task, so nothing was held back for validation\n`);
    return 0;
  },
};

function validationShare(text: string | undefined, format: string): number | undefined {
  if (text === undefined) return undefined;
  if (!(SPLIT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--validation applies to --to ${SPLIT_FORMATS.join(', ')} only`);
  const share = /^\s*(0?\.\d+)\s*$/.test(text) ? Number(text) : NaN;
  if (!(share > 0 && share < 1)) throw new UsageError(`--validation must be a share between 0 and 1, e.g. 0.2 (got "${text}")`);
  return share;
}

function exclusions(text: string | undefined): Exclusion[] | undefined {
  if (text === undefined) return undefined;
  const kinds = text.split(',').map((k) => k.trim()).filter(Boolean);
  const bad = kinds.find((k) => !(EXCLUSIONS as readonly string[]).includes(k));
  if (bad !== undefined || !kinds.length) throw new UsageError(`--exclude takes ${EXCLUSIONS.join(', ')} or both, comma-separated (got "${text}")`);
  return [...new Set(kinds)] as Exclusion[];
}

function leftOut(s: ExportSummary): string[] {
  const notes: string[] = [];
  for (const [why, n] of Object.entries(s.excluded)) if (n) notes.push(`${plural(n, `${why} task`)} left out`);
  if (s.withoutReference) notes.push(`${plural(s.withoutReference, 'task')} without an accepted edit left out`);
  if (s.withoutRejected) notes.push(`${plural(s.withoutRejected, 'task')} without a rejected edit to pair with left out`);
  if (s.unknownTemplate) notes.push(`${plural(s.unknownTemplate, 'task')} sent with a prompt template this version cannot rebuild left out`);
  return notes;
}

function describe(f: ExportFilter): string {
  const parts: string[] = [];
  if (f.models?.length) parts.push(`model ${f.models.join(' or ')}`);
  if (f.locality) parts.push(f.locality);
  if (f.since) parts.push(`since ${f.since.toISOString()}`);
  if (f.verdict) parts.push(`verdict ${f.verdict}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** 2026-11-01, an ISO time, or a span back from now: 30d, 4w, 12h. */
export function parseSince(text: string, now = new Date(), option = 'since'): Date {
  const rel = /^(\d+)([hdw])$/.exec(text.trim());
  if (rel) {
    const hours = Number(rel[1]) * (rel[2] === 'h' ? 1 : rel[2] === 'd' ? 24 : 24 * 7);
    return new Date(now.getTime() - hours * 3_600_000);
  }
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) {
    const d = new Date(text.trim());
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new UsageError(`--${option} must be a date (2026-11-01), an ISO time, or a span like 30d or 4w (got "${text}")`);
}
