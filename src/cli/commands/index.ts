import type { Command } from './command';
import { checkCommand } from './check';
import { compareCommand } from './compare';
import { evalsetCommand } from './evalset';
import { editCommand } from './edit';
import { exportCommand } from './export';
import { localityCommand } from './locality';
import { replayCommand } from './replay';
import { reportCommand } from './report';
import { trustCommand } from './trust';
import { verdictCommand } from './verdict';

/** Every `editscope` command, in the order `editscope --help` lists them. */
export const commands: Command[] = [checkCommand, editCommand, localityCommand, verdictCommand, reportCommand, compareCommand, exportCommand, replayCommand, evalsetCommand, trustCommand];
