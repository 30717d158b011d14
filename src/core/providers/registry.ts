import { DEFAULT_PROVIDER_ID, type ProviderConfig } from './config';
import { OpenAIProvider } from './openai';
import type { ChatProvider } from './types';
import { InputError } from '../io/inputError';

export type ProviderMap = ReadonlyMap<string, ChatProvider>;

/**
 * The default provider (`openai`, from OPENAI_BASE_URL and OPENAI_API_KEY as the SDK reads
 * them) plus the configured ones, whose keys come from the environment variables they name.
 */
export function createProviders(configs: readonly ProviderConfig[], env: NodeJS.ProcessEnv): Map<string, ChatProvider> {
  const map = new Map<string, ChatProvider>();
  const hasDefault = configs.some((c) => c.id === DEFAULT_PROVIDER_ID);
  if (!hasDefault) {
    map.set(
      DEFAULT_PROVIDER_ID,
      new OpenAIProvider({ id: DEFAULT_PROVIDER_ID, baseUrl: env.OPENAI_BASE_URL || undefined, apiKeyEnv: 'OPENAI_API_KEY' }, env.OPENAI_API_KEY),
    );
  }
  for (const c of configs) {
    const key = c.apiKeyEnv ? env[c.apiKeyEnv] : c.id === DEFAULT_PROVIDER_ID ? env.OPENAI_API_KEY : undefined;
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
 * `provider/model` picks a provider; anything else goes to the default provider whole, so
 * OpenRouter-style names like `anthropic/claude-sonnet-4` still work there.
 */
export function resolveModel(name: string, providers: ProviderMap): ResolvedModel {
  const trimmed = name.trim();
  if (!trimmed) throw new InputError('a model name is empty');
  const slash = trimmed.indexOf('/');
  if (slash > 0) {
    const provider = providers.get(trimmed.slice(0, slash));
    const model = trimmed.slice(slash + 1);
    if (provider && model) return { name: trimmed, provider, model };
  }
  const fallback = providers.get(DEFAULT_PROVIDER_ID);
  if (!fallback) throw new InputError(`model "${trimmed}" names no known provider (known: ${[...providers.keys()].join(', ')})`);
  return { name: trimmed, provider: fallback, model: trimmed };
}
