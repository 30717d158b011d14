import type { CheckJson } from '../analysis/checkJson';
import type { LineRange } from '../analysis/types';
import type { EditError, Locality, PromptWindow, Usage } from '../edit/types';

/** Bumped only when a reader of the old shape would misread the new one. */
export const SCHEMA_VERSION = 1;

export type Accepted = 'all' | 'in-scope' | 'none';
export const ACCEPTED: readonly Accepted[] = ['all', 'in-scope', 'none'];

export interface ContextRecord {
  /** Workspace-relative, forward slashes. */
  path: string;
  sha256: string;
  /** Kept so the task can be replayed after the file has moved on. */
  text: string;
}

export interface ResultRecord {
  model: string;
  provider: string;
  parameters: Record<string, unknown>;
  ok: boolean;
  error: EditError | null;
  /** The model's version of the window (not the whole file), when it produced one. */
  output: string | null;
  analysis: CheckJson | null;
  latencyMs: number;
  ttftMs: number | null;
  usage: Usage | null;
  costUsd: number | null;
  retries: number;
}

export interface TaskRecord {
  schemaVersion: number;
  kind: 'task';
  id: string;
  time: string;
  /** Workspace-relative, forward slashes. */
  file: string;
  /** sha256 of the whole original file. */
  fileHash: string;
  language: string;
  ranges: LineRange[];
  instruction: string;
  /** The lines of the original that were sent, and their text. */
  window: PromptWindow;
  windowText: string;
  contextFiles: ContextRecord[];
  locality: Locality;
  promptTemplate: { id: string; version: number };
  /** Where the task came from: the editor, the command line, or a replay of an eval set. */
  source?: string;
  results: ResultRecord[];
}

export interface VerdictRecord {
  schemaVersion: number;
  kind: 'verdict';
  time: string;
  taskId: string;
  model: string;
  accepted: Accepted;
}

export type LogRecord = TaskRecord | VerdictRecord;
