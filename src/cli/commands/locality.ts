import * as path from 'node:path';
import { SETTING_DEFAULTS } from '../../core/defaults';
import { InputError } from '../../core/errors';
import { readTextFile } from '../../core/io/readText';
import { workspacePath } from '../../core/log/evalLog';
import { autoContext, type AutoContext } from '../../core/locality/autoContext';
import { dependsOn } from '../../core/locality/dependsOn';
import { WorkspaceFs } from '../../core/locality/workspaceFs';
import { localityOf, type Dependency } from '../../core/task/editTask';
import { splitLines } from '../../core/text/lines';
import { plural } from '../../core/text/plural';
import { choice, positiveNumber, required, UsageError, type ParsedArgs } from '../args';
import type { CliIO, Command } from './command';
import { parseRange } from './check';

export const localityCommand: Command = {
  name: 'locality',
  summary: "Show a region's locality, what it depends on and what --context auto would send, without a model",
  help: `Usage: editscope locality --file <path> --range <start>-<end> [--context-budget <n>] [--format text|json]

Computes what \`editscope edit\` computes before it calls a model, and calls none: the region's
locality (cross-file when the lines use names other files of the workspace, the current folder,
define; else local), the files and names it depends on (dependsOn), and what \`--context auto\`
would send within the budget: each file whole or as line spans, with its size in characters,
and the dependencies it would leave out and why.

Options:
  --file <path>          the file the region is in
  --range <a>-<b>        the region (1-based, inclusive lines)
  --context-budget <n>   tokens --context auto may send (default ${SETTING_DEFAULTS.contextBudgetTokens})
  --format text|json     text (default) for people; json is one object for tools:
                         {file, range, locality, dependsOn: [{file, symbols}],
                          context: {budgetTokens, characters, files: [{file, lines, characters}],
                          skipped: [{file, reason}]}}; lines is null for a whole file

Exit status: 0 printed, 2 bad usage or input (a missing file, a range outside it).
`,
  options: {
    file: { value: true },
    range: { value: true },
    'context-budget': { value: true },
    format: { value: true },
  },
  async run(args, io) {
    return printLocality(args, io);
  },
};

/** What `locality` prints, and `edit --dry-run` too: the same arguments mean the same thing in both. */
export function printLocality(args: ParsedArgs, io: CliIO): number {
  const filePath = path.resolve(io.cwd, required(args, 'file'));
  const range = parseRange(required(args, 'range'));
  const format = choice(args, 'format', ['text', 'json'] as const, 'text');
  const budgetTokens = Math.floor(positiveNumber(args, 'context-budget', SETTING_DEFAULTS.contextBudgetTokens));
  if (args.positionals.length) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const text = readTextFile(filePath, 'file');
  const shown = workspacePath(filePath, io.cwd);
  const lines = splitLines(text).lines.length;
  if (range.end > Math.max(lines, 1)) throw new InputError(`range ${range.start}-${range.end} is outside ${shown}, which has ${plural(lines, 'line')}`);
  // One file system for both steps: the files dependsOn read are not read again.
  const fs = new WorkspaceFs(path.resolve(io.cwd));
  const deps = dependsOn({ root: io.cwd, file: filePath, text, range, fs });
  const context = autoContext(deps, { root: io.cwd, budgetTokens, fs, selection: { text, range } });
  const report = localityReport(shown, range, deps, context, budgetTokens);
  io.stdout(format === 'json' ? JSON.stringify(report) + '\n' : localityText(report));
  return 0;
}

interface LocalityReport {
  file: string;
  range: { start: number; end: number };
  locality: 'local' | 'cross-file';
  dependsOn: Dependency[];
  context: {
    budgetTokens: number;
    characters: number;
    files: Array<{ file: string; lines: { start: number; end: number } | null; characters: number }>;
    skipped: Array<{ file: string; reason: string }>;
  };
}

function localityReport(file: string, range: LocalityReport['range'], deps: Dependency[], context: AutoContext, budgetTokens: number): LocalityReport {
  const files = context.files.map((f) => ({ file: f.path, lines: f.lines ?? null, characters: f.text.length }));
  return {
    file,
    range,
    // Computed as edit's task does: a locality here is the locality the log would record.
    locality: localityOf({ dependsOn: deps, editFiles: [] }) as LocalityReport['locality'],
    dependsOn: deps,
    context: { budgetTokens, characters: files.reduce((n, f) => n + f.characters, 0), files, skipped: context.skipped },
  };
}

function localityText(r: LocalityReport): string {
  const out = [`${r.file} lines ${r.range.start}-${r.range.end}: ${r.locality}`];
  if (!r.dependsOn.length) out.push('  depends on no other file of the workspace');
  for (const d of r.dependsOn) out.push(`  depends on ${d.file}${d.symbols.length ? ` (${d.symbols.join(', ')})` : ''}`);
  if (r.dependsOn.length) {
    out.push(`--context auto would send ${plural(r.context.characters, 'character')} (budget ${r.context.budgetTokens} tokens):`);
    if (!r.context.files.length) out.push('  nothing');
    for (const f of r.context.files) out.push(`  ${f.file} ${f.lines ? `lines ${f.lines.start}-${f.lines.end}` : 'whole'}, ${plural(f.characters, 'character')}`);
    for (const s of r.context.skipped) out.push(`  not sent: ${s.file} (${s.reason})`);
  }
  return out.join('\n') + '\n';
}
