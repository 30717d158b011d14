import { parseArgs, UsageError } from './args';
import type { CliIO } from './commands/command';
import { commands } from './commands/index';
import { InputError } from '../core/errors';
import { describeFsError } from '../core/io/writeAtomic';
import { Secrets, terminalSafe } from '../core/redact';

const VERSION = '0.1.0';

function topHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'editscope: flag out-of-scope hunks and style drift in model edits, and build eval sets from them.',
    '',
    'Usage: editscope <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `editscope <command> --help` for a command\'s options.',
  ].join('\n');
}

/**
 * Runs one command line; returns the exit code (0 ok, 1 findings or failures, 2 bad usage,
 * input or file system, 3 a bug). Everything the command prints goes through one filter:
 * every secret in use is redacted and control characters (a server's or a log's escape
 * sequences) are dropped before they reach the terminal.
 */
export async function runCli(argv: string[], rawIo: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  const secrets = rawIo.secrets ?? new Secrets(rawIo.env);
  const keepColor = !!rawIo.color || rest.includes('--color');
  const safe = (t: string) => terminalSafe(secrets.redact(t), keepColor);
  const io: CliIO = { ...rawIo, secrets, stdout: (t) => rawIo.stdout(safe(t)), stderr: (t) => rawIo.stderr(safe(t)) };
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(topHelp() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout(VERSION + '\n');
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`editscope: unknown command "${name}" (try: ${commands.map((c) => c.name).join(', ')})\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help.trimEnd() + '\n');
    return 0;
  }
  try {
    const args = parseArgs(rest, command.options);
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError) {
      io.stderr(`editscope ${name}: ${err.message}\n`);
      return 2;
    }
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string' && typeof e.syscall === 'string') {
      io.stderr(`editscope ${name}: cannot ${e.syscall}${e.path ? ` ${e.path}` : ''}: ${describeFsError(e)}\n`);
      return 2;
    }
    io.stderr(`editscope ${name}: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return 3;
  }
}

if (require.main === module) {
  // `editscope ... | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());
  const io: CliIO = {
    signal: interrupt.signal,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    color: !!process.stdout.isTTY && !process.env.NO_COLOR,
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`editscope: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exitCode = 3;
    },
  );
}
