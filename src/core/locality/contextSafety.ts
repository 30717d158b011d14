import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isInsideRelative, readRegularFile, realOrNearest } from '../io/readText';
import { keyShapedValues, REDACTED } from '../redact';

/**
 * What may be sent to a model as context. A dependency's file is chosen by the code, not by
 * the person, so a file that holds credentials must never become context because the
 * selection imports one name from it: env files, key and certificate files, and whatever the
 * workspace's `.editscope/ignore` (gitignore syntax) or its `.gitignore` files exclude (a
 * local settings file, generated output) are never sent.
 */
const SECRET_FILES: ReadonlyArray<{ test: (name: string) => boolean; reason: string }> = [
  { test: (n) => /^\.env(\..*)?$/i.test(n) || /\.env$/i.test(n), reason: 'an env file, which holds secrets' },
  {
    test: (n) => /\.(pem|key|p8|p12|pfx|crt|cer|der|csr|jks|keystore|kdbx|ppk|gpg|asc|ovpn)$/i.test(n) || /^id_(rsa|dsa|ecdsa|ed25519)(?!\.pub$)/.test(n),
    reason: 'a key or certificate file',
  },
  { test: (n) => /^(\.npmrc|\.pypirc|\.netrc|_netrc|\.pgpass|\.htpasswd|\.git-credentials|credentials(\.json)?|secrets?\.(json|ya?ml|toml))$/i.test(n), reason: 'a credentials file' },
];

/** Folders that hold credentials (remote URLs with tokens, SSH and cloud keys). */
const SECRET_FOLDERS = new Set(['.git', '.ssh', '.aws', '.gnupg', '.docker', '.kube', '.azure', '.gcloud']);

/** Ignore files are small; a larger one is not read. */
const MAX_IGNORE_BYTES = 256 * 1024;

export class ContextPolicy {
  private readonly rules = new Map<string, Ignore | null>();

  constructor(readonly root: string) {}

  /**
   * Why the file (workspace-relative, `/`-separated) is never sent, or null when it may be.
   * Rules are read from `.editscope/ignore` and from every `.gitignore` between the root and
   * the file, each applying to the paths below its folder.
   */
  refusal(file: string): string | null {
    const named = this.refusalOfPath(file);
    if (named) return named;
    // A link inside the workspace is judged by what it leads to too: `src/config.ts` may be `.env`.
    const real = realOrNearest(path.resolve(this.root, file));
    const rel = path.relative(realOrNearest(this.root), real).split(path.sep).join('/');
    if (rel !== file && isInsideRelative(rel)) {
      const target = this.refusalOfPath(rel);
      if (target) return `a link to ${rel}, ${target}`;
    }
    return null;
  }

  private refusalOfPath(file: string): string | null {
    const rel = file.split(/[\\/]+/).filter((p) => p && p !== '.').join('/');
    const name = rel.split('/').pop() ?? '';
    for (const s of SECRET_FILES) if (s.test(name)) return s.reason;
    const dir = rel.split('/').slice(0, -1).find((d) => SECRET_FOLDERS.has(d));
    if (dir) return `inside ${dir}, which holds credentials`;
    // The workspace's rules say nothing of a file outside it.
    if (!rel || path.isAbsolute(file) || rel.split('/').includes('..')) return null;
    if (this.ruleAt('.editscope', 'ignore')?.ignores(rel)) return 'excluded by .editscope/ignore';
    const parts = rel.split('/');
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const rules = this.ruleAt(dir, '.gitignore');
      if (rules?.ignores(parts.slice(i).join('/'))) return `excluded by ${dir ? `${dir}/` : ''}.gitignore`;
    }
    return null;
  }

  private ruleAt(dir: string, file: string): Ignore | null {
    const key = `${dir}\0${file}`;
    if (!this.rules.has(key)) {
      let rules: Ignore | null = null;
      try {
        rules = ignore().add(readRegularFile(path.join(this.root, dir, file), 'ignore file', MAX_IGNORE_BYTES).toString('utf8'));
      } catch {
        rules = null;
      }
      this.rules.set(key, rules);
    }
    return this.rules.get(key)!;
  }
}

/** A name that says it holds a secret: a word of it is key, token, secret, password and the like. */
const SECRET_WORD = /^(?:api_?key|apikey|key|keys|secret|secrets|token|tokens|password|passwd|passphrase|pwd|pass|credential|credentials|auth|private_?key|access_?key|client_?secret|dsn|salt)$/i;

function secretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return words.some((w) => SECRET_WORD.test(w)) || SECRET_WORD.test(name.replace(/[^A-Za-z0-9]/g, ''));
}

/**
 * `NAME = "value"`, `NAME: "value"`, `"NAME": "value"` and `NAME := "value"` where the name says
 * it is a secret and the value is a literal string: the value's span.
 */
const ASSIGNMENT = /(?:^|[\s,{(;])(['"]?)([A-Za-z_$][\w$.-]*)\1[ \t]*(?::[ \t]*[\w.[\], |]+?[ \t]*(?==))?(?::=|=|:)[ \t]*(?:[A-Za-z]?(['"`]))((?:(?!\3)[^\\\n]|\\.){4,})\3/gm;

function secretAssignments(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const m of text.matchAll(ASSIGNMENT)) {
    if (!secretName(m[2])) continue;
    const value = m[4];
    // A reference to another setting or the environment is not a secret itself.
    if (/^\$\{?[\w.]+\}?$|^\{\{.*\}\}$|^<.*>$|^(changeme|xxx+|\*+|your[-_ ].*|todo|none|null|test)$/i.test(value.trim())) continue;
    const end = m.index! + m[0].length - 1;
    out.push({ start: end - value.length, end });
  }
  return out;
}

/** Whether the text assigns a literal to a secret-looking name, or holds a key-shaped value. */
export function holdsSecrets(text: string): boolean {
  return secretAssignments(text).length > 0 || keyShapedValues(text).length > 0;
}

/** The text with the values of secret-looking assignments and every key-shaped value replaced. */
export function redactSecrets(text: string): string {
  let out = '';
  let at = 0;
  for (const s of secretAssignments(text)) {
    out += text.slice(at, s.start) + REDACTED;
    at = s.end;
  }
  out += text.slice(at);
  for (const v of keyShapedValues(out)) out = out.split(v).join(REDACTED);
  return out;
}

/**
 * What the context picker says of a file before it is sent: why it will not be, or that only
 * the definitions used will be, values redacted. Null when it goes as it is.
 */
export function contextWarning(policy: ContextPolicy, file: string, read: (file: string) => string | null): string | null {
  const refusal = policy.refusal(file);
  if (refusal) return `never sent: ${refusal}`;
  const text = read(file);
  return text !== null && holdsSecrets(text) ? 'holds secret-looking values: only the definitions used are sent, values redacted' : null;
}
