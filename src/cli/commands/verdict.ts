import * as path from 'node:path';
import { appliedOutput, indexVerdicts } from '../../core/evalset/fromLog';
import { InputError } from '../../core/errors';
import { readTextFile } from '../../core/io/readText';
import { appendRetention, appendVerdict, readLog } from '../../core/log/evalLog';
import { ACCEPTED, isApplied, type TaskRecord } from '../../core/log/records';
import { keptRegionText, linesOf, measureRetention } from '../../core/log/retention';
import { pctWhole } from '../../core/report/format';
import { choice, one, required, UsageError } from '../args';
import type { Command } from './command';
import { logPathOf, printWarnings } from './logOption';
import { SETTING_DEFAULTS } from '../../core/defaults';

// `picked` names hunks ticked in the editor's review; by hand there are no ticks to name.
const BY_HAND = ACCEPTED.filter((a) => a !== 'picked');

export const verdictCommand: Command = {
  name: 'verdict',
  summary: "Record what became of a model's edit: applied (all or in-scope), rejected, undone, and what you kept of it",
  help: `Usage: editscope verdict <taskId> --model <id> --accepted all|in-scope|none|reverted [--kept <file>] [--log <path>]

Appends a verdict record for one model's result on a task in the eval log
(default ${SETTING_DEFAULTS.logPath}). The task must be in the log and the model among its results.
The latest verdict for a result counts:
  all        the whole edit was applied
  in-scope   only its in-scope hunks were applied
  none       it was rejected
  reverted   it was applied, then undone

Options:
  --kept <file>   the edited file as you kept it (after editing it yourself): records how
                  many of the applied lines are still there and the region's text now, which
                  exports then use as the reference answer. Needs --accepted all or in-scope
                  (default: the result's latest verdict).
  --log <path>    the eval log (default ${SETTING_DEFAULTS.logPath})

Exit status: 0 recorded, 2 bad usage, an unknown task or model, or an unreadable log.
`,
  options: { model: { value: true }, accepted: { value: true }, kept: { value: true }, log: { value: true } },
  async run(args, io) {
    const [taskId, extra] = args.positionals;
    if (!taskId) throw new UsageError('give the task id: editscope verdict <taskId> --model <id> --accepted all|in-scope|none|reverted');
    if (extra) throw new UsageError(`unexpected argument "${extra}"`);
    const model = required(args, 'model');
    const keptFile = one(args, 'kept');
    if (keptFile === '') throw new UsageError('--kept needs the path of the edited file');
    if (args.values.get('accepted') === undefined && keptFile === undefined) throw new UsageError(`--accepted is required (${BY_HAND.join(', ')})`);
    const given = args.values.get('accepted') === undefined ? undefined : choice(args, 'accepted', BY_HAND, 'none');
    const logPath = logPathOf(args, io);
    let task: TaskRecord | null = null;
    const { warnings } = readLog(logPath, {
      onRecord: (r) => {
        if (r.kind === 'task' && r.id === taskId) task = r;
      },
    });
    printWarnings(io, logPath, warnings);
    const found = task as TaskRecord | null;
    if (!found) throw new InputError(`no task ${taskId} in ${logPath}`);
    const result = found.results.find((x) => x.model === model);
    if (!result) throw new InputError(`task ${taskId} has no result from ${model} (it has: ${found.results.map((x) => x.model).join(', ')})`);

    if (keptFile === undefined) {
      await appendVerdict(logPath, { taskId, model, accepted: given! });
      io.stdout(`Recorded: ${model} on ${taskId}: ${given}\n`);
      return 0;
    }
    const latest = given ? { accepted: given } : indexVerdicts(logPath).get(taskId)?.get(model);
    const accepted = latest?.accepted;
    if (!latest || !isApplied(accepted)) throw new UsageError(`--kept needs --accepted all or in-scope (${model} on ${taskId} has ${accepted ? `the verdict ${accepted}` : 'no verdict yet'})`);
    if (!result.ok || result.output === null) throw new InputError(`${model} has no edit on ${taskId} to have kept`);
    const keptPath = path.resolve(io.cwd, keptFile);
    const current = readTextFile(keptPath);
    const applied = appliedOutput(found, result, latest);
    const kept = keptRegionText(found.windowText, applied, current);
    if (!kept) throw new InputError(`cannot find the edited lines of ${found.file} in ${keptPath}: the lines around them are no longer there`);
    const off = found.window.start - 1;
    const { region } = kept;
    const measured = measureRetention(linesOf(found.windowText, region.start, region.originalEnd), linesOf(applied, region.start, region.appliedEnd), kept.text);
    if (given) await appendVerdict(logPath, { taskId, model, accepted: given });
    await appendRetention(logPath, {
      taskId,
      model,
      accepted,
      checkpoint: 'cli',
      elapsedMs: null,
      region: { start: region.start + off, end: region.originalEnd + off },
      ...measured,
      text: kept.text,
    });
    const share = measured.kept === null ? 'no whole line changed' : `${measured.keptLines} of ${measured.appliedLines} applied lines kept (${pctWhole(measured.kept)})`;
    io.stdout(`Recorded: ${model} on ${taskId}: ${accepted}; ${share}\n`);
    return 0;
  },
};
