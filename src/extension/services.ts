import type * as vscode from 'vscode';
import type { ComparisonStore } from './comparison';
import type { ComparisonPanel } from './comparisonPanel';
import type { DiffView } from './diffView';
import type { HunkReview } from './hunkReview';
import type { EditableFiles } from './editableFiles';
import type { ApiKeys } from './apiKeys';

/** What every command needs, created once in activate. */
export interface Services {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  keys: ApiKeys;
  store: ComparisonStore;
  panel: ComparisonPanel;
  diff: DiffView;
  /** Per-hunk ticks in the diff of an answer. */
  review: HunkReview;
  /** Files picked with Add Files the Model May Change, waiting for the next task. */
  editable: EditableFiles;
}
