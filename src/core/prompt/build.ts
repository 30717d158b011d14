import { languageOf } from '../analysis/language';
import type { EditTask, PromptWindow } from '../task/editTask';
import type { ChatMessage } from '../providers/chatProvider';
import { splitLines } from '../text/lines';
import { longestFenceRun } from './fences';
import { promptWindow, windowText } from './window';
import { SETTING_DEFAULTS } from '../defaults';

export type EditFormat = 'whole' | 'search-replace';
export const EDIT_FORMATS: readonly EditFormat[] = ['whole', 'search-replace'];

/** Recorded with every result, so a replay can tell which prompt a score belongs to. */
export interface PromptTemplate {
  id: string;
  version: number;
}

/**
 * The templates this version builds. A change to a prompt's text bumps its version; older
 * versions stay buildable (promptFor) so logged tasks still export with the exact prompt
 * their models were sent.
 */
export const TEMPLATES: Record<EditFormat, PromptTemplate> = {
  whole: { id: 'editscope-whole', version: 2 },
  'search-replace': { id: 'editscope-search-replace', version: 2 },
};

/** Multi-file tasks: the same formats, each file's answer under its path. */
export const MULTI_TEMPLATES: Record<EditFormat, PromptTemplate> = {
  whole: { id: 'editscope-whole-multi', version: 2 },
  'search-replace': { id: 'editscope-search-replace-multi', version: 2 },
};

/** The template a task is sent with now. */
export function templateFor(format: EditFormat, multiFile: boolean): PromptTemplate {
  return (multiFile ? MULTI_TEMPLATES : TEMPLATES)[format];
}

/** Whether this version can rebuild a prompt of that logged template: a known id, at its current version or an older one. */
export function buildsTemplate(t: PromptTemplate): boolean {
  const format = formatOfTemplate(t.id);
  if (!format) return false;
  return Number.isInteger(t.version) && t.version >= 1 && t.version <= templateFor(format, isMultiFileTemplate(t.id)).version;
}

export interface BuiltPrompt {
  messages: ChatMessage[];
  window: PromptWindow;
  template: PromptTemplate;
  format: EditFormat;
}

export interface PromptOptions {
  format?: EditFormat;
  contextLines?: number;
}

const SYSTEM_COMMON_V1 = `You are a careful code editor. You make the change the instruction asks for, inside the selected lines, and nothing else.
Keep every other line exactly as it is: comments, blank lines, indentation, quote style, semicolons, line breaks and names.
If the instruction truly needs a change outside the selection, make the smallest one.`;

const NO_ELIDING = 'Never leave code out: no placeholders such as "// ... existing code ...", "# rest unchanged" or "...". Write out every line you return in full.';

const SYSTEM_COMMON = `${SYSTEM_COMMON_V1}\n${NO_ELIDING}`;

const WHOLE_RULE = 'Answer with the complete updated text of the <file> section (every line of it, not only the selection) in exactly one fenced code block, and no other code blocks.';

const SEARCH_REPLACE_RULE_V1 = `Answer with one or more SEARCH/REPLACE blocks and no other code. Each block is:
<<<<<<< SEARCH
lines copied exactly from the <file> section, enough to match in one place only
=======
the lines that replace them
>>>>>>> REPLACE`;

const SEARCH_REPLACE_RULE = `Answer with one or more SEARCH/REPLACE blocks and no other code. Each block is:
<<<<<<< SEARCH
whole lines copied exactly from the <file> section, indentation included, enough to match in one place only
=======
the lines that replace them (none, to delete them)
>>>>>>> REPLACE
Every block has exactly one ======= line and ends with >>>>>>> REPLACE. Blocks apply in order, each to the text the ones before it left.`;

/** Single-file system prompts by format and template version. */
const SYSTEM: Record<EditFormat, Record<number, string>> = {
  whole: { 1: `${SYSTEM_COMMON_V1}\n${WHOLE_RULE}`, 2: `${SYSTEM_COMMON}\n${WHOLE_RULE}` },
  'search-replace': { 1: `${SYSTEM_COMMON_V1}\n${SEARCH_REPLACE_RULE_V1}`, 2: `${SYSTEM_COMMON}\n${SEARCH_REPLACE_RULE}` },
};

const SYSTEM_MULTI_COMMON = `You are a careful code editor. You make the change the instruction asks for, inside the selected lines of the <file> section and inside the files given as <editable_file> sections (only within their change_lines when those are given), and nothing else.
Keep every other line exactly as it is: comments, blank lines, indentation, quote style, semicolons, line breaks and names. Never change or create any other file.`;

const WHOLE_MULTI_RULE = 'For each file you change, write its path alone on a line, then its complete updated text (for the <file> section: every line of that section) in one fenced code block. Leave out the files you do not change.';

const SEARCH_REPLACE_MULTI_RULE_V1 = `For each file you change, write its path alone on a line, then one or more SEARCH/REPLACE blocks against that file and no other code. Each block is:
<<<<<<< SEARCH
lines copied exactly from that file's section, enough to match in one place only
=======
the lines that replace them
>>>>>>> REPLACE`;

const SEARCH_REPLACE_MULTI_RULE = `For each file you change, write its path alone on a line, then one or more SEARCH/REPLACE blocks against that file and no other code. Each block is:
<<<<<<< SEARCH
whole lines copied exactly from that file's section, indentation included, enough to match in one place only
=======
the lines that replace them (none, to delete them)
>>>>>>> REPLACE
Every block has exactly one ======= line and ends with >>>>>>> REPLACE. A file's blocks apply in order, each to the text the ones before it left.`;

/** Multi-file system prompts by format and template version. */
const SYSTEM_MULTI: Record<EditFormat, Record<number, string>> = {
  whole: { 1: `${SYSTEM_MULTI_COMMON}\n${WHOLE_MULTI_RULE}`, 2: `${SYSTEM_MULTI_COMMON}\n${NO_ELIDING}\n${WHOLE_MULTI_RULE}` },
  'search-replace': {
    1: `${SYSTEM_MULTI_COMMON}\n${SEARCH_REPLACE_MULTI_RULE_V1}`,
    2: `${SYSTEM_MULTI_COMMON}\n${NO_ELIDING}\n${SEARCH_REPLACE_MULTI_RULE}`,
  },
};

/** A file besides the target the model may change, as the prompt shows it. */
export interface PromptEditFile {
  path: string;
  text: string;
  range: { start: number; end: number } | null;
}

/** What the prompt shows: the window of the file that is sent, and where it sits. */
export interface PromptInput {
  file: string;
  language: string;
  window: PromptWindow;
  windowText: string;
  totalLines: number;
  range: { start: number; end: number };
  instruction: string;
  contextFiles: ReadonlyArray<{ path: string; text: string; lines?: { start: number; end: number } }>;
  /** Files besides the target the model may change (a multi-file task). */
  editFiles?: readonly PromptEditFile[];
}

/** The XML-style sections: the file (or a window of it), the selection, context files, the instruction. */
export function buildPrompt(task: EditTask, opts: PromptOptions = {}): BuiltPrompt {
  const totalLines = splitLines(task.original).lines.length;
  const window = promptWindow(totalLines, task.range, opts.contextLines ?? SETTING_DEFAULTS.contextWindowLines);
  return promptFor(
    {
      file: task.file,
      language: task.language,
      window,
      windowText: windowText(task.original, window),
      totalLines,
      range: task.range,
      instruction: task.instruction,
      contextFiles: task.contextFiles,
      editFiles: task.editFiles,
    },
    opts.format ?? 'whole',
  );
}

/**
 * The same prompt from a logged window, so exports carry exactly what the model was sent;
 * `version` rebuilds an older template's text (see buildsTemplate).
 */
export function promptFor(p: PromptInput, format: EditFormat, version?: number): BuiltPrompt {
  const edits = p.editFiles ?? [];
  const multi = edits.length > 0;
  const template = { id: templateFor(format, multi).id, version: version ?? templateFor(format, multi).version };
  if (!buildsTemplate(template)) throw new Error(`prompt template ${template.id} v${template.version} is not one this version of Edit Scope builds`);
  const { window } = p;
  const sel = splitLines(p.windowText);
  const from = p.range.start - window.start;
  const to = Math.min(p.range.end, window.end) - window.start + 1;
  const selection = sel.lines.slice(from, to).map((l, i) => l + (sel.eols[from + i] || '\n')).join('');
  const parts: string[] = [];
  for (const c of p.contextFiles) {
    const lines = c.lines ? ` lines="${c.lines.start}-${c.lines.end}"` : '';
    parts.push(`<context_file path="${attr(c.path)}"${lines}>\n${withNewline(c.text)}</context_file>`);
  }
  const partial = window.start > 1 || window.end < p.totalLines;
  parts.push(
    `<file path="${attr(p.file)}" language="${p.language}" lines="${window.start}-${window.end}" total_lines="${p.totalLines}"${partial ? ' partial="true"' : ''}>\n${withNewline(p.windowText)}</file>`,
  );
  parts.push(`<selection lines="${p.range.start}-${p.range.end}">\n${withNewline(selection)}</selection>`);
  for (const f of edits) {
    const lines = splitLines(f.text).lines.length;
    const change = f.range ? ` change_lines="${f.range.start}-${f.range.end}"` : '';
    parts.push(`<editable_file path="${attr(f.path)}" language="${languageOf(f.path)}" total_lines="${lines}"${change}>\n${withNewline(f.text)}</editable_file>`);
  }
  parts.push(`<instruction>\n${p.instruction.trim()}\n</instruction>`);
  let answer: string;
  if (!multi) {
    answer =
      format === 'whole'
        ? `Return lines ${window.start}-${window.end} of ${p.file} with the instruction carried out, whole, in one fenced code block.`
        : `Return SEARCH/REPLACE blocks against lines ${window.start}-${window.end} of ${p.file}.`;
    // A fence no longer than a fence line in the text would end the block early (CommonMark).
    const run = longestFenceRun(p.windowText, '`');
    if (template.version >= 2 && format === 'whole' && run) {
      answer += ` The text holds lines starting with ${'`'.repeat(run)}, so open and close your block with ${'`'.repeat(run + 1)} (${run + 1} backticks).`;
    }
  } else {
    const list = [p.file, ...edits.map((f) => f.path)].join(', ');
    answer =
      format === 'whole'
        ? `For each of ${list} that you change: its path alone on a line, then in one fenced code block its whole updated text (for ${p.file}: lines ${window.start}-${window.end}).`
        : `For each of ${list} that you change: its path alone on a line, then SEARCH/REPLACE blocks against it (for ${p.file}: against lines ${window.start}-${window.end}).`;
  }
  parts.push(`<output_format>\n${answer}\n</output_format>`);
  const system = (multi ? SYSTEM_MULTI : SYSTEM)[format][template.version];
  return {
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: parts.join('\n\n') },
    ],
    window,
    template,
    format,
  };
}

/** The template a logged id names, or undefined for one this version does not know. */
export function formatOfTemplate(id: string): EditFormat | undefined {
  return (Object.keys(TEMPLATES) as EditFormat[]).find((f) => TEMPLATES[f].id === id || MULTI_TEMPLATES[f].id === id);
}

export function isMultiFileTemplate(id: string): boolean {
  return Object.values(MULTI_TEMPLATES).some((t) => t.id === id);
}

function withNewline(text: string): string {
  return text.endsWith('\n') || text === '' ? text : text + '\n';
}

/**
 * The prompt's own attribute quoting, not escapeHtml: it is part of every prompt a log has
 * recorded and an export replays, so it stays exactly as it is.
 */
function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
