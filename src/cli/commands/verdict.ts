import { appendVerdict, readLog } from '../../core/log/evalLog';
import { ACCEPTED } from '../../core/log/records';
import { InputError } from '../../core/io/inputError';
import { choice, required, UsageError } from '../args';
import type { Command } from './command';
import { logPathOf, printWarnings } from './logOption';

export const verdictCommand: Command = {
  name: 'verdict',
  summary: "Record whether a model's edit was accepted: all, only its in-scope hunks, or none",
  help: `Usage: editscope verdict <taskId> --model <id> --accepted all|in-scope|none [--log <path>]

Appends a verdict record for one model's result on a task in the eval log
(default .editscope/evals.jsonl). The task must be in the log and the model among its results.
`,
  options: { model: { value: true }, accepted: { value: true }, log: { value: true } },
  async run(args, io) {
    const [taskId, extra] = args.positionals;
    if (!taskId) throw new UsageError('give the task id: editscope verdict <taskId> --model <id> --accepted all|in-scope|none');
    if (extra) throw new UsageError(`unexpected argument "${extra}"`);
    const model = required(args, 'model');
    if (args.values.get('accepted') === undefined) throw new UsageError('--accepted is required (all, in-scope or none)');
    const accepted = choice(args, 'accepted', ACCEPTED, 'none');
    const logPath = logPathOf(args, io);
    let models: string[] | null = null;
    const { warnings } = readLog(logPath, {
      onRecord: (r) => {
        if (r.kind === 'task' && r.id === taskId) models = r.results.map((x) => x.model);
      },
    });
    printWarnings(io, logPath, warnings);
    const found = models as string[] | null;
    if (!found) throw new InputError(`no task ${taskId} in ${logPath}`);
    if (!found.includes(model)) throw new InputError(`task ${taskId} has no result from ${model} (it has: ${found.join(', ')})`);
    await appendVerdict(logPath, { taskId, model, accepted });
    io.stdout(`Recorded: ${model} on ${taskId}: accepted ${accepted}\n`);
    return 0;
  },
};
