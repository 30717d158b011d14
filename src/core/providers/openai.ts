import type OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { runChatBatch, type BatchAnswer, type BatchOptions, type BatchRequest } from './chatBatch';
import type { ProviderConfig } from './config';
import { loadedOpenaiSdk, loadOpenaiSdk } from './sdk';
import { sleep } from './sleep';
import { usageOf } from './usage';
import { answerOf, chatBody, finishReasonOf } from './chatWire';
import { ProviderError, type ChatProvider, type ChatRequest, type ChatResponse, type CompleteOptions, type ModelPrice } from './chatProvider';
import { MAX_RETRIES, RETRY_BASE_MS } from '../defaults';
import { errorKindOfStatus, isRetried, statusWording } from '../task/errorKinds';

const OPENAI_URL = 'https://api.openai.com/v1';
/** A server asking us to wait longer than this is treated as a refusal, not a pause. */
const MAX_RETRY_AFTER_MS = 60_000;
const quiet = () => undefined;
const SILENT = { error: quiet, warn: quiet, info: quiet, debug: quiet };

/**
 * An OpenAI-compatible Chat Completions endpoint through the real `openai` SDK, streaming.
 * Retries live here rather than in the SDK so each result can say how many it took and a
 * cancelled request stops waiting at once; the SDK's own retries are off.
 */
export class OpenAIProvider implements ChatProvider {
  readonly id: string;
  private client: OpenAI | undefined;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;

  constructor(
    private readonly config: ProviderConfig,
    private readonly apiKey: string | undefined,
  ) {
    this.id = config.id;
    this.maxRetries = config.maxRetries ?? MAX_RETRIES;
    this.retryBaseMs = config.retryBaseMs ?? RETRY_BASE_MS;
  }

  price(model: string): ModelPrice | undefined {
    return this.config.prices?.[model];
  }

  private async getClient(): Promise<OpenAI> {
    if (this.client) return this.client;
    const baseURL = this.config.baseUrl ?? OPENAI_URL;
    // Local servers (Ollama, vLLM, LM Studio) take any key; OpenAI and Azure need a real one.
    if (!this.apiKey && /(^|\.)openai\.com$|\.azure\.com$/.test(new URL(baseURL).hostname)) {
      const where = this.config.apiKeyEnv ? `set ${this.config.apiKeyEnv}` : 'set an API key';
      throw new ProviderError('auth', `No API key for provider "${this.id}": ${where}`);
    }
    const common = {
      apiKey: this.apiKey || 'none',
      maxRetries: 0,
      // Timeouts are the caller's (one AbortSignal per model); the SDK's 10 minutes stays a backstop.
      defaultHeaders: this.config.headers,
      // The SDK's own logging (OPENAI_LOG=debug prints raw stream chunks, which may quote the
      // key) would bypass the redaction every line we print goes through: off whatever the
      // environment says. What went wrong reaches the user as the result's error.
      logLevel: 'off' as const,
      logger: SILENT,
    };
    const sdk = await loadOpenaiSdk();
    this.client = this.config.apiVersion
      ? new sdk.AzureOpenAI({ ...common, endpoint: baseURL, apiVersion: this.config.apiVersion })
      : new sdk.OpenAI({ ...common, baseURL });
    return this.client;
  }

  /** Many requests at once through the Batch API (see runChatBatch). */
  async completeBatch(requests: readonly BatchRequest[], opts: BatchOptions = {}): Promise<Map<string, BatchAnswer>> {
    try {
      return await runChatBatch(await this.getClient(), requests, opts);
    } catch (err) {
      throw toProviderError(err, opts.signal ?? new AbortController().signal);
    }
  }

  async complete(req: ChatRequest, opts: CompleteOptions): Promise<ChatResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.stream(req, opts);
        return { ...res, retries: attempt };
      } catch (err) {
        const e = toProviderError(err, opts.signal);
        const wait = retryDelay(e, err, attempt, this.retryBaseMs);
        if (attempt >= this.maxRetries || wait === undefined || opts.signal.aborted) {
          if (attempt > 0) e.message += ` (after ${attempt} ${attempt === 1 ? 'retry' : 'retries'})`;
          e.retries = attempt;
          throw e;
        }
        opts.onRetry?.({ retry: attempt + 1, maxRetries: this.maxRetries, error: { kind: e.kind, message: e.message }, delayMs: Math.round(wait) });
        await sleep(wait, opts.signal);
      }
    }
  }

  private async stream(req: ChatRequest, opts: { signal: AbortSignal; onText?: (delta: string) => void }): Promise<Omit<ChatResponse, 'retries'>> {
    const started = performance.now();
    if (this.config.stream === false) return this.whole(req, opts.signal);
    const { data: stream, response } = await (await this.getClient()).chat.completions
      .create(
        { ...chatBody(req), stream: true, stream_options: { include_usage: true } },
        { signal: opts.signal },
      )
      .withResponse();
    let text = '';
    let ttftMs: number | null = null;
    let finish: ChatResponse['finishReason'] = null;
    let usage: ChatResponse['usage'] = null;
    let chunks = 0;
    for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
      chunks++;
      const choice = chunk.choices?.[0];
      const delta = choice?.delta?.content;
      if (typeof delta === 'string' && delta) {
        if (ttftMs === null) ttftMs = Math.round(performance.now() - started);
        text += delta;
        opts.onText?.(delta);
      }
      if (choice?.finish_reason) finish = finishReasonOf(choice.finish_reason);
      if (chunk.usage) usage = usageOf(chunk.usage);
    }
    // The SDK ends a stream quietly when it is aborted: a stall cut off by the time limit, or
    // Ctrl+C, is not an answer (the caller tells the two apart).
    if (opts.signal.aborted) throw new ProviderError('cancelled', 'Cancelled');
    // An HTML error page (a proxy, a login wall) with status 200 parses as a stream of nothing.
    if (chunks === 0) {
      const type = response.headers.get('content-type') ?? 'no content type';
      throw new ProviderError('server', `Not a stream: the server answered a streaming request with ${type.split(';')[0]} (status ${response.status})`, response.status);
    }
    // Every OpenAI-compatible server ends an answer with a finish reason; a stream that closes
    // without one was broken off (a proxy, a crashed server), and what came is not the answer.
    if (finish === null) throw new ProviderError('server', 'The stream broke off before the answer was finished (no finish reason)');
    return { text, finishReason: finish, usage, ttftMs };
  }

  private async whole(req: ChatRequest, signal: AbortSignal): Promise<Omit<ChatResponse, 'retries'>> {
    const res = await (await this.getClient()).chat.completions.create(chatBody(req), { signal });
    const choice = res.choices?.[0];
    if (!choice) throw new ProviderError('server', 'The response has no choices');
    return answerOf(choice, res.usage);
  }
}

/** Maps the SDK's errors onto the kinds every result and the eval log use. */
export function toProviderError(err: unknown, signal: AbortSignal): ProviderError {
  if (err instanceof ProviderError) return err;
  const sdk = loadedOpenaiSdk();
  if (signal.aborted || (sdk && err instanceof sdk.APIUserAbortError)) return new ProviderError('cancelled', 'Cancelled');
  if (sdk && err instanceof sdk.APIConnectionTimeoutError) return new ProviderError('timeout', 'The request timed out');
  if (sdk && err instanceof sdk.APIConnectionError) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return new ProviderError('network', `Cannot reach the endpoint: ${cause?.code ?? cause?.message ?? err.message}`);
  }
  if (sdk && err instanceof sdk.APIError) {
    const status = err.status ?? 0;
    // The SDK's message starts with the status, which the kind and our prefix already say.
    const detail = err.message.replace(/^\d{3}\s+/, '').replace(/\s+/g, ' ').slice(0, 300);
    const kind = errorKindOfStatus(status);
    return new ProviderError(kind, `${statusWording(kind)} (${status || 'stream'}): ${detail}`, status || undefined);
  }
  // A body that is not JSON or a stream that breaks mid-way: the server's fault, not the model's.
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError('server', `Unreadable response: ${message.slice(0, 300)}`);
}

/** How long to wait before retrying, or undefined when the error is not worth a retry. */
export function retryDelay(e: ProviderError, raw: unknown, attempt: number, baseMs: number): number | undefined {
  if (!isRetried(e.kind, e.status)) return undefined;
  const sdk = loadedOpenaiSdk();
  const headers = sdk && raw instanceof sdk.APIError ? raw.headers : undefined;
  const asked = retryAfterMs(headers);
  if (asked !== undefined) return asked <= MAX_RETRY_AFTER_MS ? asked : undefined;
  const backoff = baseMs * 2 ** attempt;
  return Math.min(backoff * (0.75 + Math.random() * 0.5), 30_000);
}

/** `retry-after-ms` (OpenAI, Azure) or `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const ra = headers.get('retry-after');
  if (ra === null) return undefined;
  const seconds = Number(ra);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
