import * as vscode from 'vscode';

const PREFIX = 'editscope.apiKey.';

/** API keys, one per provider id, only ever in the editor's SecretStorage. */
export class ApiKeys {
  /** `onKey` hears every key read, so output can redact the keys in use. */
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly onKey: (key: string) => void = () => {},
  ) {}

  async get(providerId: string): Promise<string | undefined> {
    const key = await this.secrets.get(PREFIX + providerId);
    if (key) this.onKey(key);
    return key;
  }

  set(providerId: string, key: string): Thenable<void> {
    this.onKey(key);
    return this.secrets.store(PREFIX + providerId, key);
  }

  delete(providerId: string): Thenable<void> {
    return this.secrets.delete(PREFIX + providerId);
  }
}
