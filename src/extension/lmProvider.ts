import * as vscode from 'vscode';
import type { ErrorKind } from '../core/task/editTask';
import { ProviderError, type ChatProvider, type ChatRequest, type ChatResponse, type CompleteOptions } from '../core/providers/chatProvider';

export const LM_PROVIDER_ID = 'vscode-lm';

/**
 * The editor's own language models (Copilot and the like) as one more ChatProvider. The
 * request's model is a `vscode.lm` model id; a model is named `vscode-lm/<id>` elsewhere.
 */
export class LmProvider implements ChatProvider {
  readonly id = LM_PROVIDER_ID;

  async complete(req: ChatRequest, opts: CompleteOptions): Promise<ChatResponse> {
    const [model] = await vscode.lm.selectChatModels({ id: req.model });
    if (!model) throw new ProviderError('not-found', `No editor language model with id "${req.model}" is available`);
    // vscode.lm has no system role: the system prompt leads the first user message instead.
    const system = req.messages.filter((m) => m.role === 'system').map((m) => m.content);
    const messages: vscode.LanguageModelChatMessage[] = [];
    let pendingSystem = system.join('\n\n');
    for (const m of req.messages) {
      if (m.role === 'system') continue;
      if (m.role === 'assistant') messages.push(vscode.LanguageModelChatMessage.Assistant(m.content));
      else {
        messages.push(vscode.LanguageModelChatMessage.User(pendingSystem ? `${pendingSystem}\n\n${m.content}` : m.content));
        pendingSystem = '';
      }
    }
    if (pendingSystem) messages.unshift(vscode.LanguageModelChatMessage.User(pendingSystem));

    const cts = new vscode.CancellationTokenSource();
    const onAbort = () => cts.cancel();
    if (opts.signal.aborted) cts.cancel();
    opts.signal.addEventListener('abort', onAbort, { once: true });
    const started = Date.now();
    let ttftMs: number | null = null;
    let text = '';
    try {
      const response = await model.sendRequest(messages, { justification: 'Edit Scope sends your selection and instruction to the models you picked.' }, cts.token);
      for await (const delta of response.text) {
        if (ttftMs === null) ttftMs = Date.now() - started;
        text += delta;
        opts.onText?.(delta);
      }
    } catch (err) {
      throw toProviderError(err, opts.signal);
    } finally {
      opts.signal.removeEventListener('abort', onAbort);
      cts.dispose();
    }
    if (opts.signal.aborted) throw new ProviderError('cancelled', 'Cancelled');
    // vscode.lm reports neither token usage nor a finish reason.
    return { text, finishReason: 'stop', usage: null, ttftMs, retries: 0 };
  }
}

export function toProviderError(err: unknown, signal: AbortSignal): ProviderError {
  if (err instanceof ProviderError) return err;
  if (signal.aborted || err instanceof vscode.CancellationError) return new ProviderError('cancelled', 'Cancelled');
  if (err instanceof vscode.LanguageModelError) return new ProviderError(lmErrorKind(err.code), err.message);
  return new ProviderError('network', err instanceof Error ? err.message : String(err));
}

export function lmErrorKind(code: string): ErrorKind {
  if (code === vscode.LanguageModelError.NoPermissions().code) return 'auth';
  if (code === vscode.LanguageModelError.NotFound().code) return 'not-found';
  // Blocked means this extension may not use the model (quota, policy): retrying won't help.
  if (code === vscode.LanguageModelError.Blocked().code) return 'auth';
  return 'server';
}

/** The editor's models as `vscode-lm/<id>` names with a label for the picker. */
export async function listLmModels(): Promise<Array<{ name: string; label: string }>> {
  try {
    const models = await vscode.lm.selectChatModels();
    return models.map((m) => ({ name: `${LM_PROVIDER_ID}/${m.id}`, label: `${m.name} (${m.vendor})` }));
  } catch {
    return [];
  }
}
