import type { ChatMessage } from '../providers/chatProvider';
import { messagesFor } from './prompt';
import graderSource from './rft_grader.py';
import type { EvalSetTask } from './evalSetTask';

/**
 * One line of OpenAI reinforcement fine-tuning data: the messages the model was sent,
 * ending with the user turn, and beside them the fields the grader reads as `item.<field>`.
 */
export interface RftItem {
  messages: ChatMessage[];
  task_id: string;
  file: string;
  language: string;
  /** How the answer is given: the whole window in one fenced block, or SEARCH/REPLACE blocks. */
  format: EvalSetTask['prompt']['format'];
  /** The lines of the file the model was sent, as sent. */
  window_text: string;
  /** The selection, 1-based lines of the window. */
  selection_start: number;
  selection_end: number;
  /** The window as the person accepted (or kept) it. */
  reference: string;
  /**
   * A multi-file task's files, the target first, then those it may change: the grader grades
   * the target's part of the answer and scores 0 for scope when it changes any other file.
   */
  files?: string[];
}

/** The item for a task with a reference (check `task.reference` first). */
export function rftItem(t: EvalSetTask): RftItem {
  if (!t.reference) throw new Error(`task ${t.id} has no accepted edit to grade against`);
  const first = t.ranges[0];
  return {
    messages: messagesFor(t),
    task_id: t.id,
    file: t.file,
    language: t.language,
    format: t.prompt.format,
    window_text: t.windowText,
    selection_start: first.start - t.window.start + 1,
    selection_end: Math.min(first.end, t.window.end) - t.window.start + 1,
    reference: t.reference.output,
    ...(t.editFiles?.length ? { files: [t.file, ...t.editFiles.map((f) => f.path)] } : {}),
  };
}

/** The grader the fine-tuning job is created with: src/core/evalset/rft_grader.py, as it is. */
export function rftGrader(): { type: 'python'; name: string; source: string } {
  return { type: 'python', name: 'editscope-scope-and-reference', source: graderSource };
}
