/**
 * Keys never reach the log. Records are built only from the task and the results (no request
 * headers), but a server may echo a key back in an error message, so every string written is
 * also scrubbed of the values of key-shaped environment variables and of any secrets passed in.
 */
export const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSW|CREDENTIAL)/i;
/** Short or purely numeric values would match ordinary text; no real key is either. */
const MIN_LENGTH = 8;

export const REDACTED = '[redacted]';

export function secretValues(env: NodeJS.ProcessEnv, extra: readonly string[] = []): string[] {
  const out = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value && SECRET_NAME.test(name)) out.add(value.trim());
  }
  for (const v of extra) if (v) out.add(v.trim());
  return [...out].filter((v) => v.length >= MIN_LENGTH && !/^[\d.]+$/.test(v)).sort((a, b) => b.length - a.length);
}

/** A function replacing every secret in a string; null when there is nothing to hide. */
export function redactor(env: NodeJS.ProcessEnv, extra: readonly string[] = []): ((text: string) => string) | null {
  const secrets = secretValues(env, extra);
  if (!secrets.length) return null;
  return (text) => {
    let out = text;
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  };
}
