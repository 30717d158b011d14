import { analyze } from '../analysis/analyze';
import { filesFromAnswer, type FileEdit } from '../prompt/multiFile';
import type { EditorConfigProps } from '../analysis/analysisTypes';
import { buildPrompt, type BuiltPrompt, type EditFormat } from '../prompt/build';
import { editedFromAnswer } from '../prompt/answer';
import { maskSecrets, type MaskedPrompt } from '../prompt/secretMask';
import { resolveModel, type ProviderMap } from '../providers/registry';
import { timerMs } from '../timers';
import { ProviderError, type ChatProvider, type ChatResponse, type RetryNotice } from '../providers/chatProvider';
import type { EditError, EditTask, FileResult, ModelResult } from '../task/editTask';
import { SETTING_DEFAULTS } from '../defaults';
import { runPooled } from '../pool';
import { markSupporting } from '../relevance/supporting';

export type ProgressState = 'queued' | 'running' | 'retrying' | 'streaming' | 'done';

export interface ProgressEvent {
  model: string;
  state: ProgressState;
  /** Characters received so far while streaming. */
  received?: number;
  /** While streaming: the text that just arrived (a retry starts over, and says so with `retrying`). */
  delta?: string;
  /** While retrying: the attempt that failed and when the next one starts. */
  retry?: RetryNotice;
  result?: ModelResult;
}

export interface RunOptions {
  providers: ProviderMap;
  /** Cancels every model at once. */
  signal?: AbortSignal;
  /** Each model's own limit, retries included. */
  timeoutMs?: number;
  /** How many requests are in flight at once (default: all). */
  concurrency?: number;
  editFormat?: EditFormat;
  contextLines?: number;
  temperature?: number;
  maxTokens?: number;
  editorConfig?: EditorConfigProps;
  /**
   * The text of a workspace file a multi-file answer writes to that the task did not let
   * the model change (null when there is none): needed to show what it changed there.
   */
  readOther?: (path: string) => string | null;
  /** Keys in use, hidden from the prompt with those of the environment (see secretMask.ts). */
  secrets?: readonly string[];
  onProgress?: (e: ProgressEvent) => void;
}


/**
 * Sends one task to every model in parallel. Each model has its own timeout and its own
 * error; nothing one model does disturbs another. Results come back in the order asked.
 */
export async function runModels(task: EditTask, models: readonly string[], opts: RunOptions): Promise<ModelResult[]> {
  const names = [...new Set(models.map((m) => m.trim()).filter(Boolean))];
  const prompt = buildPrompt(task, { format: opts.editFormat, contextLines: opts.contextLines });
  const masked = maskSecrets(prompt.messages, process.env, opts.secrets);
  for (const model of names) opts.onProgress?.({ model, state: 'queued' });
  const results: ModelResult[] = new Array(names.length);
  await runPooled(names.length, opts.concurrency ?? names.length, async (i) => {
    results[i] = await runOne(task, names[i], prompt, masked, opts);
    opts.onProgress?.({ model: names[i], state: 'done', result: results[i] });
  });
  return results;
}

async function runOne(task: EditTask, name: string, prompt: BuiltPrompt, masked: MaskedPrompt, opts: RunOptions): Promise<ModelResult> {
  const base = resultBase(name, prompt, opts);
  let provider: ChatProvider;
  let model: string;
  try {
    ({ provider, model } = resolveModel(name, opts.providers));
  } catch (err) {
    return failed(base, '', { kind: 'not-found', message: (err as Error).message }, 0);
  }
  if (opts.signal?.aborted) return failed(base, provider.id, { kind: 'cancelled', message: 'Cancelled before it started' }, 0);

  const controller = new AbortController();
  const timeoutMs = opts.timeoutMs ?? SETTING_DEFAULTS.requestTimeoutSeconds * 1000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timerMs(timeoutMs));
  const onCancel = () => controller.abort();
  opts.signal?.addEventListener('abort', onCancel, { once: true });
  opts.onProgress?.({ model: name, state: 'running' });
  const started = performance.now();
  let received = 0;
  // What has arrived, kept so a stopped or broken answer can still be read.
  const streamed: string[] = [];
  try {
    const res = await provider.complete(
      { model, messages: masked.messages, temperature: opts.temperature, maxTokens: opts.maxTokens },
      {
        signal: controller.signal,
        onText: (delta) => {
          received += delta.length;
          streamed.push(delta);
          opts.onProgress?.({ model: name, state: 'streaming', received, delta });
        },
        onRetry: (retry) => {
          // A retried stream starts over: what the failed attempt sent is not part of the answer.
          received = 0;
          streamed.length = 0;
          opts.onProgress?.({ model: name, state: 'retrying', retry });
        },
      },
    );
    return resultFromResponse(task, prompt, base, provider, model, { ...res, text: masked.unmask(res.text) }, Math.round(performance.now() - started), opts.editorConfig, opts.readOther);
  } catch (err) {
    const latencyMs = Math.round(performance.now() - started);
    let error: EditError;
    if (timedOut) error = { kind: 'timeout', message: `No complete answer within ${formatSeconds(timeoutMs)}` };
    else if (opts.signal?.aborted) error = { kind: 'cancelled', message: 'Cancelled' };
    else if (err instanceof ProviderError) error = { kind: err.kind, message: err.message };
    else error = { kind: 'server', message: err instanceof Error ? err.message : String(err) };
    const result = failed(base, provider.id, error, latencyMs, err instanceof ProviderError ? err.retries : 0);
    return streamed.length ? { ...result, raw: streamed.join('') } : result;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCancel);
  }
}

/** What every result of this prompt records, whatever became of the request. */
export function resultBase(name: string, prompt: BuiltPrompt, opts: Pick<RunOptions, 'temperature' | 'maxTokens'>): Pick<ModelResult, 'model' | 'promptTemplate' | 'window' | 'parameters'> {
  const parameters: Record<string, unknown> = { editFormat: prompt.format };
  if (opts.temperature !== undefined) parameters.temperature = opts.temperature;
  if (opts.maxTokens !== undefined) parameters.maxTokens = opts.maxTokens;
  return { model: name, promptTemplate: prompt.template, window: prompt.window, parameters };
}

/**
 * A model's answer as a result: parsed (a malformed or truncated answer is an error, never
 * an edit), spliced into the whole file, analysed, and priced. Interactive and batch runs share it.
 */
export function resultFromResponse(
  task: EditTask,
  prompt: BuiltPrompt,
  base: Pick<ModelResult, 'model' | 'promptTemplate' | 'window' | 'parameters'>,
  provider: ChatProvider,
  model: string,
  res: ChatResponse,
  latencyMs: number,
  editorConfig?: EditorConfigProps,
  readOther?: (path: string) => string | null,
): ModelResult {
  const price = provider.price?.(model);
  const costUsd = res.usage && price ? (res.usage.inputTokens * price.inputPerMTok + res.usage.outputTokens * price.outputPerMTok) / 1e6 : null;
  const common = { ...base, provider: provider.id, latencyMs, ttftMs: res.ttftMs, usage: res.usage, costUsd, raw: res.text, retries: res.retries };
  if (task.editFiles.length) {
    const input = { target: { path: task.file, original: task.original, window: prompt.window }, editFiles: task.editFiles, readOther: readOther ?? (() => null) };
    const out = filesFromAnswer(input, prompt.format, res.text, res.finishReason);
    if (!out.ok) return { ...common, ok: false, error: out.error, edited: null, analysis: null };
    const files = out.files.map((f) => analyseFile(task, f, editorConfig));
    markSupporting(files);
    return { ...common, ok: true, error: null, edited: files[0].edited, analysis: files[0].analysis, files };
  }
  const out = editedFromAnswer(task.original, prompt.window, prompt.format, res.text, res.finishReason, task.file, task.range);
  if (!out.ok) return { ...common, ok: false, error: out.error, edited: null, analysis: null };
  const analysis = analyze(task.original, out.edited, { fileName: task.file, ranges: [task.range], editorConfig, instruction: task.instruction });
  const file: FileResult = { file: task.file, role: 'target', original: task.original, edited: out.edited, exists: true, analysis };
  markSupporting([file]);
  return { ...common, ok: true, error: null, edited: out.edited, analysis, files: [file] };
}

/**
 * One file of a multi-file answer analysed as \`check\` would: the target against its
 * selection, an editable file against its range (or wholly in scope), and any other file
 * with every hunk out of scope, however small.
 */
export function analyseFile(task: Pick<EditTask, 'range' | 'editFiles' | 'instruction'>, f: FileEdit, editorConfig?: EditorConfigProps): FileResult {
  const editRange = f.role === 'edit' ? task.editFiles.find((e) => e.path === f.path)?.range : null;
  const ranges = f.role === 'target' ? [task.range] : editRange ? [editRange] : [];
  const analysis = analyze(f.original, f.edited, { fileName: f.path, ranges, editorConfig, instruction: task.instruction });
  if (f.role === 'other') {
    const reason = f.exists ? 'in a file the task did not let the model change' : 'in a file the model invented';
    analysis.hunks = analysis.hunks.map((h) => ({ ...h, scope: 'out', reason }));
    analysis.outOfScopeHunks = analysis.hunks.length;
  }
  return { file: f.path, role: f.role, original: f.original, edited: f.edited, exists: f.exists, analysis };
}

export function failed(base: Pick<ModelResult, 'model' | 'promptTemplate' | 'window' | 'parameters'>, provider: string, error: EditError, latencyMs: number, retries = 0): ModelResult {
  return { ...base, provider, ok: false, error, latencyMs, ttftMs: null, usage: null, costUsd: null, edited: null, raw: null, analysis: null, retries };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
