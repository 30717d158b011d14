import type * as vscode from 'vscode';
import type { Secrets } from '../core/redact';

const WRITES = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

/**
 * The output channel with every key in use redacted from what is written to it: a server's
 * error quoting the key, a stack trace holding a URL. Keys join `secrets` as they are read
 * from SecretStorage, so one named nothing like a key is covered too.
 */
export function redactingLog<T extends Pick<vscode.LogOutputChannel, 'info'>>(channel: T, secrets: Secrets): T {
  const clean = (v: unknown) => (typeof v === 'string' ? secrets.redact(v) : v instanceof Error ? secrets.redact(v.stack ?? v.message) : v);
  return new Proxy(channel, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      if (typeof prop === 'string' && WRITES.has(prop)) return (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args.map(clean));
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
