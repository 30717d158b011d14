import * as path from 'node:path';
import * as vscode from 'vscode';
import { providerFromSetting, type ProviderConfig } from '../core/providers/config';
import { restrictedLogPath, userOnly } from './restricted';
import { SETTING_DEFAULTS } from '../core/defaults';

export interface Settings {
  /** As written in settings, not yet checked: providersFor validates them before use. */
  providers: ProviderConfig[];
  /** Whether the workspace's settings chose the providers, and the user's own (see consent.ts). */
  providerSource: { fromWorkspace: boolean; user: ProviderConfig[] };
  defaultModels: string[];
  editFormat: 'whole' | 'search-replace';
  contextWindowLines: number;
  context: 'ask' | 'auto' | 'off';
  contextBudgetTokens: number;
  logPath: string;
  requestTimeoutSeconds: number;
  parallelRequests: number;
  /** Measure what is kept of an applied edit (at save, after these minutes, at commit). */
  recordRetention: boolean;
  retentionMinutes: number[];
}

/**
 * Settings read once per command. In a restricted workspace VS Code itself drops the
 * workspace's values of `editscope.providers`, `editscope.logPath` and
 * `editscope.defaultModels` (declared in package.json as restrictedConfigurations), so a
 * workspace cannot send keys elsewhere or pick the models your keys pay for; the models are
 * read from the user's settings here as well, whatever the editor does.
 */
export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('editscope');
  const providers = (c.get<unknown[]>('providers') ?? []).filter(hasId).map(providerFromSetting);
  const inspected = c.inspect<unknown[]>('providers');
  const models = vscode.workspace.isTrusted ? c.get<unknown[]>('defaultModels') : userOnly(c.inspect<unknown[]>('defaultModels'), []);
  return {
    providers,
    providerSource: {
      fromWorkspace: inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined,
      user: (Array.isArray(inspected?.globalValue) ? inspected!.globalValue : []).filter(hasId).map(providerFromSetting),
    },
    defaultModels: (Array.isArray(models) ? models : []).filter((m): m is string => typeof m === 'string'),
    editFormat: c.get('editFormat') === 'search-replace' ? 'search-replace' : 'whole',
    contextWindowLines: positive(c.get('contextWindowLines'), SETTING_DEFAULTS.contextWindowLines),
    context: c.get('context') === 'auto' ? 'auto' : c.get('context') === 'off' ? 'off' : 'ask',
    contextBudgetTokens: Math.floor(positive(c.get('contextBudgetTokens'), SETTING_DEFAULTS.contextBudgetTokens)),
    logPath: (vscode.workspace.isTrusted ? c.get<string>('logPath') : userOnly(c.inspect<string>('logPath'), '')) || SETTING_DEFAULTS.logPath,
    requestTimeoutSeconds: positive(c.get('requestTimeoutSeconds'), SETTING_DEFAULTS.requestTimeoutSeconds),
    parallelRequests: Math.floor(positive(c.get('parallelRequests'), SETTING_DEFAULTS.parallelRequests)),
    recordRetention: c.get('recordRetention') !== false,
    retentionMinutes: (c.get<unknown[]>('retentionMinutes') ?? SETTING_DEFAULTS.retentionMinutes).filter((m): m is number => typeof m === 'number' && Number.isFinite(m) && m > 0),
  };
}

function hasId(p: unknown): p is { id: string } {
  return typeof p === 'object' && p !== null && typeof (p as { id?: unknown }).id === 'string' && (p as { id: string }).id.length > 0;
}

function positive(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
}

export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/**
 * The workspace folder holding `uri`: in a multi-root workspace a file's paths, its
 * dependencies and the files an answer names are those of its own folder, not the first.
 */
export function folderOf(uri: vscode.Uri | undefined): string | undefined {
  return (uri && vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath) || workspaceRoot();
}

/**
 * The eval log's absolute path: relative settings resolve against the first workspace folder,
 * or, in a restricted workspace, to a log of its own in the extension's storage.
 */
export function resolveLogPath(settings: Settings, context: vscode.ExtensionContext): string {
  if (path.isAbsolute(settings.logPath)) return settings.logPath;
  // Relative means inside the workspace: not while it is restricted.
  if (!vscode.workspace.isTrusted) return restrictedLogPath(context.globalStorageUri.fsPath, workspaceRoot());
  const root = workspaceRoot();
  return root ? path.join(root, settings.logPath) : path.join(context.globalStorageUri.fsPath, path.basename(settings.logPath));
}
