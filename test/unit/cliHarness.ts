import { runCli } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/commands/command';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `editscope` in-process with captured output, as a user's shell would see it. */
export async function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? process.env,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
