/** A 1-based inclusive range of lines of the original text. */
export interface LineRange {
  start: number;
  end: number;
}

/**
 * `in`: inside the selection; `supporting`: outside it, but needed by the in-scope change
 * (see `link`); `out`: outside it and not needed.
 */
export type Scope = 'in' | 'supporting' | 'out';

/** What ties a supporting hunk to the in-scope change, found from the code. */
export type SupportLink = 'import' | 'definition' | 'reference' | 'test';

/**
 * A hunk in the unified-diff convention. `originalLines: 0` is an insertion after line
 * `originalStart`; `editedLines: 0` is a deletion, `editedStart` then being the edited
 * line after which the deleted lines stood.
 */
export interface Hunk {
  originalStart: number;
  originalLines: number;
  editedStart: number;
  editedLines: number;
  scope: Scope;
  whitespaceOnly: boolean;
  /** Why the hunk is out of scope (or in), in words a person understands. */
  reason: string;
  /** Set when this hunk is one half of a block moved elsewhere. */
  moved?: { role: 'from' | 'to'; originalStart: number; editedStart: number; lines: number };
  /** Set on a supporting hunk: the kind of link and the names it goes through. */
  link?: { kind: SupportLink; names: string[] };
}

export const STYLE_RULES = [
  'indent',
  'quotes',
  'semicolons',
  'line-endings',
  'bom',
  'trailing-whitespace',
  'final-newline',
  'comments-removed',
  'naming',
  'placeholder',
  'fragment',
] as const;
export type StyleRule = (typeof STYLE_RULES)[number];

export interface StyleFinding {
  rule: StyleRule;
  /** 1-based line of the edited text (for comments-removed: the edited line where the comment was). */
  line: number;
  message: string;
  /** Every edited line the finding covers, when it covers more than one. */
  lines?: number[];
  /** placeholder: the original lines (1-based start, count) the comment stands for; fragment: the original lines dropped. */
  replaces?: { originalStart: number; originalLines: number };
}

export interface Analysis {
  hunks: Hunk[];
  outOfScopeHunks: number;
  styleDrift: StyleFinding[];
  /** What the style was held against: the original's inferred conventions. */
  conventions: Conventions;
  language: LanguageId;
  stats: { originalLines: number; editedLines: number; linesAdded: number; linesRemoved: number };
}

export type LanguageId = 'typescript' | 'javascript' | 'python' | 'text';

export interface Conventions {
  indent: { style: 'tabs' | 'spaces' | 'unknown'; unit: number; source: 'editorconfig' | 'file' | 'default' };
  eol: { style: 'lf' | 'crlf' | 'unknown'; source: 'editorconfig' | 'file' | 'default' };
  finalNewline: boolean | null;
  trailingWhitespace: 'trimmed' | 'allowed';
  quotes: 'single' | 'double' | 'unknown';
  /** Quotes around words quoted in comments ('name' or "name"). */
  commentQuotes: 'single' | 'double' | 'unknown';
  /** Python's triple quotes (docstrings). */
  tripleQuotes: 'single' | 'double' | 'unknown';
  semicolons: 'always' | 'never' | 'unknown';
  naming: 'camel' | 'snake' | 'unknown';
}

/** Settings read from `.editorconfig` that bear on style (only those we use). */
export interface EditorConfigProps {
  indent_style?: 'tab' | 'space';
  indent_size?: number;
  tab_width?: number;
  end_of_line?: 'lf' | 'crlf' | 'cr';
  insert_final_newline?: boolean;
  trim_trailing_whitespace?: boolean;
  quote_type?: 'single' | 'double' | 'auto';
}

export interface AnalyzeOptions {
  /** A file name or path, used for the language and for reporting. */
  fileName?: string;
  /** Regions of the original in scope; none means the whole file is in scope. */
  ranges?: LineRange[];
  editorConfig?: EditorConfigProps;
  /**
   * The instruction the edit answers, when known: an edit that drops most of the selection
   * is a `fragment` unless the instruction asks for deletion (unknown: none asked for).
   */
  instruction?: string;
}
