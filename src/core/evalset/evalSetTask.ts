import type { LineRange } from '../analysis/analysisTypes';
import type { Dependency, Locality, PromptWindow } from '../task/editTask';
import type { ContextRecord, EditFileRecord } from '../log/records';
import type { EditFormat, PromptTemplate } from '../prompt/build';

/** Bumped only when a reader of the old shape would misread the new one. */
export const EVALSET_SCHEMA_VERSION = 1;

/**
 * One replayable task of an eval set (`editscope export --to evalset`, read by `editscope
 * replay`): what the model was sent, rebuilt exactly from the log, and how to grade an answer.
 */
export interface EvalSetTask {
  schemaVersion: number;
  kind: 'evalset-task';
  /** The id of the logged task it came from. */
  id: string;
  time: string;
  /** Workspace-relative, forward slashes. */
  file: string;
  language: string;
  /** sha256 of the whole file as it was. */
  fileHash: string;
  /**
   * The whole file as it was, when it is known: the window sent was the whole file, or the
   * workspace file still has that hash at export time. Null when only the window is known
   * (the prompt is still exact; a test command cannot run).
   */
  original: string | null;
  /** How many lines the whole file had (null for a log that did not record it and no whole file). */
  totalLines: number | null;
  /** The lines of the file sent to the model, and their text. */
  window: PromptWindow;
  windowText: string;
  /** 1-based inclusive lines of the whole file asked to change. */
  ranges: LineRange[];
  instruction: string;
  contextFiles: ContextRecord[];
  /** Other workspace files defining names the selection uses (absent in sets exported before it was recorded). */
  dependsOn?: Dependency[];
  /**
   * Files besides the target the model may change (a multi-file task), each with the lines
   * it may change (null: all of it) and the accepted edit of it when there is a reference.
   */
  editFiles?: Array<EditFileRecord & { reference: string | null }>;
  locality: Locality;
  prompt: { template: PromptTemplate; format: EditFormat; contextLines: number };
  /**
   * The accepted edit of the window, when a verdict accepted one (in-scope: only its in-scope
   * hunks; picked: only the hunks ticked in review). `kept: true` when the output is what the
   * person kept of it, changed since the apply.
   */
  reference: { model: string; accepted: 'all' | 'in-scope' | 'picked'; output: string; kept?: true } | null;
  graders: {
    /** No out-of-scope hunks. */
    scope: boolean;
    /** No style drift. */
    style: boolean;
    /** Exact (normalised) match and similarity to the reference. */
    reference: boolean;
    /** A command run in a temporary folder holding the edited file and the context files; exit 0 passes. */
    test: { command: string; timeoutSeconds: number } | null;
  };
}
