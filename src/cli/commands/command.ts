import type { Secrets } from '../../core/redact';
import type { OptionSpec } from '../args';

/** Where a command writes; tests pass their own to capture output. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Colour the text output (a terminal, and NO_COLOR unset). */
  color?: boolean;
  /** Aborted on Ctrl+C, so running requests stop and partial results still print. */
  signal?: AbortSignal;
  /** Every secret in use; set by runCli, which redacts them from all output. Commands add the keys they load. */
  secrets?: Secrets;
}

export interface Command {
  name: string;
  summary: string;
  /** Full help text, shown by `editscope <command> --help`. */
  help: string;
  options: Record<string, OptionSpec>;
  /** Returns the process exit code. Throw UsageError for bad usage (exit 2). */
  run(args: import('../args').ParsedArgs, io: CliIO): Promise<number>;
}
