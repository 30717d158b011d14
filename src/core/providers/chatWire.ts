import type { ErrorKind } from '../task/editTask';
import type { ChatRequest, ChatResponse } from './chatProvider';
import { usageOf } from './usage';

/**
 * The Chat Completions wire format, both ways, for every path that speaks it (a streamed or
 * whole request, a Batch API line), so a request means the same and an answer or a failed
 * status reads the same however it was sent.
 */
export function chatBody(req: ChatRequest): { model: string; messages: ChatRequest['messages']; temperature?: number; max_tokens?: number } {
  return {
    model: req.model,
    messages: req.messages,
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    ...(req.maxTokens !== undefined ? { max_tokens: req.maxTokens } : {}),
  };
}

/** `stop` and `length` are kept (`length` means cut off); any other reason is `other`, none is null. */
export function finishReasonOf(raw: string | null | undefined): ChatResponse['finishReason'] {
  return raw === 'stop' || raw === 'length' ? raw : raw ? 'other' : null;
}

/** A non-streamed answer's first choice and usage as a response. */
export function answerOf(
  choice: { message?: { content?: string | null }; finish_reason?: string | null } | undefined,
  usage: unknown,
): Omit<ChatResponse, 'retries'> {
  const content = choice?.message?.content;
  return { text: typeof content === 'string' ? content : '', finishReason: finishReasonOf(choice?.finish_reason), usage: usageOf(usage), ttftMs: null };
}

/** The kind of a failed HTTP status, as every result and the eval log classify it. */
export function errorKindOfStatus(status: number): ErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limit';
  if (status === 408) return 'timeout';
  // The request itself was refused (a bad parameter, a prompt too long for the model): not
  // the server failing, and not worth a retry.
  if (status >= 400 && status < 500) return 'request';
  return 'server';
}
