import { languageOf } from '../analysis/language';
import { createTask } from '../task/createTask';
import type { EditTask } from '../task/editTask';
import { promptFor } from '../prompt/build';
import { applySearchReplace } from '../prompt/parse';
import { formatSearchReplace, type SearchReplace } from '../prompt/searchReplace';
import type { ChatMessage } from '../providers/chatProvider';
import { splitLines } from '../text/lines';
import type { EvalSetTask } from './evalSetTask';

/** Exactly the messages the model was sent for this task (system, then user). */
export function messagesFor(t: EvalSetTask): ChatMessage[] {
  return promptFor(
    {
      file: t.file,
      language: t.language,
      window: t.window,
      windowText: t.windowText,
      totalLines: t.totalLines ?? t.window.end,
      range: t.ranges[0],
      instruction: t.instruction,
      contextFiles: t.contextFiles,
      editFiles: t.editFiles,
    },
    t.prompt.format,
    t.prompt.template.version,
  ).messages;
}

/**
 * The task to send again. Without the whole file, the lines outside the window are blank
 * stand-ins: the prompt only ever shows the window, so it is the same prompt, and the
 * analysis compares only what the model changed.
 */
export function editTaskFor(t: EvalSetTask, id?: string): EditTask {
  const original = t.original ?? standIn(t);
  return createTask({
    id,
    file: t.file,
    original,
    range: t.ranges[0],
    instruction: t.instruction,
    contextFiles: t.contextFiles.map((c) => ({ path: c.path, text: c.text, ...(c.lines ? { lines: c.lines } : {}) })),
    dependsOn: t.dependsOn ?? [],
    editFiles: (t.editFiles ?? []).map((f) => ({ path: f.path, text: f.text, range: f.range })),
  });
}

function standIn(t: EvalSetTask): string {
  const w = splitLines(t.windowText);
  const eol = w.eols.filter((e) => e === '\r\n').length > w.eols.length / 2 ? '\r\n' : '\n';
  const before = eol.repeat(t.window.start - 1);
  const total = t.totalLines ?? t.window.end;
  let text = t.windowText;
  if (total > t.window.end && w.eols[w.eols.length - 1] === '') text += eol;
  return before + text + eol.repeat(Math.max(0, total - t.window.end));
}

const LANG_TAG: Record<string, string> = { typescript: 'ts', javascript: 'js', python: 'python' };

/**
 * The answer a model should give for this window output, in the task's format: the whole
 * window in one fenced block, or SEARCH/REPLACE blocks that turn the window into it. Used as
 * the assistant turn of fine-tuning and preference data and as the ideal answer of evals.
 */
export function answerFor(t: EvalSetTask, output: string, files?: ReadonlyArray<{ file: string; output: string }>): string {
  if (!t.editFiles?.length) return fileAnswer(t.prompt.format, t.language, t.windowText, output);
  // A multi-file answer: each changed file's path alone on a line, then its block(s).
  const others = files ?? t.editFiles.map((f) => ({ file: f.path, output: f.reference ?? f.text }));
  const parts: string[] = [];
  if (output !== t.windowText) parts.push(`${t.file}\n${fileAnswer(t.prompt.format, t.language, t.windowText, output)}`);
  for (const f of others) {
    const before = t.editFiles.find((e) => e.path === f.file)?.text ?? null;
    if (before === f.output) continue;
    parts.push(`${f.file}\n${fileAnswer(t.prompt.format, languageOf(f.file), before, f.output)}`);
  }
  return parts.join('\n\n');
}

/** One file's block(s): its text in a fence, or SEARCH/REPLACE blocks from `before` (null: a new file). */
function fileAnswer(format: EvalSetTask['prompt']['format'], language: string, before: string | null, output: string): string {
  const lf = output.replace(/\r\n?/g, '\n');
  if (format === 'whole') {
    const body = lf.endsWith('\n') ? lf.slice(0, -1) : lf;
    let fence = '```';
    while (body.split('\n').some((l) => l.trimStart().startsWith(fence))) fence += '`';
    return `${fence}${LANG_TAG[language] ?? ''}\n${body}\n${fence}`;
  }
  const blocks = before === null ? [{ search: '', replace: terminated(splitLines(lf).lines) }] : searchReplaceBlocks(before.replace(/\r\n?/g, '\n'), lf);
  return blocks.map(formatSearchReplace).join('\n\n');
}

/**
 * One SEARCH/REPLACE block from the first changed line to the last, grown by a line of
 * context at a time until its SEARCH text occurs once in the window, checked by applying it
 * exactly as an answer would be applied.
 */
export function searchReplaceBlocks(before: string, after: string): SearchReplace[] {
  const a = splitLines(before).lines;
  const b = splitLines(after).lines;
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  const target = normalizeEnd(after);
  for (let ctx = 0; ctx <= a.length; ctx++) {
    const from = Math.max(0, p - ctx);
    const toA = Math.min(a.length, a.length - s + ctx);
    const toB = Math.min(b.length, b.length - s + ctx);
    if (toA <= from) continue;
    const block = { search: terminated(a.slice(from, toA)), replace: terminated(b.slice(from, toB)) };
    const applied = applySearchReplace(before, [block]);
    if (applied.ok && normalizeEnd(applied.text) === target) return [block];
  }
  return [{ search: terminated(a), replace: terminated(b) }];
}

/** Lines as a block's part: each followed by a line feed. */
function terminated(lines: readonly string[]): string {
  return lines.map((l) => l + '\n').join('');
}

function normalizeEnd(text: string): string {
  return text.replace(/\n+$/, '');
}
