import * as path from 'node:path';
import { analyze } from '../../core/analysis/analyze';
import { hasFindings, toCheckJson } from '../../core/analysis/checkJson';
import { formatAnalysisText } from '../../core/analysis/formatText';
import type { LineRange } from '../../core/analysis/analysisTypes';
import { loadEditorConfig } from '../../core/io/editorconfig';
import { readTextFile } from '../../core/io/readText';
import { markSupporting } from '../../core/relevance/supporting';
import { choice, many, one, required, UsageError } from '../args';
import type { Command } from './command';

/** `10-20` or `10`; `option` names what gave it in an error (`--edit-file src/a.ts:0-2`). */
export function parseRange(text: string, option = '--range'): LineRange {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!m) throw new UsageError(`${option} must look like <start>-<end>, e.g. 10-20 (got "${text}")`);
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start < 1 || end < start) throw new UsageError(`${option === '--range' ? `--range ${text}` : option}: lines are 1-based and start must not be after end`);
  return { start, end };
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'Compare an edited file with its original: out-of-scope hunks and style drift',
  help: `Usage: editscope check --original <path> --edited <path> [--range <start>-<end> ...] [--format text|json]

Diffs the edited file against the original and reports:
  - hunks outside the target ranges (1-based, inclusive lines of the original);
    without --range the whole file is in scope and only style is checked;
  - style drift: what the edit introduced held against the original's own conventions
    (and .editorconfig beside the original): indent, quotes, semicolons, line-endings, bom,
    trailing-whitespace, final-newline, comments-removed, naming, placeholder
    (original lines replaced by a comment such as "... existing code ...") and fragment
    (the edit drops most of the target ranges, as an answer holding one method of a
    whole file does, and --instruction, when given, asks for no deletion).

Options:
  --original <path>   the file before the edit
  --edited <path>     the file after the edit
  --range <a>-<b>     a target region; repeat for several
  --instruction <t>   what the edit was asked to do: one that asks to delete, remove,
                      shorten or rewrite code makes dropped lines no fragment
  --format text|json  text (default) is a report for people; json is one object for tools
  --color             colour the text report (on by default in a terminal unless NO_COLOR is set)

Exit status: 0 no findings, 1 findings, 2 bad usage or unreadable input.
`,
  options: {
    original: { value: true },
    edited: { value: true },
    range: { value: true, repeat: true },
    instruction: { value: true },
    format: { value: true },
    color: {},
  },
  async run(args, io) {
    const originalPath = path.resolve(io.cwd, required(args, 'original'));
    const editedPath = path.resolve(io.cwd, required(args, 'edited'));
    const shownName = required(args, 'original');
    const format = choice(args, 'format', ['text', 'json'] as const, 'text');
    const ranges = many(args, 'range').map((r) => parseRange(r));
    if (args.positionals.length) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    const original = readTextFile(originalPath, 'original');
    const edited = readTextFile(editedPath, 'edited');
    const analysis = analyze(original, edited, { fileName: shownName, ranges, editorConfig: loadEditorConfig(originalPath), instruction: one(args, 'instruction') });
    markSupporting([{ file: shownName, role: 'target', original, edited, analysis }]);
    if (format === 'json') io.stdout(JSON.stringify(toCheckJson(analysis)) + '\n');
    else io.stdout(formatAnalysisText(analysis, { fileName: shownName, original, edited, color: args.flags.has('color') || !!io.color }));
    return hasFindings(analysis) ? 1 : 0;
  },
};
