import type { ProviderConfig } from '../core/providers/config';

/**
 * What the user must agree to before the editor sends something on a workspace's say. Kept
 * free of `vscode` so the rules are tested in Node; providers.ts and commands/replayEvalSet.ts ask.
 *
 * A trusted workspace's `.vscode/settings.json` can point a provider at any server, and the
 * key the user stored with Set API Key would go there: each (workspace, provider, URL) the
 * workspace chose, and the user's own settings did not, is asked about once, as the CLI's
 * `editscope trust` does for a config file.
 */
export interface KeyConsent {
  provider: string;
  url: string;
  /** What the answer is remembered under. */
  memo: string;
}

export const OPENAI_URL = 'https://api.openai.com/v1';

function normalUrl(url: string | undefined): string {
  const u = url ?? OPENAI_URL;
  try {
    return new URL(u).toString().replace(/\/+$/, '');
  } catch {
    return u;
  }
}

/**
 * The providers that would be sent a key at a server the workspace's settings chose: not one
 * the user's own settings give the same server, nor one already agreed to (`agreed` holds memos).
 */
export function keysNeedingConsent(
  providers: readonly ProviderConfig[],
  source: { fromWorkspace: boolean; user: readonly ProviderConfig[] },
  hasKey: (p: ProviderConfig) => boolean,
  workspace: string,
  agreed: ReadonlySet<string>,
): KeyConsent[] {
  if (!source.fromWorkspace) return [];
  const own = new Set(source.user.map((p) => `${p.id}\0${normalUrl(p.baseUrl)}`));
  const out: KeyConsent[] = [];
  for (const p of providers) {
    const url = normalUrl(p.baseUrl);
    if (own.has(`${p.id}\0${url}`) || !hasKey(p)) continue;
    const memo = JSON.stringify([workspace, p.id, url]);
    if (!agreed.has(memo)) out.push({ provider: p.id, url, memo });
  }
  return out;
}

/** The test commands a set would run, each once, in the order first met. */
export function testCommandsOf(set: ReadonlyArray<{ graders: { test: { command: string } | null } }>): string[] {
  return [...new Set(set.flatMap((t) => (t.graders.test ? [t.graders.test.command] : [])))];
}
