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

