// The messages between the comparison panel and the extension. Both sides use these
// types: the extension directly, media/comparison.js through JSDoc imports.

export const COLUMN_ACTIONS = ['viewDiff', 'applyAll', 'applyInScope', 'applyPicked', 'reject', 'retry'] as const;
export type ColumnAction = (typeof COLUMN_ACTIONS)[number];

/** Extension → webview. The body is rendered (and escaped) on the extension side. */
export type ToWebview = { type: 'update'; html: string };

/** Webview → extension. */
export type FromWebview =
  | { type: 'ready' }
  /** `file`: for View Diff of one file of a multi-file result (default: the target). */
  | { type: 'action'; action: ColumnAction; model: string; file?: string }
  | { type: 'rerun' }
  /** Stop every model still running (the notification's Cancel, from the panel). */
  | { type: 'stop' };

/**
 * The webview is a trust boundary like any other input: a message that does not match
 * the protocol exactly is dropped rather than half-handled.
 */
export function parseFromWebview(msg: unknown): FromWebview | undefined {
  if (typeof msg !== 'object' || msg === null) return undefined;
  const m = msg as Record<string, unknown>;
  if (m.type === 'ready' || m.type === 'rerun' || m.type === 'stop') return { type: m.type };
  if (m.type === 'action' && typeof m.model === 'string' && (COLUMN_ACTIONS as readonly unknown[]).includes(m.action)) {
    if (m.file !== undefined && typeof m.file !== 'string') return undefined;
    return { type: 'action', action: m.action as ColumnAction, model: m.model, ...(typeof m.file === 'string' ? { file: m.file } : {}) };
  }
  return undefined;
}
