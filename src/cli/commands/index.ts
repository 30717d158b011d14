import type { Command } from './command';
import { checkCommand } from './check';

/** Every `editscope` command, in the order `editscope --help` lists them. */
export const commands: Command[] = [checkCommand];
