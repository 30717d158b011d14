import type { ErrorKind, Usage } from '../task/editTask';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  /** The model name as the provider knows it (without the `provider/` prefix). */
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
}

export interface ChatResponse {
  text: string;
  /** `length` means the output was cut off (an error of kind `truncated` for an edit). */
  finishReason: 'stop' | 'length' | 'other' | null;
  usage: Usage | null;
  /** Time to first token, when the provider streamed. */
  ttftMs: number | null;
  /** How many times the request was retried (429, 5xx, connection errors). */
  retries: number;
}

/** A failed attempt about to be retried: what failed and how long until the next try. */
export interface RetryNotice {
  /** The retry about to be made: 1 for the first. */
  retry: number;
  maxRetries: number;
  error: { kind: ErrorKind; message: string };
  delayMs: number;
}

/** What a provider is told besides the request: when to stop, and where to report progress. */
export interface CompleteOptions {
  signal: AbortSignal;
  onText?: (delta: string) => void;
  onRetry?: (notice: RetryNotice) => void;
}

export interface ModelPrice {
  /** US dollars per million input tokens. */
  inputPerMTok: number;
  outputPerMTok: number;
}

/**
 * Anything that can answer a chat request: an OpenAI-compatible endpoint through the
 * `openai` SDK (core), or the editor's own models through `vscode.lm` (extension layer).
 */
export interface ChatProvider {
  readonly id: string;
  complete(req: ChatRequest, opts: CompleteOptions): Promise<ChatResponse>;
  price?(model: string): ModelPrice | undefined;
}

/** A failed request, classified so callers and the eval log can tell faults apart. */
export class ProviderError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly status?: number,
    /** How many times the request was retried before it failed for good. */
    public retries = 0,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
