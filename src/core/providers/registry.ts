import type { Secrets } from '../redact';
import { checkBaseUrl, DEFAULT_PROVIDER_ID, type ProviderConfig } from './config';
import { OpenAIProvider } from './openai';
import type { ChatProvider } from './chatProvider';
import { InputError } from '../errors';

export type ProviderMap = ReadonlyMap<string, ChatProvider>;

/**
 * The default provider (`openai`, from OPENAI_BASE_URL and OPENAI_API_KEY as the SDK reads
 * them) plus the configured ones, whose keys come from the environment variables they name.
 * Each key in use is added to `secrets`, whatever its variable is called, so it is redacted
 * from everything printed and logged.
 */
export function createProviders(configs: readonly ProviderConfig[], env: NodeJS.ProcessEnv, secrets?: Secrets): Map<string, ChatProvider> {
  const map = new Map<string, ChatProvider>();
  const hasDefault = configs.some((c) => c.id === DEFAULT_PROVIDER_ID);
  if (!hasDefault) {
    if (env.OPENAI_BASE_URL) checkBaseUrl(env.OPENAI_BASE_URL, 'OPENAI_BASE_URL');
    secrets?.add(env.OPENAI_API_KEY);
    map.set(
      DEFAULT_PROVIDER_ID,
      new OpenAIProvider({ id: DEFAULT_PROVIDER_ID, baseUrl: env.OPENAI_BASE_URL || undefined, apiKeyEnv: 'OPENAI_API_KEY' }, env.OPENAI_API_KEY),
    );
  }
  for (const c of configs) {
    const key = c.apiKeyEnv ? env[c.apiKeyEnv] : c.id === DEFAULT_PROVIDER_ID ? env.OPENAI_API_KEY : undefined;
    secrets?.add(key);
    map.set(c.id, new OpenAIProvider(c, key || undefined));
  }
  return map;
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
