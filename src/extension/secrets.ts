import * as vscode from 'vscode';

const PREFIX = 'editscope.apiKey.';

/** API keys, one per provider id, only ever in the editor's SecretStorage. */
export class ApiKeys {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(providerId: string): Thenable<string | undefined> {
    return this.secrets.get(PREFIX + providerId);
  }

  set(providerId: string, key: string): Thenable<void> {
    return this.secrets.store(PREFIX + providerId, key);
  }

  delete(providerId: string): Thenable<void> {
    return this.secrets.delete(PREFIX + providerId);
  }
}
