import { randomBytes } from 'node:crypto';
import { languageOf } from '../analysis/language';
import type { LineRange } from '../analysis/types';
import { InputError } from '../io/inputError';
import { splitLines } from '../text/lines';
import type { ContextFile, EditTask } from './types';

export interface TaskInput {
  file: string;
  original: string;
  range: LineRange;
  instruction: string;
  contextFiles?: ContextFile[];
  id?: string;
  time?: Date;
}

/** A task id that sorts by time and is short enough to type: `20261123-071502-3f9a1c`. */
export function newTaskId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function createTask(input: TaskInput): EditTask {
  const lines = splitLines(input.original).lines.length;
  const { start, end } = input.range;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end < start) {
    throw new InputError(`range ${start}-${end} is not a 1-based line range`);
  }
  if (end > Math.max(lines, 1)) {
    throw new InputError(`range ${start}-${end} is outside ${input.file}, which has ${lines} line${lines === 1 ? '' : 's'}`);
  }
  if (!input.instruction.trim()) throw new InputError('the instruction is empty');
  const time = input.time ?? new Date();
  const contextFiles = input.contextFiles ?? [];
  return {
    id: input.id ?? newTaskId(time),
    time: time.toISOString(),
    file: input.file,
    language: languageOf(input.file),
    original: input.original,
    range: { start, end },
    instruction: input.instruction,
    contextFiles,
    locality: contextFiles.length ? 'cross-file' : 'local',
  };
}
