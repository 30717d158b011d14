import type { ChatMessage } from '../providers/chatProvider';
import { messagesFor } from './prompt';
import graderSource from './rft_grader.py';
import type { EvalSetTask } from './evalSetTask';
import { gradeItemOf, type GradeItem } from './gradeItem';

/**
 * One line of OpenAI reinforcement fine-tuning data: the messages the model was sent,
 * ending with the user turn, and beside them the fields the grader reads as `item.<field>`
 * (see GradeItem: the window, the selection, the accepted edit, a multi-file task's files).
 */
export interface RftItem extends GradeItem {
  messages: ChatMessage[];
  task_id: string;
  language: string;
  /** The window as the person accepted (or kept) it. */
  reference: string;
}

/** The item for a task with a reference (check `task.reference` first). */
export function rftItem(t: EvalSetTask): RftItem {
  if (!t.reference) throw new Error(`task ${t.id} has no accepted edit to grade against`);
  const { format, file, window_text, selection_start, selection_end, reference, ...multi } = gradeItemOf(t);
  return { messages: messagesFor(t), task_id: t.id, file, language: t.language, format, window_text, selection_start, selection_end, reference: reference!, ...multi };
}

/** The grader the fine-tuning job is created with: src/core/evalset/rft_grader.py, as it is. */
export function rftGrader(): { type: 'python'; name: string; source: string } {
  return { type: 'python', name: 'editscope-scope-and-reference', source: graderSource };
}
