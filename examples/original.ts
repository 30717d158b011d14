import { readFile } from 'node:fs/promises';

export interface RetryOptions {
  attempts: number;
  delayMs: number;
}

// Waits before the next attempt; kept separate so tests can stub it.
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function withRetry<T>(task: () => Promise<T>, options: RetryOptions): Promise<T> {
  if (options.attempts < 1) {
    throw new Error('attempts must be at least 1');
  }
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      return await task();
    } catch (error) {
      lastError = error;
      await sleep(options.delayMs);
    }
  }
  throw lastError;
}

export async function readConfig(path: string): Promise<Record<string, unknown>> {
  const text = await readFile(path, 'utf8');
  return JSON.parse(text) as Record<string, unknown>;
}

export function describeOptions(options: RetryOptions, unit = 'ms'): string {
  return `${options.attempts} attempts, ${options.delayMs} ${unit} apart`;
}
