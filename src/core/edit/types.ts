import type { Analysis, LineRange } from '../analysis/types';

export type Locality = 'local' | 'cross-file';

export type ErrorKind =
  | 'auth'
  | 'rate-limit'
  | 'server'
  | 'timeout'
  | 'network'
  | 'malformed-output'
  | 'truncated'
  | 'not-found'
  | 'cancelled';

export interface EditError {
  kind: ErrorKind;
  message: string;
}

export interface ContextFile {
  /** Workspace-relative (or as given) path. */
  path: string;
  text: string;
}

/** One instruction against one region of one file, sent to one or several models. */
export interface EditTask {
  id: string;
  /** ISO time the task was created. */
  time: string;
  /** Workspace-relative path when known, else as given. */
  file: string;
  language: string;
  /** The whole original file. */
  original: string;
  range: LineRange;
  instruction: string;
  contextFiles: ContextFile[];
  locality: Locality;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/** The bounds of the original text that was sent when the file was too large to send whole. */
export interface PromptWindow {
  /** 1-based inclusive lines of the original file sent to the model. */
  start: number;
  end: number;
}

export interface ModelResult {
  /** As the user named it: `provider/model` or `model`. */
  model: string;
  provider: string;
  ok: boolean;
  error: EditError | null;
  latencyMs: number;
  /** Time to first token when streaming, else null. */
  ttftMs: number | null;
  usage: Usage | null;
  costUsd: number | null;
  /** The whole edited file (window spliced back in), when the model produced one. */
  edited: string | null;
  /** Raw text the model returned (kept for the log and for debugging malformed output). */
  raw: string | null;
  analysis: Analysis | null;
  promptTemplate: { id: string; version: number };
  window: PromptWindow;
  parameters: Record<string, unknown>;
  retries: number;
}
