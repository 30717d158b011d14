import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { exclusionOf, type Exclusion } from './health';
import { InputError } from '../errors';
import { AtomicWriter, sameFile } from '../io/writeAtomic';
import type { LogWarning } from '../log/evalLog';
import type { ChatMessage } from '../providers/chatProvider';
import type { ResultRecord } from '../log/records';
import { appliedOutput, forEachLoggedTask, indexVerdicts, templateProblem, toEvalSetTask, type ExportFilter, type LoggedTask } from './fromLog';
import { normalizedLines } from './grade';
import { REFERENCE_JS, SCOPE_JS } from './promptfooAssertions';
import { gradeItemOf } from './gradeItem';
import { answerFor, messagesFor } from './prompt';
import { rftGrader, rftItem } from './rft';
import type { EvalSetTask } from './evalSetTask';
import { alias, anchored, toYaml } from './yaml';
import { keyStandIns } from '../prompt/secretMask';
import { DECODE_VARS_JS, displaySafe, encodeStrings, PROMPTFOO_PROMPT } from './promptfooLiteral';

export const EXPORT_FORMATS = ['evalset', 'promptfoo', 'openai-evals', 'sft', 'dpo', 'rft'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** The fine-tuning formats, which can hold back a share of their tasks for validation. */
export const SPLIT_FORMATS: readonly ExportFormat[] = ['sft', 'dpo', 'rft'];

/** Files written beside `<file>.jsonl`: `<file>.valid.jsonl`, `<file>.grader.json`. */
export function companionPath(out: string, suffix: '.valid.jsonl' | '.grader.json'): string {
  return out.replace(/\.jsonl$/i, '') + suffix;
}

export interface ExportOptions {
  filter?: ExportFilter;
  /** Where the logged files live, to recover a whole file when only a window was logged. */
  workspaceRoot?: string;
  /** A test command every evalset task carries (run by replay in a temporary folder). */
  test?: { command: string; timeoutSeconds: number } | null;
  onWarning?: (w: LogWarning) => void;
  /** Shown in the promptfoo config's description. */
  source?: string;
  /** Write nothing (leave any existing file alone) when no line would be written. */
  requireAny?: boolean;
  /** Leave out tasks every model of the last runs passes (saturated) or whose region is gone from the workspace (stale). */
  exclude?: readonly Exclusion[];
  /**
   * Fine-tuning formats: this share of the tasks (0 < share < 1) goes to `<file>.valid.jsonl`
   * instead (see ValidationSplit for which).
   */
  validation?: number;
}

export interface ExportSummary {
  format: ExportFormat;
  /** Tasks that passed the filters. */
  tasks: number;
  /** Lines (or promptfoo tests) written, validation lines included. */
  written: number;
  /** Of those, lines written to the validation file. */
  validation: number;
  /** Tasks left out because nothing was accepted (sft, openai-evals, dpo) or nothing rejected (dpo). */
  withoutReference: number;
  withoutRejected: number;
  /** Tasks left out because their prompt cannot be rebuilt by this version. */
  unknownTemplate: number;
  /** Tasks left out by --exclude, by why. */
  excluded: Record<Exclusion, number>;
}

/**
 * Writes the log's tasks in one of the export formats. The log is read twice (verdicts
 * first, since they follow their task) and the output is streamed to a temporary file that
 * replaces `outPath` only when complete, so a failed export never leaves half a file.
 */
export function exportLog(logPath: string, outPath: string, format: ExportFormat, opts: ExportOptions = {}): ExportSummary {
  checkExportTarget(logPath, outPath, format, opts);
  const index = indexVerdicts(logPath, opts.onWarning);
  const summary: ExportSummary = { format, tasks: 0, written: 0, validation: 0, withoutReference: 0, withoutRejected: 0, unknownTemplate: 0, excluded: { saturated: 0, stale: 0 } };
  const writer = new AtomicWriter(outPath, { root: opts.workspaceRoot });
  const split = opts.validation !== undefined ? new ValidationSplit(opts.validation) : null;
  const companions: AtomicWriter[] = [];
  try {
    const out: TaskOutput = {
      format,
      summary,
      writer,
      promptfoo: format === 'promptfoo' ? new PromptfooWriter(writer, opts.source ?? path.basename(logPath)) : null,
      // A line of a fine-tuning format: written now, or held until the split is known.
      emit: (taskId, value) => {
        if (split) split.add(taskId, JSON.stringify(value));
        else writer.line(value);
        summary.written++;
      },
    };
    const excluded = opts.exclude?.length ? exclusionOf(logPath, opts.exclude, opts.workspaceRoot ?? path.dirname(logPath)) : () => null;
    forEachLoggedTask(logPath, index, opts.filter ?? {}, (t) => {
      const why = excluded(t.record);
      if (why) summary.excluded[why]++;
      else writeTask(t, out, opts);
    });
    out.promptfoo?.finish();
    if (opts.requireAny && summary.written === 0) {
      writer.abort();
      return summary;
    }
    if (split) {
      const valid = new AtomicWriter(companionPath(outPath, '.valid.jsonl'), { root: opts.workspaceRoot });
      companions.push(valid);
      writeSplit(split, writer, valid, summary);
    }
    if (format === 'rft') {
      const grader = new AtomicWriter(companionPath(outPath, '.grader.json'), { root: opts.workspaceRoot });
      companions.push(grader);
      grader.write(JSON.stringify(rftGrader(), null, 2) + '\n');
    }
    for (const c of companions) c.commit();
    writer.commit();
  } catch (err) {
    writer.abort();
    for (const c of companions) c.abort();
    throw err;
  }
  return summary;
}

function checkExportTarget(logPath: string, outPath: string, format: ExportFormat, opts: ExportOptions): void {
  if (opts.validation !== undefined) {
    if (!SPLIT_FORMATS.includes(format)) throw new InputError(`a validation split applies to ${SPLIT_FORMATS.join(', ')} only`);
    if (!(opts.validation > 0 && opts.validation < 1)) throw new InputError(`the validation share must be between 0 and 1, e.g. 0.2 (got ${opts.validation})`);
  }
  // The files written beside the export are replaced as wholly as the export itself.
  const written = [outPath, ...(opts.validation !== undefined ? [companionPath(outPath, '.valid.jsonl')] : []), ...(format === 'rft' ? [companionPath(outPath, '.grader.json')] : [])];
  for (const file of written) if (sameFile(file, logPath)) throw new InputError(`${file} is the eval log itself; export to another file`);
}

/** Where one export's tasks go. */
interface TaskOutput {
  format: ExportFormat;
  summary: ExportSummary;
  writer: AtomicWriter;
  promptfoo: PromptfooWriter | null;
  emit: (taskId: string, value: unknown) => void;
}

/** One logged task in the export's format, or counted as left out with the reason. */
function writeTask(t: LoggedTask, out: TaskOutput, opts: ExportOptions): void {
  const { format, summary, writer } = out;
  summary.tasks++;
  if (templateProblem(t.record)) {
    summary.unknownTemplate++;
    return;
  }
  const exact = toEvalSetTask(t, { workspaceRoot: opts.workspaceRoot, test: opts.test });
  if (format === 'evalset') {
    // Replayed here, with keys hidden when sent: the task as it was.
    writer.line(exact);
    summary.written++;
    return;
  }
  // The other formats leave the machine: key-shaped values become stand-ins, the same in a
  // prompt, its answers and what they are graded against.
  const mask = keyStandIns(taskTexts(exact, t.record.results));
  const task = maskTask(exact, mask);
  if (out.promptfoo) {
    out.promptfoo.add(task, t.record.results);
    summary.written++;
    return;
  }
  if (!task.reference) {
    summary.withoutReference++;
    return;
  }
  if (format === 'rft') {
    out.emit(task.id, rftItem(task));
    return;
  }
  const messages = messagesFor(task);
  const ideal = answerFor(task, task.reference.output);
  if (format === 'openai-evals') {
    writer.line({ input: messages, ideal });
    summary.written++;
  } else if (format === 'sft') out.emit(task.id, { messages: [...messages, { role: 'assistant', content: ideal }] });
  else {
    const rejected = rejectedOutputs(t, exact);
    if (!rejected.length) {
      summary.withoutRejected++;
      return;
    }
    for (const r of rejected) out.emit(task.id, dpoLine(messages, ideal, answerFor(task, mask(r.output), r.files?.map((f) => ({ file: f.file, output: mask(f.output) })))));
  }
}

/** Every text of a task and its results that a key could be in. */
function taskTexts(t: EvalSetTask, results: readonly ResultRecord[]): string[] {
  return [
    t.instruction,
    t.windowText,
    t.original ?? '',
    t.reference?.output ?? '',
    ...t.contextFiles.map((c) => c.text),
    ...(t.editFiles ?? []).flatMap((f) => [f.text, f.reference ?? '']),
    ...results.flatMap((r) => [r.output ?? '', ...(r.files ?? []).map((f) => f.output)]),
  ];
}

function maskTask(t: EvalSetTask, mask: (s: string) => string): EvalSetTask {
  return {
    ...t,
    instruction: mask(t.instruction),
    windowText: mask(t.windowText),
    original: t.original === null ? null : mask(t.original),
    contextFiles: t.contextFiles.map((c) => ({ ...c, text: mask(c.text) })),
    ...(t.editFiles ? { editFiles: t.editFiles.map((f) => ({ ...f, text: mask(f.text), reference: f.reference === null ? null : mask(f.reference) })) } : {}),
    reference: t.reference ? { ...t.reference, output: mask(t.reference.output) } : null,
  };
}

/** The held lines, each to the training file or to the validation file. */
function writeSplit(split: ValidationSplit, writer: AtomicWriter, valid: AtomicWriter, summary: ExportSummary): void {
  for (const { line, validation } of split.lines()) {
    (validation ? valid : writer).write(line + '\n');
    if (validation) summary.validation++;
  }
}

/**
 * Which tasks are held back for validation: the tasks are ranked by the SHA-256 of their id
 * and the first round(share x tasks) go to validation, at least one and never all (both
 * files must have lines) once there are two tasks. The same log and filters always give
 * the same split, and all lines of a task (dpo pairs) fall on the same side, so no prompt
 * is in both files. Lines keep the log's order in each file.
 */
class ValidationSplit {
  /** Task id → its rank key. */
  private readonly tasks = new Map<string, string>();
  private readonly order: Array<{ id: string; line: string }> = [];

  constructor(private readonly share: number) {}

  add(taskId: string, line: string): void {
    if (!this.tasks.has(taskId)) this.tasks.set(taskId, createHash('sha256').update(taskId).digest('hex'));
    this.order.push({ id: taskId, line });
  }

  lines(): Array<{ line: string; validation: boolean }> {
    const n = this.tasks.size;
    const count = n < 2 ? 0 : Math.min(n - 1, Math.max(1, Math.round(this.share * n)));
    const ranked = [...this.tasks].sort((x, y) => (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
    const held = new Set(ranked.slice(0, count).map(([id]) => id));
    return this.order.map(({ id, line }) => ({ line, validation: held.has(id) }));
  }
}

/** OpenAI preference fine-tuning: the prompt, one preferred and one non-preferred assistant message. */
function dpoLine(messages: ChatMessage[], preferred: string, nonPreferred: string) {
  return {
    input: { messages },
    preferred_output: [{ role: 'assistant', content: preferred }],
    non_preferred_output: [{ role: 'assistant', content: nonPreferred }],
  };
}

/**
 * The outputs that lost to the reference: every result rejected outright or undone, and,
 * when the reference kept only a result's in-scope hunks or is the person's correction of
 * it, that result as the model gave it (and as it was applied).
 */
function rejectedOutputs(t: LoggedTask, task: EvalSetTask): Array<{ output: string; files?: Array<{ file: string; output: string }> }> {
  const ref = task.reference!;
  // A multi-file result is told apart by all its files, not the target alone.
  const filesOf = (r: ResultRecord) => (task.editFiles?.length ? (r.files ?? []).map((f) => ({ file: f.file, output: f.output })) : undefined);
  const key = (s: string, files?: Array<{ file: string; output: string }>) => [s, ...(files ?? []).flatMap((f) => [f.file, f.output])].map((x) => normalizedLines(x).join('\n')).join('\0');
  const refFiles = task.editFiles?.length ? task.editFiles.map((f) => ({ file: f.path, output: f.reference ?? f.text })).filter((f, i) => f.output !== task.editFiles![i].text) : undefined;
  const seen = new Set([key(ref.output, refFiles)]);
  const out: Array<{ output: string; files?: Array<{ file: string; output: string }> }> = [];
  const add = (r: ResultRecord, output = r.output!) => {
    const files = filesOf(r)?.filter((f) => f.output !== task.editFiles!.find((e) => e.path === f.file)?.text);
    const k = key(output, files);
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ output, files: filesOf(r) });
  };
  for (const r of t.record.results) {
    if (!r.ok || r.output === null) continue;
    const v = t.verdicts.get(r.model);
    if (r.model === ref.model && ref.kept) {
      add(r, appliedOutput(t.record, r, v!));
      add(r);
      // Only some hunks kept: the model's whole answer, the rejected hunks with the accepted, lost.
    } else if (r.model === ref.model && (ref.accepted === 'in-scope' || ref.accepted === 'picked')) add(r);
    else if (v?.accepted === 'none' || v?.accepted === 'reverted') add(r);
    else if ((v?.accepted === 'in-scope' || v?.accepted === 'picked') && r.model !== ref.model && appliedOutput(t.record, r, v) !== r.output) add(r);
  }
  return out;
}

/**
 * A promptfoo config: one prompt that sends each test's recorded messages, the models from
 * the log as providers, and per test the window and selection the assertions need. Scope
 * (nothing outside the selection changed) is checked on every test; a test with an accepted
 * edit also compares with it. The assertion code is written once and referenced after.
 */
class PromptfooWriter {
  private tests = 0;
  private referenceDefined = false;
  /** Model id in the log → the model's name at its provider. */
  private readonly models = new Map<string, string>();

  constructor(
    private readonly w: AtomicWriter,
    source: string,
  ) {
    w.write(
      [
        `# promptfoo config exported by Edit Scope from ${oneLine(source)}. Run it with: npx promptfoo@latest eval -c <this file>`,
        '# Each test sends exactly the messages the model was sent when the task was logged. Their text is',
        '# kept with every { written ~b (and ~ written ~t), so promptfoo\'s templating never runs or drops',
        '# code from the log; the prompt and the assertions turn it back. The providers',
        '# are the models in the log as OpenAI-compatible chat models; point one at another server with',
        '# config: {apiBaseUrl: ...} (e.g. http://localhost:11434/v1 for Ollama).',
        '',
      ].join('\n') + '\n',
    );
    w.write(
      toYaml({
        description: displaySafe(`Edit Scope eval set from ${source}`),
        prompts: [PROMPTFOO_PROMPT],
        defaultTest: { assert: [{ type: 'javascript', metric: 'scope', value: DECODE_VARS_JS + SCOPE_JS }] },
      }),
    );
    w.write('tests:\n');
  }

  add(t: EvalSetTask, results: ReadonlyArray<{ model: string; provider: string }>): void {
    for (const r of results) {
      if (!this.models.has(r.model)) this.models.set(r.model, r.provider && r.model.startsWith(r.provider + '/') ? r.model.slice(r.provider.length + 1) : r.model);
    }
    const first = t.ranges[0];
    const messages = messagesFor(t);
    if (messages.length !== 2) throw new Error(`the promptfoo prompt sends a system and a user message; task ${t.id} has ${messages.length}`);
    // What the assertions grade with (GradeItem): under `task`, not strings at the top level, which promptfoo would change.
    const vars = gradeItemOf(t);
    const test: Record<string, unknown> = {
      description: displaySafe(`${t.id} ${t.file}:${first.start}-${first.end} ${oneLine(t.instruction)}`),
      vars: encodeStrings({ messages: messages.map((m) => ({ role: m.role, content: m.content })), task: vars }),
    };
    if (t.reference) {
      const value = this.referenceDefined ? alias('reference_js') : anchored('reference_js', DECODE_VARS_JS + REFERENCE_JS);
      this.referenceDefined = true;
      test.assert = [{ type: 'javascript', metric: 'reference', value }];
    }
    test.metadata = { taskId: displaySafe(t.id), locality: t.locality, template: displaySafe(`${t.prompt.template.id} v${t.prompt.template.version}`) };
    // Written as "tests:" items one at a time: the document "x: [test]" less its first line.
    this.w.write(toYaml({ x: [test] }).split('\n').slice(1).join('\n'));
    this.tests++;
  }

  /** Providers come last: only now are all the models known. */
  finish(): void {
    if (!this.tests) this.w.write('  []\n');
    const providers = [...this.models].map(([label, model]) => ({ id: `openai:chat:${displaySafe(model)}`, label: displaySafe(label) }));
    this.w.write(toYaml({ providers }));
  }
}

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? line.slice(0, 79) + '…' : line;
}
