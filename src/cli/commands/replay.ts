import * as path from 'node:path';
import { sameFile } from '../../core/io/writeAtomic';
import { checkLogTarget } from '../../core/log/append';
import { readEvalSet } from '../../core/evalset/read';
import { replay, type ModelScore } from '../../core/evalset/replayEvalSet';
import type { LogWarning } from '../../core/log/evalLog';
import { loadProvidersConfig } from '../../core/providers/config';
import { createProviders, resolveModel } from '../../core/providers/registry';
import { choice, many, one, positiveNumber, required, UsageError } from '../args';
import type { Command } from './command';
import { logPathOf, printWarnings } from './logOption';
import { plural } from '../../core/text/plural';
import { numCi, pctCi } from '../../core/report/format';
import { BATCH_POLL_SECONDS, REPLAY_CONCURRENCY, SETTING_DEFAULTS } from '../../core/defaults';

export const replayCommand: Command = {
  name: 'replay',
  summary: 'Re-run an eval set against models and grade each answer: scope, style, reference, tests',
  help: `Usage: editscope replay --set <path> --model <id> [--model <id> ...] [--concurrency <n>] [--log <path>]
                        [--min-score <x> [--gate score|lower]] [--format text|json] [--timeout <s>] [--config <path>] [--run-tests]
                        [--batch [--poll <s>]] [--count-tests]

Sends every task of the eval set (from \`editscope export --to evalset\`) to each model with the
prompt template it was recorded with, and grades each answer:
  scope      1 when the edit has no out-of-scope hunk, else 0 (0 without a usable edit)
  style      1 when the edit has no style drift, else 0
  reference  for a task with an accepted edit: 1 for a normalised exact match (line endings,
             trailing whitespace and trailing blank lines aside), else the line similarity
  tests      with --run-tests, for a task with a test command: run in a temporary folder
             holding the edited file and the context files, exit 0 within the time limit passes
A model's score is the mean of those that apply. Beside it, the irrelevant-edit rate: the share
of its usable answers with at least one hunk the task did not need (supporting hunks, the
imports, helpers, call sites and tests the in-scope change needs, are not counted). Each run and each grade is appended to the
log, and a task a model already has a grade for there (for the same task content, whatever
set it came from; with --run-tests, one made with its test run) is skipped: run the same
command again to resume after a failure or Ctrl+C.
Errors that say nothing of the edit (auth, network, server, request, rate-limit, not-found,
timeout, cancelled) are not graded: the task is retried next time. A malformed or truncated
answer scores 0. A task that cannot be sent (a blank instruction, a range outside its file)
is skipped with a warning.
Every score comes with its 95% interval: Wilson's for a share, t for a mean (reference), with
tasks from one file clustered when there are at least 10 files (a seeded cluster bootstrap);
the overall score's is the mean of its parts' bounds. See docs/statistics.md.

Options:
  --set <path>         the eval set (JSONL)
  --model <id>         a model; repeat for several
  --concurrency <n>    tasks in flight at once, each to every model (default ${REPLAY_CONCURRENCY})
  --log <path>         where runs and grades go, and are resumed from (default ${SETTING_DEFAULTS.logPath})
  --min-score <x>      exit 1 when a model's score is below x (0 to 1)
  --gate score|lower   what --min-score is checked against: the score itself (default), or
                       the lower bound of its 95% interval, so a model passes only when the
                       set is large enough to show it clears x
  --format text|json   text (default); json: {"models":[{"model","tasks","scopeScore","styleScore",
                       "referenceScore","testPassRate","score","irrelevantEditRate",...,
                       "ci":{"score":[lo,hi],...},"n":{"score":n,...}}]}
  --timeout <s>        each model's limit per task in seconds, retries included (default ${SETTING_DEFAULTS.requestTimeoutSeconds})
  --config <path>      provider config (default: .editscope/config.json once trusted,
                       else your own config.json in your config folder)
  --run-tests          run the set's test commands, each printed before it runs. An eval set
                       is code: its commands run as you, with your files and network, so
                       pass this only for a set you wrote or have read. Without it no command
                       runs and tests are not part of the score (--no-tests, the old opt-out,
                       is still accepted and changes nothing)
  --batch              send the whole set through the OpenAI Batch API, one job per model, and
                       wait for it (cheaper, gentler on rate limits; can take up to 24 h); a
                       model whose provider has no Batch API is asked interactively
  --poll <s>           with --batch: how often to check on the jobs (default ${BATCH_POLL_SECONDS})
  --count-tests        count a supporting test of the changed code as an irrelevant edit

Exit status: 0 every task graded and every score at least --min-score; 1 a score below it, or
tasks left ungraded (run again to resume); 2 bad usage or input.
`,
  options: {
    set: { value: true },
    model: { value: true, repeat: true },
    concurrency: { value: true },
    log: { value: true },
    'min-score': { value: true },
    gate: { value: true },
    format: { value: true },
    timeout: { value: true },
    config: { value: true },
    'run-tests': {},
    'no-tests': {},
    batch: {},
    poll: { value: true },
    'count-tests': {},
  },
  async run(args, io) {
    const setArg = required(args, 'set');
    const models = [...new Set(many(args, 'model'))];
    if (!models.length) throw new UsageError('--model is required (repeat it for several models)');
    const format = choice(args, 'format', ['text', 'json'] as const, 'text');
    const concurrency = Math.ceil(positiveNumber(args, 'concurrency', REPLAY_CONCURRENCY));
    const timeoutMs = positiveNumber(args, 'timeout', SETTING_DEFAULTS.requestTimeoutSeconds) * 1000;
    const minText = one(args, 'min-score');
    const minScore = minText === undefined ? undefined : Number(minText);
    if (minScore !== undefined && !(minText !== '' && Number.isFinite(minScore) && minScore >= 0 && minScore <= 1)) {
      throw new UsageError(`--min-score must be a number from 0 to 1 (got "${minText}")`);
    }
    const gate = choice(args, 'gate', ['score', 'lower'] as const, 'score');
    if (one(args, 'gate') !== undefined && minScore === undefined) throw new UsageError('--gate goes with --min-score');
    if (args.positionals.length) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    if (one(args, 'poll') !== undefined && !args.flags.has('batch')) throw new UsageError('--poll goes with --batch');
    if (args.flags.has('run-tests') && args.flags.has('no-tests')) throw new UsageError('--run-tests and --no-tests contradict each other');
    const runTests = args.flags.has('run-tests');
    const pollMs = positiveNumber(args, 'poll', BATCH_POLL_SECONDS) * 1000;

    const providers = createProviders(loadProvidersConfig(io.cwd, one(args, 'config'), io.env), io.env, io.secrets);
    for (const m of models) resolveModel(m, providers);
    const setPath = path.resolve(io.cwd, setArg);
    const logPath = logPathOf(args, io);
    if (sameFile(logPath, setPath)) throw new UsageError(`--log ${one(args, 'log')} is the eval set itself; name another file`);
    checkLogTarget(logPath);
    const warnings: LogWarning[] = [];
    const set = readEvalSet(setPath, (w) => warnings.push(w));
    printWarnings(io, setPath, warnings);
    if (!set.length) throw new UsageError(`eval set ${setPath} has no task to replay`);
    const withTests = set.filter((t) => t.graders.test).length;
    if (withTests && !runTests) io.stderr(`editscope replay: ${withTests} of ${set.length} tasks have a test command; not run (an eval set is code: pass --run-tests to run them)\n`);

    const result = await replay(set, {
      set: setArg,
      models,
      providers,
      logPath,
      concurrency,
      timeoutMs,
      signal: io.signal,
      runTests,
      countTests: args.flags.has('count-tests'),
      onTestCommand: ({ task, model, command }) => io.stderr(`editscope replay: running the test of ${task.id} for ${model}: ${command}\n`),
      env: io.env,
      secrets: io.secrets?.values,
      onWarning: (m) => io.stderr(`editscope replay: ${m}\n`),
      onGrade: format === 'text' ? ({ task, grade, done, total }) => io.stderr(`  [${done}/${total}] ${task.id} ${grade.model}: ${grade.score.toFixed(2)}${grade.error ? ` (${grade.error.kind})` : ''}\n`) : undefined,
      batch: args.flags.has('batch')
        ? { pollMs, onStatus: format === 'text' ? (model, status, c) => io.stderr(`  batch ${model}: ${status}${c.total ? ` (${c.completed}/${c.total} done${c.failed ? `, ${c.failed} failed` : ''})` : ''}\n`) : undefined }
        : undefined,
      onNotGraded: ({ task, result }) => io.stderr(`  ${task.id} ${result.model}: not graded, ${result.error.kind}: ${result.error.message}\n`),
    });

    const gated = (m: ModelScore) => (gate === 'lower' ? m.ci.score?.[0] ?? null : m.score);
    const below = minScore === undefined ? [] : result.models.filter((m) => gated(m) === null || gated(m)! < minScore);
    const ungraded = result.models.filter((m) => Object.keys(m.notGraded).length);
    if (format === 'json') io.stdout(JSON.stringify({ set: setArg, tasks: result.tasks, minScore: minScore ?? null, gate, models: result.models }) + '\n');
    else io.stdout(formatText(setArg, result.tasks, result.models, minScore, gate, below));
    for (const m of ungraded) {
      const n = Object.values(m.notGraded).reduce((a, b) => a + b, 0);
      io.stderr(`editscope replay: ${m.model}: ${n} of ${plural(result.tasks, 'task')} not graded (${Object.entries(m.notGraded).map(([k, c]) => `${k} ${c}`).join(', ')}); run the same command again to resume\n`);
    }
    for (const m of below) {
      const what = gate === 'lower' ? `the lower bound of its score's interval is ${m.ci.score ? m.ci.score[0].toFixed(3) : 'unknown'} (score ${m.score === null ? 'none' : m.score.toFixed(3)}, ${plural(m.tasks, 'task')})` : `scored ${m.score === null ? 'nothing' : m.score.toFixed(3)}`;
      io.stderr(`editscope replay: ${m.model}${gate === 'lower' ? ':' : ''} ${what}, below --min-score ${minScore}\n`);
    }
    return below.length || ungraded.length ? 1 : 0;
  },
};

function formatText(set: string, tasks: number, models: ModelScore[], minScore: number | undefined, gate: 'score' | 'lower', below: ModelScore[]): string {
  const head = ['model', 'graded', 'scope', 'irrelevant', 'style', 'reference', 'exact', 'tests', 'score'];
  const rows = models.map((m) => [
    m.model, `${m.tasks}/${tasks}`, pctCi(m.scopeScore, m.ci.scopeScore), pctCi(m.irrelevantEditRate, m.ci.irrelevantEditRate), pctCi(m.styleScore, m.ci.styleScore),
    numCi(m.referenceScore, m.ci.referenceScore, 3), pctCi(m.referenceExactRate, m.ci.referenceExactRate), pctCi(m.testPassRate, m.ci.testPassRate), numCi(m.score, m.ci.score, 3),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ').trimEnd();
  const out = [`Replayed ${set}: ${plural(tasks, 'task')}; 95% intervals in brackets`, '', line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const resumed = models.filter((m) => m.resumed);
  if (resumed.length) out.push('', `Resumed from earlier runs in the log: ${resumed.map((m) => `${m.model} ${m.resumed}`).join(', ')}`);
  if (minScore !== undefined) out.push('', `Minimum score ${minScore}${gate === 'lower' ? ' (gated on the interval\'s lower bound)' : ''}: ${below.length ? 'missed' : 'met by every model'}`);
  return out.join('\n') + '\n';
}
