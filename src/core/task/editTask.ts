import type { Analysis, LineRange } from '../analysis/analysisTypes';
import type { ErrorKind } from './errorKinds';

/** A file of the workspace the selection uses names from, and those names as that file defines them. */
export interface Dependency {
  /** Workspace-relative, forward slashes. */
  file: string;
  symbols: string[];
}

/**
 * `multi-file`: the model may change more than one file; `cross-file`: otherwise, when the
 * selection uses names defined in other files; `local`: otherwise.
 */
export type Locality = 'local' | 'cross-file' | 'multi-file';
export const LOCALITIES: readonly Locality[] = ['local', 'cross-file', 'multi-file'];

export function localityOf(task: { dependsOn: readonly unknown[]; editFiles: readonly unknown[] }): Locality {
  return task.editFiles.length ? 'multi-file' : task.dependsOn.length ? 'cross-file' : 'local';
}

export type { ErrorKind };

export interface EditError {
  kind: ErrorKind;
  message: string;
}

export interface ContextFile {
  /** Workspace-relative (or as given) path. */
  path: string;
  /** The whole file, or the lines `lines` of it. */
  text: string;
  /** Set when only these lines of the file are sent (a definition's span of a large file). */
  lines?: LineRange;
}

/** A file besides the target the model may change: wholly, or only `range` of it. */
export interface EditableFile {
  /** Workspace-relative (or as given) path. */
  path: string;
  text: string;
  range: LineRange | null;
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
  /** The names the selection uses that other workspace files define (computed, not chosen). */
  dependsOn: Dependency[];
  /** Other files the model may change; any makes the task multi-file. */
  editFiles: EditableFile[];
  locality: Locality;
}

/** One file of a model's result and its analysis, as \`check\` would give it for that file's scope. */
export interface FileResult {
  file: string;
  /** target: the file with the selection; edit: another file the task let it change; other: one it may not (all out of scope). */
  role: 'target' | 'edit' | 'other';
  original: string;
  edited: string;
  /** False for a file the model invented. */
  exists: boolean;
  analysis: Analysis;
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

/** What every result records, whatever became of the request. */
export interface ResultCommon {
  /** As the user named it: `provider/model` or `model`. */
  model: string;
  provider: string;
  latencyMs: number;
  /** Time to first token when streaming, else null. */
  ttftMs: number | null;
  usage: Usage | null;
  costUsd: number | null;
  /**
   * Raw text the model returned (kept for debugging malformed output); for an answer stopped,
   * timed out or broken off, what had arrived by then. Never logged.
   */
  raw: string | null;
  promptTemplate: { id: string; version: number };
  window: PromptWindow;
  parameters: Record<string, unknown>;
  retries: number;
}

/** A model's answer read as an edit: the whole edited file, analysed. */
export interface EditedResult extends ResultCommon {
  ok: true;
  error: null;
  /** The whole edited file (window spliced back in). */
  edited: string;
  analysis: Analysis;
  /**
   * Every file of the result, the target first, then the editable files, then any other
   * file the model wrote to (multi-file tasks).
   */
  files: FileResult[];
}

/** A request that gave no edit: an error from the provider, or an answer that could not be read. */
export interface FailedResult extends ResultCommon {
  ok: false;
  error: EditError;
  edited: null;
  analysis: null;
  files?: undefined;
}

/** One model's result: `ok` says which of the two it is. */
export type ModelResult = EditedResult | FailedResult;
