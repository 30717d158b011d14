import { DEFAULT_PROVIDER_ID, validateProviders, type ProviderConfig } from '../core/providers/config';
import { OpenAIProvider } from '../core/providers/openai';
import type { ChatProvider } from '../core/providers/chatProvider';
import { LM_PROVIDER_ID, LmProvider, listLmModels } from './lmProvider';
import type { ApiKeys } from './apiKeys';
import type { Settings } from './settings';

/**
 * The providers for one run: each `editscope.providers` entry with its key from
 * SecretStorage, the default `openai` provider (key from SecretStorage or OPENAI_API_KEY),
 * and the editor's own models as `vscode-lm`.
 */
export async function providersFor(settings: Settings, keys: ApiKeys, env: NodeJS.ProcessEnv = process.env): Promise<{ providers: Map<string, ChatProvider>; secrets: string[] }> {
  const configs: ProviderConfig[] = validateProviders(
    settings.providers.map((p) => ({ id: p.id, baseUrl: p.baseURL, models: p.models, prices: p.prices })),
    'setting editscope.providers',
  );
  const map = new Map<string, ChatProvider>();
  // Every key in play, so the eval log can scrub one a server echoes back in an error.
  const secrets: string[] = [];
  const keyFor = async (id: string) => {
    const key = await keys.get(id);
    if (key) secrets.push(key);
    return key;
  };
  if (!configs.some((c) => c.id === DEFAULT_PROVIDER_ID)) {
    const key = (await keyFor(DEFAULT_PROVIDER_ID)) ?? env.OPENAI_API_KEY;
    map.set(DEFAULT_PROVIDER_ID, new OpenAIProvider({ id: DEFAULT_PROVIDER_ID, baseUrl: env.OPENAI_BASE_URL || undefined }, key));
  }
  for (const c of configs) map.set(c.id, new OpenAIProvider(c, await keyFor(c.id)));
  map.set(LM_PROVIDER_ID, new LmProvider());
  return { providers: map, secrets };
}

/** What the model picker offers: configured models, then the editor's own. */
export async function availableModels(settings: Settings): Promise<Array<{ name: string; detail?: string }>> {
  const configured = settings.providers.flatMap((p) => (p.models ?? []).map((m) => ({ name: `${p.id}/${m}`, detail: p.baseURL ?? 'OpenAI' })));
  const lm = (await listLmModels()).map((m) => ({ name: m.name, detail: m.label }));
  return [...configured, ...lm];
}
