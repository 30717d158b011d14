import { DEFAULT_PROVIDER_ID, validateProviders } from '../core/providers/config';
import { createProviders } from '../core/providers/registry';
import type { ChatProvider } from '../core/providers/chatProvider';
import { LM_PROVIDER_ID, LmProvider, listLmModels } from './lmProvider';
import type { ApiKeys } from './apiKeys';
import type { Settings } from './settings';

/**
 * The providers for one run, built as the CLI builds them (createProviders): each
 * `editscope.providers` entry with its key from SecretStorage, the default `openai` provider
 * (key from SecretStorage or OPENAI_API_KEY), and the editor's own models as `vscode-lm`.
 */
export async function providersFor(settings: Settings, keys: ApiKeys, env: NodeJS.ProcessEnv = process.env): Promise<{ providers: Map<string, ChatProvider>; secrets: string[] }> {
  const configs = validateProviders(settings.providers, 'setting editscope.providers');
  // SecretStorage is asynchronous: the keys are read first, then looked up by provider id.
  const ids = [DEFAULT_PROVIDER_ID, ...configs.map((c) => c.id)];
  const stored = new Map(await Promise.all(ids.map(async (id) => [id, await keys.get(id)] as const)));
  // Every key in play, so the eval log can scrub one a server echoes back in an error.
  const secrets: string[] = [];
  const providers = createProviders(
    configs,
    env,
    { add: (...found) => secrets.push(...found.filter((k): k is string => !!k)) },
    // Settings name no environment variable; only the default provider falls back to OPENAI_API_KEY.
    (c) => stored.get(c.id) ?? (c.apiKeyEnv ? env[c.apiKeyEnv] : undefined),
  );
  providers.set(LM_PROVIDER_ID, new LmProvider());
  return { providers, secrets };
}

/** What the model picker offers: configured models, then the editor's own. */
export async function availableModels(settings: Settings): Promise<Array<{ name: string; detail?: string }>> {
  const configured = settings.providers.flatMap((p) => (p.models ?? []).map((m) => ({ name: `${p.id}/${m}`, detail: p.baseUrl ?? 'OpenAI' })));
  const lm = (await listLmModels()).map((m) => ({ name: m.name, detail: m.label }));
  return [...configured, ...lm];
}
