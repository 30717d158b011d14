import type { EditorConfigProps } from '../analysis/analysisTypes';
import { maskSecrets, type MaskedPrompt } from '../prompt/secretMask';
import { buildPrompt, type BuiltPrompt, type EditFormat } from '../prompt/build';
import type { BatchOptions } from '../providers/chatBatch';
import { OpenAIProvider } from '../providers/openai';
import { resolveModel, type ProviderMap } from '../providers/registry';
import { ProviderError } from '../providers/chatProvider';
import { failed, resultBase, resultFromResponse, runModels } from './runModels';
import type { EditTask, ModelResult } from '../task/editTask';

export interface BatchItem {
  task: EditTask;
  format?: EditFormat;
  contextLines?: number;
  /** The models this task still needs. */
  models: readonly string[];
  /** For a multi-file task: the text of another file an answer writes to (see RunOptions). */
  readOther?: (path: string) => string | null;
}

export interface BatchRunOptions extends Pick<BatchOptions, 'pollMs' | 'signal'> {
  providers: ProviderMap;
  editorConfig?: EditorConfigProps;
  /** For models whose provider cannot batch (the editor's own models): the interactive limit. */
  timeoutMs?: number;
  onStatus?: (model: string, status: string, counts: { total: number; completed: number; failed: number }) => void;
  onWarning?: (message: string) => void;
  /** Keys in use, hidden from every prompt (see secretMask.ts). */
  secrets?: readonly string[];
}

/**
 * Every item's prompt to every model it needs, one Batch API job per model (the API takes
 * one model per batch). Results match runModels' one for one: the same parsing, analysis and
 * pricing, so a batch replay grades exactly as an interactive one. A model whose provider
 * has no Batch API is asked interactively instead, with a warning.
 */
export async function runModelsBatch(items: readonly BatchItem[], opts: BatchRunOptions): Promise<Map<EditTask, ModelResult[]>> {
  const prompts = new Map<EditTask, BuiltPrompt>(items.map((it) => [it.task, buildPrompt(it.task, { format: it.format, contextLines: it.contextLines })]));
  const masks = new Map<EditTask, MaskedPrompt>(items.map((it) => [it.task, maskSecrets(prompts.get(it.task)!.messages, process.env, opts.secrets)]));
  const byTask = new Map<EditTask, Map<string, ModelResult>>(items.map((it) => [it.task, new Map()]));
  const models = [...new Set(items.flatMap((it) => it.models))];
  await Promise.all(
    models.map(async (name) => {
      const wanting = items.filter((it) => it.models.includes(name));
      let resolved: ReturnType<typeof resolveModel>;
      try {
        resolved = resolveModel(name, opts.providers);
      } catch (err) {
        for (const it of wanting) byTask.get(it.task)!.set(name, failed(resultBase(name, prompts.get(it.task)!, {}), '', { kind: 'not-found', message: (err as Error).message }, 0));
        return;
      }
      const { provider, model } = resolved;
      if (!(provider instanceof OpenAIProvider)) {
        opts.onWarning?.(`${name}: provider ${provider.id} has no Batch API; asking it interactively`);
        for (const it of wanting) {
          const [r] = await runModels(it.task, [name], { providers: opts.providers, signal: opts.signal, timeoutMs: opts.timeoutMs, editFormat: it.format, contextLines: it.contextLines, editorConfig: opts.editorConfig, readOther: it.readOther, secrets: opts.secrets });
          byTask.get(it.task)!.set(name, r);
        }
        return;
      }
      const started = performance.now();
      const requests = wanting.map((it, i) => ({ customId: `${i}:${it.task.id}`, req: { model, messages: masks.get(it.task)!.messages } }));
      let answers: Awaited<ReturnType<OpenAIProvider['completeBatch']>>;
      try {
        answers = await provider.completeBatch(requests, { signal: opts.signal, pollMs: opts.pollMs, onStatus: (s, c) => opts.onStatus?.(name, s, c) });
      } catch (err) {
        const e = err instanceof ProviderError ? err : new ProviderError('server', String(err));
        for (const it of wanting) byTask.get(it.task)!.set(name, failed(resultBase(name, prompts.get(it.task)!, {}), provider.id, { kind: e.kind, message: e.message }, 0));
        return;
      }
      const latencyMs = Math.round(performance.now() - started);
      wanting.forEach((it, i) => {
        const prompt = prompts.get(it.task)!;
        const base = resultBase(name, prompt, {});
        base.parameters = { ...base.parameters, batch: true };
        const a = answers.get(requests[i].customId)!;
        byTask
          .get(it.task)!
          .set(name, a instanceof ProviderError ? failed(base, provider.id, { kind: a.kind, message: a.message }, latencyMs) : resultFromResponse(it.task, prompt, base, provider, model, { ...a, text: masks.get(it.task)!.unmask(a.text) }, latencyMs, opts.editorConfig, it.readOther));
      });
    }),
  );
  return new Map(items.map((it) => [it.task, it.models.map((m) => byTask.get(it.task)!.get(m)!)]));
}
