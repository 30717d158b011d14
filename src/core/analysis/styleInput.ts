import type { Conventions, EditorConfigProps, LanguageId } from './analysisTypes';
import type { Piece } from './hunks';
import type { LineInfo } from './lexer';
import type { SplitText } from '../text/lines';

/** What the style rules (checkStyle and the rules it runs) read of one edit. */
export interface StyleInput {
  originalText: string;
  orig: SplitText;
  edit: SplitText;
  /** Changed runs, merged as in the diff (before any split at region edges). */
  runs: Piece[];
  /** Lexed original lines; a large file has holes where it was not lexed. */
  origInfo: Array<LineInfo | undefined> | null;
  /** Lexed edited lines, by 0-based edited index; only lines inside runs are present. */
  editInfo: Array<LineInfo | undefined>;
  conventions: Conventions;
  language: LanguageId;
  fileName?: string;
  /** The target regions (1-based lines of the original); none means the whole file. */
  regions?: ReadonlyArray<{ start: number; end: number }>;
  editorConfig?: EditorConfigProps;
}
