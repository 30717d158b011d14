import type { ChatResponse } from './chatProvider';

/** The largest token count believed: no context window is near it, and a sum of many stays exact. */
const MAX_TOKENS = 1e9;

/**
 * A server's usage figures as numbers we can add and print: whole, not negative, not absurd.
 * Anything else (a string, which the HTML report would otherwise carry, a negative count,
 * 1e308) means no usage rather than a wrong one.
 */
export function usageOf(u: unknown): ChatResponse['usage'] {
  if (!u || typeof u !== 'object') return null;
  const { prompt_tokens: input, completion_tokens: output } = u as Record<string, unknown>;
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_TOKENS;
  return ok(input) && ok(output) ? { inputTokens: input, outputTokens: output } : null;
}
