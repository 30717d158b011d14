import { checkBaseUrl, DEFAULT_PROVIDER_ID, type ProviderConfig } from './config';
import { OpenAIProvider } from './openai';
import type { ChatProvider } from './chatProvider';
import { InputError } from '../errors';

export type ProviderMap = ReadonlyMap<string, ChatProvider>;

/**
 * Where a provider's key comes from: the environment in the CLI, SecretStorage (read ahead)
 * then the environment in the editor. Undefined or empty means no key.
 */
export type KeyLookup = (provider: ProviderConfig) => string | undefined;

/**
 * The CLI's keys: the environment variable a provider names in `apiKeyEnv`, and
 * OPENAI_API_KEY for a provider called `openai` that names none.
 */
export function environmentKeys(env: NodeJS.ProcessEnv): KeyLookup {
  return (c) => {
    const name = keyVariableOf(c);
    return name ? env[name] : undefined;
  };
}

/** The environment variable whose value the CLI sends a provider as its key, if any. */
export function keyVariableOf(c: Pick<ProviderConfig, 'id' | 'apiKeyEnv'>): string | undefined {
  return c.apiKeyEnv || (c.id === DEFAULT_PROVIDER_ID ? 'OPENAI_API_KEY' : undefined);
}

/**
 * The one place providers are built, for the CLI and the editor alike: the configured ones
 * plus, unless one is configured with its id, the default provider (`openai`, from
 * OPENAI_BASE_URL and OPENAI_API_KEY as the SDK reads them). Each key in use is handed to
 * `secrets`, whatever its variable is called, so it is redacted from everything printed and
 * logged.
 */
export function createProviders(
  configs: readonly ProviderConfig[],
  env: NodeJS.ProcessEnv,
  secrets?: { add(...keys: Array<string | undefined>): void },
  keyOf: KeyLookup = environmentKeys(env),
): Map<string, ChatProvider> {
  const all = configs.some((c) => c.id === DEFAULT_PROVIDER_ID) ? configs : [defaultProvider(env), ...configs];
  const map = new Map<string, ChatProvider>();
  for (const c of all) {
    const key = keyOf(c) || undefined;
    secrets?.add(key);
    map.set(c.id, new OpenAIProvider(c, key));
  }
  return map;
}

/** OpenAI's own API, or the server OPENAI_BASE_URL names (checked as a configured URL is). */
function defaultProvider(env: NodeJS.ProcessEnv): ProviderConfig {
  if (env.OPENAI_BASE_URL) checkBaseUrl(env.OPENAI_BASE_URL, 'OPENAI_BASE_URL');
  return { id: DEFAULT_PROVIDER_ID, baseUrl: env.OPENAI_BASE_URL || undefined, apiKeyEnv: 'OPENAI_API_KEY' };
}

export interface ResolvedModel {
  /** The name as the user gave it, kept as the result's model id. */
  name: string;
  provider: ChatProvider;
  /** The model as the provider knows it. */
  model: string;
}

/**
 * `provider/model` picks a provider; a name without a slash goes to the default provider. A
 * prefix naming no provider is an error, not a model for the default provider: a typo
 * (`olama/qwen`) would otherwise send the default provider's key along with it. A model whose
 * own name has a slash (OpenRouter's `anthropic/claude-sonnet-4`) is named with its provider:
 * `openai/anthropic/claude-sonnet-4`.
 */
export function resolveModel(name: string, providers: ProviderMap): ResolvedModel {
  const trimmed = name.trim();
  if (!trimmed) throw new InputError('a model name is empty');
  const slash = trimmed.indexOf('/');
  if (slash >= 0) {
    const prefix = trimmed.slice(0, slash);
    const provider = providers.get(prefix);
    const model = trimmed.slice(slash + 1);
    if (!provider) {
      throw new InputError(`model "${trimmed}": no provider "${prefix}" (known: ${[...providers.keys()].join(', ')}); a model whose own name has a slash goes after its provider, e.g. ${DEFAULT_PROVIDER_ID}/${trimmed}`);
    }
    if (!model) throw new InputError(`model "${trimmed}" names provider ${prefix} but no model`);
    return { name: trimmed, provider, model };
  }
  const fallback = providers.get(DEFAULT_PROVIDER_ID);
  if (!fallback) throw new InputError(`model "${trimmed}" names no known provider (known: ${[...providers.keys()].join(', ')})`);
  return { name: trimmed, provider: fallback, model: trimmed };
}
