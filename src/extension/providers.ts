import * as vscode from 'vscode';
import { DEFAULT_PROVIDER_ID, validateProviders, type ProviderConfig } from '../core/providers/config';
import { keysNeedingConsent } from './consent';
import { askModal } from './prompts';
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
export async function providersFor(
  settings: Settings,
  keys: ApiKeys,
  context?: Pick<vscode.ExtensionContext, 'globalState'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ providers: Map<string, ChatProvider>; secrets: string[] }> {
  const configs = validateProviders(settings.providers, 'setting editscope.providers');
  // SecretStorage is asynchronous: the keys are read first, then looked up by provider id.
  const ids = [DEFAULT_PROVIDER_ID, ...configs.map((c) => c.id)];
  const stored = new Map(await Promise.all(ids.map(async (id) => [id, await keys.get(id)] as const)));
  // Settings name no environment variable; only the default provider falls back to OPENAI_API_KEY.
  const keyOf = (c: ProviderConfig) => stored.get(c.id) ?? (c.apiKeyEnv ? env[c.apiKeyEnv] : undefined);
  await askKeyConsent(configs, settings, keyOf, context);
  // Every key in play, so the eval log can scrub one a server echoes back in an error.
  const secrets: string[] = [];
  const providers = createProviders(
    configs,
    env,
    { add: (...found) => secrets.push(...found.filter((k): k is string => !!k)) },
    keyOf,
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

const CONSENT_KEY = 'editscope.keyConsents';

/**
 * Asks, once per (workspace, provider, URL), before a key goes to a server the workspace's
 * settings chose (see consent.ts). Refused, nothing is sent at all.
 */
async function askKeyConsent(configs: readonly ProviderConfig[], settings: Settings, keyOf: (c: ProviderConfig) => string | undefined, context?: Pick<vscode.ExtensionContext, 'globalState'>): Promise<void> {
  const workspace = vscode.workspace.workspaceFile?.toString() ?? (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()).join('|');
  const agreed = new Set(context?.globalState.get<string[]>(CONSENT_KEY) ?? []);
  for (const ask of keysNeedingConsent(configs, settings.providerSource, (c) => !!keyOf(c), workspace, agreed)) {
    const send = 'Send My Key';
    const answer = await askModal(
      `This workspace's settings send provider "${ask.provider}" to ${ask.url}. Send your API key for ${ask.provider} there?`,
      'Edit Scope asks once per workspace and server. Only agree if you know that server: it will receive your key with every request.',
      send,
    );
    if (answer !== send) throw new Error(`Edit Scope did not send your ${ask.provider} key to ${ask.url}, a server this workspace's settings chose; nothing was sent.`);
    agreed.add(ask.memo);
    await context?.globalState.update(CONSENT_KEY, [...agreed]);
  }
}
