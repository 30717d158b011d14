import * as path from 'node:path';
import { InputError } from '../errors';
import { readRegularFile } from '../io/readText';
import { trustState, userConfigPath } from './configTrust';
import type { ModelPrice } from './chatProvider';

/**
 * One OpenAI-compatible endpoint. The key is never stored here: `apiKeyEnv` names the
 * environment variable (CLI) and the extension keeps keys in SecretStorage by provider id.
 */
export interface ProviderConfig {
  id: string;
  /** e.g. https://api.openai.com/v1, http://localhost:11434/v1 (Ollama), http://localhost:1234/v1 (LM Studio). */
  baseUrl?: string;
  /** Name of the environment variable holding the key. Local servers need none. */
  apiKeyEnv?: string;
  /** Set for Azure OpenAI's versioned API (deployments named as models); the v1 API needs only baseUrl. */
  apiVersion?: string;
  models?: string[];
  prices?: Record<string, ModelPrice>;
  /** Extra request headers (never keys: use apiKeyEnv). */
  headers?: Record<string, string>;
  /** Streams by default; false for a server that cannot (no time to first token then). */
  stream?: boolean;
  /** Retries for 429, 5xx and connection errors (default MAX_RETRIES) and the first backoff in ms (default RETRY_BASE_MS). */
  maxRetries?: number;
  retryBaseMs?: number;
}

export const DEFAULT_PROVIDER_ID = 'openai';

/**
 * A provider as an `editscope.providers` setting holds it. The setting takes the fields the
 * editor lets a user write (keys live in SecretStorage, so no `apiKeyEnv`), with the base URL
 * spelt `baseURL` (the SDK's spelling) or `baseUrl` (the command line's config): left unread,
 * either would silently send the request, and the key, to OpenAI's default URL. `baseURL`
 * wins when both are given. Values are checked by validateProviders, as a config file's are.
 */
export function providerFromSetting(p: { id: string; baseURL?: unknown; baseUrl?: unknown; models?: unknown; prices?: unknown }): ProviderConfig {
  const baseUrl = p.baseURL !== undefined ? p.baseURL : typeof p.baseUrl === 'string' ? p.baseUrl : undefined;
  return { id: p.id, baseUrl, models: p.models, prices: p.prices } as ProviderConfig;
}
export const DEFAULT_CONFIG_PATH = '.editscope/config.json';
/** A provider config is a few lines; anything larger is not one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * The providers to use: the config named by `--config` (named explicitly, so trusted), else
 * the workspace's `.editscope/config.json` once trusted (see configTrust.ts), else the user's own
 * config; none of them means no extra providers. An untrusted or changed workspace config is
 * an error naming the way forward, raised before any request could be sent.
 */
export function loadProvidersConfig(cwd: string, configPath: string | undefined, env: NodeJS.ProcessEnv): ProviderConfig[] {
  if (configPath) {
    const file = path.resolve(cwd, configPath);
    return parseProvidersConfig(readConfig(file) ?? missing(file), file);
  }
  const workspace = path.resolve(cwd, DEFAULT_CONFIG_PATH);
  const bytes = readConfig(workspace);
  if (bytes) {
    const state = trustState(workspace, bytes, env);
    if (state !== 'trusted') {
      throw new InputError(
        `${DEFAULT_CONFIG_PATH} ${state === 'changed' ? 'changed since you trusted it' : 'is not trusted yet'} (it chooses the servers your keys are sent to); read it, then run: editscope trust ${DEFAULT_CONFIG_PATH}`,
      );
    }
    return parseProvidersConfig(bytes, workspace);
  }
  const user = userConfigPath(env);
  const own = readConfig(user);
  return own ? parseProvidersConfig(own, user) : [];
}

function missing(file: string): never {
  throw new InputError(`cannot read provider config ${file}: it does not exist`);
}

/** The file's bytes, or null when there is none; only a regular file of a config's size is read (a FIFO would hang, /dev/zero never end). */
function readConfig(file: string): Buffer | null {
  try {
    return readRegularFile(file, 'provider config', MAX_CONFIG_BYTES);
  } catch (err) {
    if (err instanceof InputError && /does not exist$/.test(err.message)) return null;
    throw err;
  }
}

export function parseProvidersConfig(bytes: Buffer, file: string): ProviderConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new InputError(`provider config ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const providers = (json as { providers?: unknown })?.providers;
  if (!Array.isArray(providers)) throw new InputError(`provider config ${file}: expected {"providers": [...]}`);
  return validateProviders(providers, file);
}

/** Checks each entry and names the first bad field, so a typo is not a silent default. */
export function validateProviders(list: unknown[], where: string): ProviderConfig[] {
  const seen = new Set<string>();
  return list.map((raw, i) => {
    const at = `${where}: providers[${i}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`${at} must be an object`);
    const p = raw as Record<string, unknown>;
    if (typeof p.id !== 'string' || !/^[A-Za-z0-9._-]+$/.test(p.id)) {
      throw new InputError(`${at}.id must be a name of letters, digits, ".", "_" or "-"`);
    }
    if (seen.has(p.id)) throw new InputError(`${at}.id "${p.id}" is used twice`);
    seen.add(p.id);
    if ('apiKey' in p || 'key' in p) {
      throw new InputError(`${at} holds a key; put the key in an environment variable and name it in "apiKeyEnv"`);
    }
    const str = (k: string) => {
      if (p[k] !== undefined && typeof p[k] !== 'string') throw new InputError(`${at}.${k} must be a string`);
    };
    str('baseUrl');
    str('apiKeyEnv');
    str('apiVersion');
    if (typeof p.baseUrl === 'string') checkBaseUrl(p.baseUrl, `${at}.baseUrl`);
    if (p.models !== undefined && !(Array.isArray(p.models) && p.models.every((m) => typeof m === 'string'))) {
      throw new InputError(`${at}.models must be a list of model names`);
    }
    if (p.prices !== undefined) {
      if (!p.prices || typeof p.prices !== 'object') throw new InputError(`${at}.prices must map model names to prices`);
      for (const [model, price] of Object.entries(p.prices)) {
        const q = price as Partial<ModelPrice> | null;
        if (!q || typeof q.inputPerMTok !== 'number' || typeof q.outputPerMTok !== 'number' || q.inputPerMTok < 0 || q.outputPerMTok < 0) {
          throw new InputError(`${at}.prices["${model}"] needs inputPerMTok and outputPerMTok (US dollars per million tokens)`);
        }
      }
    }
    if (p.headers !== undefined) {
      if (!p.headers || typeof p.headers !== 'object' || !Object.values(p.headers).every((v) => typeof v === 'string')) {
        throw new InputError(`${at}.headers must map header names to strings`);
      }
      if (Object.keys(p.headers).some((h) => /^(authorization|api-key)$/i.test(h))) {
        throw new InputError(`${at}.headers holds a key header; name the key's environment variable in "apiKeyEnv" instead`);
      }
    }
    if (p.stream !== undefined && typeof p.stream !== 'boolean') throw new InputError(`${at}.stream must be true or false`);
    for (const k of ['maxRetries', 'retryBaseMs'] as const) {
      if (p[k] !== undefined && !(typeof p[k] === 'number' && (p[k] as number) >= 0)) throw new InputError(`${at}.${k} must be a number >= 0`);
    }
    return p as unknown as ProviderConfig;
  });
}

/**
 * A base URL must be http(s) and carry no `user:password@` or query string: credentials there would be sent,
 * printed with the URL and kept in logs. Keys belong in the environment variable `apiKeyEnv`
 * names. The URL itself is not repeated in the message, since it may hold a secret.
 */
export function checkBaseUrl(url: string, what: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`${what} is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InputError(`${what} must be an http or https URL (got ${u.protocol})`);
  // The SDK appends its paths to the URL as given, so a query string would swallow them; and
  // a key put there would be printed and logged with the URL.
  if (u.search || u.hash) throw new InputError(`${what} has a query string or fragment (?... or #...), which would swallow the API's paths; put a key in an environment variable named by "apiKeyEnv" and other parameters in "headers"`);
  if (u.username || u.password) throw new InputError(`${what} holds a user name or password (user:pass@); remove it and put the key in an environment variable named by "apiKeyEnv"`);
}
