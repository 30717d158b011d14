import * as path from 'node:path';
import { evalSetHealth } from '../../core/evalset/health';
import { formatHealthText } from '../../core/evalset/healthFormat';
import { readEvalSet } from '../../core/evalset/read';
import type { LogWarning } from '../../core/log/evalLog';
import { SETTING_DEFAULTS } from '../../core/defaults';
import { choice, required, UsageError } from '../args';
import type { Command } from './command';
import { logPathOf, printWarnings } from './logOption';

export const evalsetCommand: Command = {
  name: 'evalset',
  summary: "An eval set's health: age, stale, saturated, separating and disputed tasks, and its shelf life",
  help: `Usage: editscope evalset health --set <path> [--log <path>] [--format text|json]

Reads the eval set, the workspace (the current folder) and the eval log, and reports:
  age          days since each task was recorded, and the median
  stale        tasks whose recorded region no longer exists in the workspace: the file is
               gone, or the lines the task was about are neither there as a block nor mostly
               there one by one
  saturated    tasks every model of the last runs passes (grade score >= 0.9; the last runs:
               the models whose latest grade on this set is within 90 days of the newest),
               and the share of the set they make
  separating   tasks some of those models pass and others fail
  disputed     tasks where the grader and the person's verdict disagree: the person kept the
               whole edit but it has out-of-scope hunks or style drift, or the person
               rejected or undid an edit the grader passed (misgraded, or ambiguous)
The summary line says when the set is past its shelf life (median age over 90 days, or more
than half its tasks saturated) and how many tasks the log holds that are newer than the
set's newest, with the export that would renew it.

Options:
  --set <path>         the eval set (JSONL, from editscope export --to evalset)
  --log <path>         the eval log with its grades and verdicts (default ${SETTING_DEFAULTS.logPath})
  --format text|json   text (default); json: {"tasks","medianAgeDays","models","stale","saturated",
                       "saturatedShare","separating","disputed","pastShelfLife","reasons","newerTasks",
                       "summary","taskHealth":[{"id","file","time","ageDays","stale","passes",
                       "saturated","separates","disputes"}]}

Exit status: 0 reported, 2 bad usage or an unreadable set.
`,
  options: { set: { value: true }, log: { value: true }, format: { value: true } },
  async run(args, io) {
    const [sub, ...rest] = args.positionals;
    if (sub !== 'health') throw new UsageError(sub === undefined ? 'name what to do: editscope evalset health --set <path>' : `unknown evalset command "${sub}" (try: health)`);
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const format = choice(args, 'format', ['text', 'json'] as const, 'text');
    const setArg = required(args, 'set');
    const setPath = path.resolve(io.cwd, setArg);
    const warnings: LogWarning[] = [];
    const set = readEvalSet(setPath, (w) => warnings.push(w));
    printWarnings(io, setPath, warnings);
    const health = evalSetHealth(set, { logPath: logPathOf(args, io), workspaceRoot: io.cwd });
    io.stdout(format === 'json' ? JSON.stringify(health) + '\n' : formatHealthText(health, setArg));
    return 0;
  },
};
