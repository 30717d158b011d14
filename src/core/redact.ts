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
  const secrets = new Secrets(env, extra);
  return secrets.values.length ? (text) => secrets.redact(text) : null;
}

/**
 * The secrets of one run, growing as keys come into use (a provider's key may sit in a
 * variable whose name says nothing of keys). Every line printed and every record logged is
 * passed through `redact`.
 */
export class Secrets {
  private list: string[] = [];

  constructor(env: NodeJS.ProcessEnv = {}, extra: readonly string[] = []) {
    this.add(...secretValues(env, extra));
  }

  add(...values: ReadonlyArray<string | undefined>): void {
    const next = new Set(this.list);
    for (const v of values) {
      const t = v?.trim();
      if (!t || t.length < MIN_LENGTH || /^[\d.]+$/.test(t)) continue;
      next.add(t);
      // As it appears inside JSON output, when the key holds a character JSON escapes, and as
      // a server quoting a URL or form body would echo it (a key with / + = and the like).
      for (const form of [JSON.stringify(t).slice(1, -1), encodeURIComponent(t)]) if (form !== t) next.add(form);
    }
    this.list = [...next].sort((a, b) => b.length - a.length);
  }

  get values(): readonly string[] {
    return this.list;
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.list) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }
}

/**
 * Text safe to print to a terminal: C0 and C1 control characters (escape sequences that
 * move the cursor, retitle the window, rewrite the clipboard, or a lone carriage return that
 * overwrites a line) are dropped, and so are the bidirectional overrides and isolates that show
 * text in another order than it is (`gnp.exe` for `exe.png`); tabs and line breaks stay. With
 * `keepColor`, the SGR colour sequences the text report paints with stay too.
 */
export function terminalSafe(text: string, keepColor = false): string {
  if (!/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(text)) return text;
  const parts = keepColor ? text.split(/(\x1b\[[0-9;]*m)/) : [text];
  return parts
    .map((p, i) => (i % 2 === 1 && isPaint(p) ? p : p.replace(/\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, '')))
    .join('');
}

/**
 * A colour sequence of the kind the text report paints with: reset, bold, dim and foreground
 * colours. Text a server or a log holds can carry SGR sequences too, and concealed, inverted,
 * blinking or black-on-black text would hide or fake what is printed.
 */
function isPaint(seq: string): boolean {
  const params = seq.slice(2, -1).split(';');
  return params.every((n) => /^(0|1|2|22|39|3[1-7]|9[1-7])$/.test(n));
}

/**
 * Keys with a shape of their own, found in any text whatever variable they came from: the
 * providers' API keys, cloud and code-host tokens. keyShapedValues adds private key blocks
 * and the password of a URL (`postgres://user:password@host`: the password alone).
 */
export const KEY_SHAPES: readonly RegExp[] = [
  /\bsk-(?:proj-|ant-(?:api\d\d-)?|or-v1-|svcacct-)?[A-Za-z0-9_-]{20,}/g,
  /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g,
  /\bhf_[A-Za-z0-9]{30,}\b/g,
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bgsk_[A-Za-z0-9]{40,}\b/g,
  /\bAccountKey=[A-Za-z0-9+/=]{40,}/g,
];
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@'"`]+:)([^\s@'"`/]+)(@)/gi;

const KEY_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g;
const KEY_END = /-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g;

/**
 * Private key blocks, BEGIN to the next END, found in one pass (a lazy regex would scan to the
 * end of the text from every unclosed BEGIN).
 */
function privateKeyBlocks(text: string): string[] {
  const out: string[] = [];
  KEY_BEGIN.lastIndex = 0;
  for (let m = KEY_BEGIN.exec(text); m; m = KEY_BEGIN.exec(text)) {
    KEY_END.lastIndex = m.index + m[0].length;
    const end = KEY_END.exec(text);
    if (!end) break;
    out.push(text.slice(m.index, end.index + end[0].length));
    KEY_BEGIN.lastIndex = end.index + end[0].length;
  }
  return out;
}

/** The key-shaped parts of a text (KEY_SHAPES, private key blocks, a URL's password), each once, longest first. */
export function keyShapedValues(text: string): string[] {
  const found = new Set<string>(privateKeyBlocks(text));
  for (const re of KEY_SHAPES) for (const m of text.matchAll(re)) found.add(m[0]);
  for (const m of text.matchAll(URL_PASSWORD)) if (m[2].length >= 3 && !/^\$\{?\w+\}?$/.test(m[2])) found.add(m[2]);
  return [...found].sort((a, b) => b.length - a.length);
}
