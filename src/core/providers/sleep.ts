import { ProviderError } from './chatProvider';

/** Waits, but stops the moment the signal aborts (a cancelled request should not linger in a backoff). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ProviderError('cancelled', 'Cancelled'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new ProviderError('cancelled', 'Cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A delay setTimeout can hold: past 2^31-1 ms Node fires it after 1 ms instead, so a limit of
 * "a very long time" (a set's timeoutSeconds of 1e7) would end every request or test at once.
 */
export function timerMs(ms: number): number {
  return Math.min(ms, 2 ** 31 - 1);
}
