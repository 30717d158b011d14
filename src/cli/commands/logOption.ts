import * as path from 'node:path';
import type { LogWarning } from '../../core/log/evalLog';
import { SETTING_DEFAULTS } from '../../core/defaults';
import { one, type ParsedArgs } from '../args';
import type { CliIO } from './command';

/** `--log <path>`, relative to the current folder, defaulting to the workspace log. */
export function logPathOf(args: ParsedArgs, io: CliIO): string {
  return path.resolve(io.cwd, one(args, 'log') || SETTING_DEFAULTS.logPath);
}

/** Skipped lines are worth knowing about but never fatal. */
export function printWarnings(io: CliIO, logPath: string, warnings: readonly LogWarning[]): void {
  const shown = warnings.slice(0, 20);
  for (const w of shown) io.stderr(`editscope: warning: ${logPath} ${w.message}\n`);
  if (warnings.length > shown.length) io.stderr(`editscope: warning: ${warnings.length - shown.length} more lines of ${logPath} skipped\n`);
}
