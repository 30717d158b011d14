import * as path from 'node:path';
import { toCheckJson } from '../../core/analysis/checkJson';
import { formatAnalysisText } from '../../core/analysis/formatText';
import { createTask } from '../../core/task/createTask';
import { planApply } from '../../core/edit/applyPlan';
import { runModels, type ProgressEvent } from '../../core/edit/runModels';
import type { ContextFile, EditableFile, EditTask, FileResult, ModelResult } from '../../core/task/editTask';
import { loadEditorConfig } from '../../core/io/editorconfig';
import { autoContext } from '../../core/locality/autoContext';
import { ContextPolicy, redactSecrets } from '../../core/locality/contextSafety';
import { dependsOn } from '../../core/locality/dependsOn';
import { InputError } from '../../core/errors';
import { writeFilesAllOrNothing } from '../../core/io/writeFiles';
import { readTextFile, readWorkspaceText } from '../../core/io/readText';
import { describeFsError, sameFile } from '../../core/io/writeAtomic';
import { checkLogTarget } from '../../core/log/append';
import { appendTaskRun, appendVerdict, workspacePath } from '../../core/log/evalLog';
import { SETTING_DEFAULTS } from '../../core/defaults';
import { EDIT_FORMATS } from '../../core/prompt/build';
import { loadProvidersConfig } from '../../core/providers/config';
import { createProviders, resolveModel } from '../../core/providers/registry';
import { choice, many, one, positiveNumber, required, UsageError, type ParsedArgs } from '../args';
import type { CliIO, Command } from './command';
import { parseRange } from './check';
import { printLocality } from './locality';
import { plural } from '../../core/text/plural';

export const editCommand: Command = {
  name: 'edit',
  summary: 'Send a region and an instruction to one or several models at once, and check each edit',
  help: `Usage: editscope edit --file <path> --range <start>-<end> --instruction <text> --model <id> [--model <id> ...]
                      [--context <path>|auto ...] [--edit-file <path>[:<a>-<b>] ...] [--log [<path>]]
                      [--apply <model> [--in-scope-only]] [--timeout <s>] [--format text|json]
       editscope edit --dry-run --file <path> --range <start>-<end> [--context auto] [--context-budget <n>] [--format text|json]

Sends the region of --file (1-based inclusive lines) and the instruction to every model in
parallel, then checks each model's edit as \`editscope check\` does: hunks outside the region
and style drift. --file is never written, unless --apply names a model.

The task's locality is computed from the code: the names the region uses that other files of
the workspace (the current folder) define, through TS/JS imports (relative, tsconfig paths
and baseUrl, workspace packages) and Python imports. It is cross-file when there are any
(listed as dependsOn), else local.

--edit-file makes the task multi-file: the model may also change that file (only lines
<a>-<b> of it when given). It answers with each file's path alone on the line before that
file's block. Each file is checked: the target against --range, an editable file against its
lines (or wholly in scope), and any other file it writes to is out of scope as a whole.

Models are \`provider/model\` for a provider in .editscope/config.json, or just \`model\` for the
default provider, which reads OPENAI_BASE_URL and OPENAI_API_KEY from the environment. A
folder's .editscope/config.json is used only once trusted (editscope trust --help).

Options:
  --file <path>          the file to edit
  --range <a>-<b>        the region to change
  --instruction <text>   what to do
  --model <id>           a model; repeat for several
  --context <path>       another file the model should see; repeat for several
  --context auto         send the definitions the region uses: small files whole, large
                         ones as the definitions' lines, within --context-budget
  --context-budget <n>   tokens --context auto may send (default ${SETTING_DEFAULTS.contextBudgetTokens}; explicit files count)
  --edit-file <p>[:a-b]  another file the model may change (the task is then multi-file); repeat
  --log <path>           append the task and results to the eval log (alone: ${SETTING_DEFAULTS.logPath})
  --timeout <s>          each model's limit in seconds, retries included (default ${SETTING_DEFAULTS.requestTimeoutSeconds})
  --concurrency <n>      requests in flight at once (default: all models)
  --edit-format <f>      whole (default: the model returns the whole file or window) or search-replace
  --context-lines <n>    lines around the region sent for a large file (default ${SETTING_DEFAULTS.contextWindowLines} each side)
  --config <path>        provider config (default: .editscope/config.json once trusted,
                         else your own config.json in your config folder)
  --apply <model>        write that model's edit to --file and the --edit-file files, all or
                         nothing (never a file the task did not let it change)
  --in-scope-only        with --apply: write only the in-scope hunks
  --format text|json     text (default) for people; json is one object for tools
  --color                colour the text report
  --dry-run              call no model: print what editscope locality prints for --file and
                         --range (locality, dependsOn, what --context auto would send)

Exit status: 0 every model returned a usable edit, 1 some model failed, 2 bad usage or input,
an untrusted config, or a log that could not be written (the results are printed first).
`,
  options: {
    file: { value: true },
    range: { value: true },
    instruction: { value: true },
    model: { value: true, repeat: true },
    context: { value: true, repeat: true },
    'context-budget': { value: true },
    'edit-file': { value: true, repeat: true },
    log: { value: true, optionalValue: true },
    timeout: { value: true },
    concurrency: { value: true },
    'edit-format': { value: true },
    'context-lines': { value: true },
    config: { value: true },
    apply: { value: true },
    'in-scope-only': {},
    format: { value: true },
    color: {},
    'dry-run': {},
  },
  async run(args, io) {
    if (args.flags.has('dry-run')) {
      // Nothing is sent: the options only a model run uses are not asked for.
      for (const o of ['instruction', 'model', 'edit-file', 'log', 'apply', 'in-scope-only', 'config', 'timeout', 'concurrency', 'edit-format', 'context-lines', 'color']) {
        if (args.flags.has(o) || one(args, o) !== undefined) throw new UsageError(`--dry-run prints the locality and the --context auto context only; leave out --${o}`);
      }
      if (many(args, 'context').some((c) => c !== 'auto')) throw new UsageError('--dry-run shows what --context auto would send; leave out --context <path>');
      return printLocality(args, io);
    }
    const filePath = path.resolve(io.cwd, required(args, 'file'));
    const range = parseRange(required(args, 'range'));
    const instruction = required(args, 'instruction');
    const models = many(args, 'model');
    if (!models.length) throw new UsageError('--model is required (repeat it for several models)');
    const format = choice(args, 'format', ['text', 'json'] as const, 'text');
    const editFormat = choice(args, 'edit-format', EDIT_FORMATS, 'whole');
    const timeoutMs = positiveNumber(args, 'timeout', SETTING_DEFAULTS.requestTimeoutSeconds) * 1000;
    const concurrency = one(args, 'concurrency') === undefined ? undefined : Math.ceil(positiveNumber(args, 'concurrency', 1));
    const contextLines = one(args, 'context-lines') === undefined ? undefined : Math.floor(positiveNumber(args, 'context-lines', SETTING_DEFAULTS.contextWindowLines));
    const applyModel = one(args, 'apply');
    if (applyModel !== undefined && !models.includes(applyModel)) throw new UsageError(`--apply ${applyModel} is not one of the --model values`);
    if (args.flags.has('in-scope-only') && applyModel === undefined) throw new UsageError('--in-scope-only needs --apply <model>');
    if (args.positionals.length) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    const logArg = one(args, 'log');
    const logPath = logArg === undefined ? undefined : path.resolve(io.cwd, logArg || SETTING_DEFAULTS.logPath);
    // A log that cannot take the results is refused before they are paid for.
    if (logPath) checkLogTarget(logPath);

    const providers = createProviders(loadProvidersConfig(io.cwd, one(args, 'config'), io.env), io.env, io.secrets);
    for (const m of models) resolveModel(m, providers);
    const original = readTextFile(filePath, 'file');
    const contextArgs = many(args, 'context');
    const budget = one(args, 'context-budget') === undefined ? undefined : Math.floor(positiveNumber(args, 'context-budget', SETTING_DEFAULTS.contextBudgetTokens));
    if (budget !== undefined && !contextArgs.includes('auto')) throw new UsageError('--context-budget needs --context auto');
    const { contextFiles, editFiles } = readTaskFiles(args, io, contextArgs, filePath);
    // The log is appended to: never one of the task's own files (a slip of --log would add a record to the code).
    for (const own of [filePath, ...[...contextFiles, ...editFiles].map((f) => path.resolve(io.cwd, f.path))]) {
      if (logPath && sameFile(logPath, own)) throw new UsageError(`--log ${logArg} is ${workspacePath(own, io.cwd)}, a file of the task; name another file`);
    }
    const deps = dependsOn({ root: io.cwd, file: filePath, text: original, range });
    if (contextArgs.includes('auto')) {
      // The editable files are shown anyway: not sent again as context, but counted.
      const auto = autoContext(deps, { root: io.cwd, budgetTokens: budget, alreadySent: [...contextFiles, ...editFiles], selection: { text: original, range } });
      contextFiles.push(...auto.files);
      for (const s of auto.skipped) io.stderr(`editscope edit: context: ${s.file} not sent (${s.reason})\n`);
    }
    const task = createTask({ file: workspacePath(filePath, io.cwd), original, range, instruction, contextFiles, dependsOn: deps, editFiles });

    const results = await runModels(task, models, {
      providers,
      signal: io.signal,
      timeoutMs,
      concurrency,
      editFormat,
      contextLines,
      editorConfig: loadEditorConfig(filePath),
      readOther: (p) => readWorkspaceText(io.cwd, p),
      secrets: io.secrets?.values,
      onProgress: format === 'text' ? progressLine(io) : undefined,
    });

    // The results are printed first: they were paid for, and a log that cannot be written must not lose them.
    if (format === 'json') io.stdout(JSON.stringify(toEditJson(task, results)) + '\n');
    else io.stdout(formatEditText(task, results, !!io.color || args.flags.has('color')));

    let code = results.every((r) => r.ok) ? 0 : 1;
    const logged = logPath ? await logOrSay(io, () => appendTaskRun(logPath, task, results, { workspaceRoot: io.cwd, source: 'cli', secrets: io.secrets?.values })) : true;
    if (applyModel !== undefined && !(await applyAndRecord(io, task, results, applyModel, args.flags.has('in-scope-only'), logged ? logPath : undefined))) code = 1;
    if (!logged) return 2;
    return code;
  },
};

/** The files named by --context (other than auto) and --edit-file, read in the order given. */
function readTaskFiles(args: ParsedArgs, io: CliIO, contextArgs: string[], target: string): { contextFiles: ContextFile[]; editFiles: EditableFile[] } {
  const policy = new ContextPolicy(io.cwd);
  const contextFiles: ContextFile[] = contextArgs
    .filter((c) => c !== 'auto')
    .map((c) => {
      const abs = path.resolve(io.cwd, c);
      const rel = workspacePath(abs, io.cwd);
      // Named by hand or not, a credentials file is never sent to a model.
      const refusal = policy.refusal(rel);
      if (refusal) throw new UsageError(`--context ${c} is ${refusal}; Edit Scope never sends it to a model`);
      return { path: rel, text: redactSecrets(readTextFile(abs, 'context file')) };
    });
  // Files are one file by what they are, not by the name given: a link to the target (or to
  // another editable file) would have Apply write it twice, the second write losing the first.
  const seen: string[] = [target];
  const editFiles: EditableFile[] = many(args, 'edit-file').map((spec) => {
    const m = /^(.*?)(?::(\d+)(?:-(\d+))?)?$/.exec(spec)!;
    if (!m[1]) throw new UsageError(`--edit-file needs a path (got "${spec}")`);
    const abs = path.resolve(io.cwd, m[1]);
    const same = seen.find((x) => sameFile(x, abs));
    if (same) {
      const is = same === abs ? `--edit-file ${m[1]} is` : `--edit-file ${m[1]} is ${workspacePath(same, io.cwd)} (through a link),`;
      throw new UsageError(same === target ? `${is} the file being edited; an editable file must be another one` : `${is} already an editable file; name each file once`);
    }
    seen.push(abs);
    const lines = m[2] === undefined ? null : parseRange(`${m[2]}-${m[3] ?? m[2]}`, `--edit-file ${spec}`);
    return { path: workspacePath(abs, io.cwd), text: readTextFile(abs, 'editable file'), range: lines };
  });
  return { contextFiles, editFiles };
}

/** --apply: writes the model's edit, and records the verdict when the run was logged. Returns whether it was applied. */
async function applyAndRecord(io: CliIO, task: EditTask, results: ModelResult[], model: string, inScopeOnly: boolean, logPath: string | undefined): Promise<boolean> {
  const applied = applyResult(io.cwd, results.find((r) => r.model === model)!, inScopeOnly, io);
  if (applied && logPath) await logOrSay(io, () => appendVerdict(logPath, { taskId: task.id, model, accepted: inScopeOnly ? 'in-scope' : 'all' }));
  return applied;
}

/** Runs a log write; a failure is one line on stderr (the results are already printed), and false. */
async function logOrSay(io: CliIO, write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (!(err instanceof InputError) && !(typeof e?.code === 'string' && e.syscall)) throw err;
    io.stderr(`editscope edit: not logged: ${err instanceof InputError ? err.message : `${e.syscall} ${e.path ?? ''}: ${describeFsError(e)}`}\n`);
    return false;
  }
}

function progressLine(io: CliIO): (e: ProgressEvent) => void {
  return (e) => {
    if (e.state === 'done' && e.result) {
      const r = e.result;
      io.stderr(`  ${r.model}: ${r.ok ? 'done' : r.error.kind} in ${(r.latencyMs / 1000).toFixed(1)} s\n`);
    }
  };
}

/** The `--format json` contract: the task, then one entry per model with the check JSON. */
export function toEditJson(task: EditTask, results: readonly ModelResult[]) {
  return {
    task: {
      id: task.id,
      file: task.file,
      range: task.range,
      instruction: task.instruction,
      locality: task.locality,
      dependsOn: task.dependsOn,
      contextFiles: [...new Set(task.contextFiles.map((c) => c.path))],
      editFiles: task.editFiles.map((f) => ({ file: f.path, range: f.range })),
    },
    results: results.map((r) => ({
      model: r.model,
      provider: r.provider,
      ok: r.ok,
      error: r.error,
      latencyMs: r.latencyMs,
      ttftMs: r.ttftMs,
      usage: r.usage,
      costUsd: r.costUsd,
      retries: r.retries,
      promptTemplate: r.promptTemplate,
      window: r.window,
      analysis: r.analysis ? toCheckJson(r.analysis) : null,
      files: (r.files ?? []).map((f) => ({ file: f.file, role: f.role, analysis: toCheckJson(f.analysis) })),
    })),
  };
}

function formatEditText(task: EditTask, results: readonly ModelResult[], color: boolean): string {
  const out: string[] = [
    `Task ${task.id}: ${task.file} lines ${task.range.start}-${task.range.end}, ${task.locality}`,
  ];
  if (task.dependsOn.length) out.push(`  depends on ${task.dependsOn.map((d) => `${d.file}${d.symbols.length ? ` (${d.symbols.join(', ')})` : ''}`).join(', ')}`);
  if (task.contextFiles.length) out.push(`  context sent: ${[...new Set(task.contextFiles.map((c) => c.path))].join(', ')}`);
  out.push('');
  const width = Math.max(...results.map((r) => r.model.length));
  for (const r of results) {
    const cols = [r.model.padEnd(width), `${(r.latencyMs / 1000).toFixed(1)} s`.padStart(7)];
    if (r.ok) {
      const count = (f: (x: FileResult) => number) => r.files.reduce((n, x) => n + f(x), 0);
      const hunks = count((x) => x.analysis.hunks.length);
      const out = count((x) => x.analysis.outOfScopeHunks);
      const style = count((x) => x.analysis.styleDrift.length);
      const changed = r.files.filter((x) => x.edited !== x.original).length;
      cols.push(`${hunks - out} in scope, ${out} out of scope, ${style} style${task.editFiles.length ? `, ${plural(changed, 'file')} changed` : ''}`);
    } else cols.push(`${r.error.kind}: ${r.error.message}`);
    if (r.usage) cols.push(`${r.usage.inputTokens}+${r.usage.outputTokens} tokens`);
    if (r.costUsd !== null) cols.push(`$${r.costUsd.toFixed(4)}`);
    out.push('  ' + cols.join('  '));
  }
  for (const r of results) {
    if (!r.ok) continue;
    out.push('', `── ${r.model} ──`);
    if (!task.editFiles.length) {
      out.push(formatAnalysisText(r.analysis, { fileName: task.file, original: task.original, edited: r.edited, color }).trimEnd());
      continue;
    }
    const changed = r.files.filter((f) => f.edited !== f.original);
    const role = (f: FileResult) => (f.role === 'other' ? (f.exists ? 'not editable: all out of scope' : 'a new file: all out of scope') : f.role);
    out.push(changed.map((f) => formatAnalysisText(f.analysis, { fileName: `${f.file} (${role(f)})`, original: f.original, edited: f.edited, color }).trimEnd()).join('\n\n') || 'No file changed.');
  }
  return out.join('\n') + '\n';
}

/**
 * Writes the chosen edit to the target and the editable files, all or nothing, only while
 * each still holds what the model saw; a file the task did not let the model change is
 * never written.
 */
function applyResult(root: string, r: ModelResult, inScopeOnly: boolean, io: CliIO): boolean {
  if (!r.ok) {
    io.stderr(`editscope edit: not applying ${r.model}: it has no usable edit (${r.error.kind})\n`);
    return false;
  }
  const plan = planApply(r.files, inScopeOnly ? 'in-scope' : 'all');
  if (!plan.ok) {
    io.stderr(`editscope edit: not applying ${r.model}: its answer ${plan.lazy.text}; --in-scope-only writes its other in-scope hunks\n`);
    return false;
  }
  const { lazy, notWritten: others } = plan;
  const writes = plan.files.filter((f) => f.text !== f.original).map((f) => ({ file: f.file, path: path.resolve(root, f.file), expected: f.original, text: f.text }));
  const { changed } = writeFilesAllOrNothing(writes);
  if (changed.length) {
    io.stderr(`editscope edit: not applying ${r.model}: ${changed.join(', ')} changed while the models were working; nothing was written\n`);
    return false;
  }
  const what = inScopeOnly ? `the in-scope hunks of ${r.model}'s edit` : `${r.model}'s edit`;
  io.stderr(writes.length ? `Applied ${what} to ${writes.map((w) => w.file).join(', ')}\n` : `${r.model}'s ${inScopeOnly ? 'in-scope edit' : 'edit'} changes nothing; nothing was written\n`);
  if (lazy) io.stderr(`Left out: ${lazy.where.length === 1 ? 'the hunk holding a placeholder comment' : 'the hunks holding placeholder comments'} (${lazy.where.join(', ')}); the code ${lazy.where.length === 1 ? 'it stands' : 'they stand'} for is kept\n`);
  if (others.length) io.stderr(`Not written: ${others.join(', ')} (the task did not let the model change ${others.length === 1 ? 'it' : 'them'})\n`);
  return true;
}
