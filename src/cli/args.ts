/**
 * A small argument parser for the `editscope` commands: long options only, each either a
 * flag or taking one value, some repeatable. Unknown options are usage errors, so a typo
 * never silently changes what a command does.
 */
export class UsageError extends Error {}

export interface OptionSpec {
  /** Takes a value (`--x v` or `--x=v`); otherwise a boolean flag. */
  value?: boolean;
  repeat?: boolean;
  /** With `value`: the value may be left out (`--log` alone), giving ''. */
  optionalValue?: boolean;
}

export interface ParsedArgs {
  values: Map<string, string[]>;
  flags: Set<string>;
  positionals: string[];
}

export function parseArgs(argv: string[], spec: Record<string, OptionSpec>): ParsedArgs {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const opt = spec[name];
    if (!opt) throw new UsageError(`unknown option --${name}`);
    if (!opt.value) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    let v: string | undefined;
    if (eq >= 0) v = arg.slice(eq + 1);
    else if (opt.optionalValue && (argv[i + 1] === undefined || argv[i + 1].startsWith('--'))) v = '';
    else {
      v = argv[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
    }
    const list = values.get(name) ?? [];
    if (list.length > 0 && !opt.repeat) throw new UsageError(`--${name} given more than once`);
    list.push(v);
    values.set(name, list);
  }
  return { values, flags, positionals };
}

export function one(args: ParsedArgs, name: string): string | undefined {
  return args.values.get(name)?.[0];
}

export function required(args: ParsedArgs, name: string): string {
  const v = one(args, name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

export function many(args: ParsedArgs, name: string): string[] {
  return args.values.get(name) ?? [];
}

export function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const v = one(args, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${v}")`);
  }
  return v as T;
}

export function positiveNumber(args: ParsedArgs, name: string, fallback: number): number {
  const v = one(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number (got "${v}")`);
  return n;
}
