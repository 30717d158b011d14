import { randomBytes } from 'node:crypto';
import { languageOf } from '../analysis/language';
import type { LineRange } from '../analysis/analysisTypes';
import { InputError } from '../errors';
import { splitLines } from '../text/lines';
import { localityOf, type ContextFile, type Dependency, type EditableFile, type EditTask } from './editTask';
import { plural } from '../text/plural';

export interface TaskInput {
  file: string;
  original: string;
  range: LineRange;
  instruction: string;
  contextFiles?: ContextFile[];
  dependsOn?: Dependency[];
  editFiles?: EditableFile[];
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
  // Refused here, before a model is paid to answer: an empty file has no line to change.
  if (!input.original.replace(/^\uFEFF/, '')) throw new InputError(`${input.file} is empty: there is no line ${start} to edit`);
  if (end > Math.max(lines, 1)) {
    throw new InputError(`range ${start}-${end} is outside ${input.file}, which has ${plural(lines, 'line')}`);
  }
  if (!input.instruction.trim()) throw new InputError('the instruction is empty');
  const time = input.time ?? new Date();
  const contextFiles = input.contextFiles ?? [];
  const dependsOn = input.dependsOn ?? [];
  const editFiles = input.editFiles ?? [];
  for (const f of editFiles) {
    if (f.path === input.file) throw new InputError(`${f.path} is the file being edited; an editable file must be another one`);
    if (!f.range) continue;
    const n = splitLines(f.text).lines.length;
    if (!Number.isInteger(f.range.start) || f.range.start < 1 || f.range.end < f.range.start || f.range.end > Math.max(n, 1)) {
      throw new InputError(`range ${f.range.start}-${f.range.end} is outside ${f.path}, which has ${plural(n, 'line')}`);
    }
  }
  return {
    id: input.id ?? newTaskId(time),
    time: time.toISOString(),
    file: input.file,
    language: languageOf(input.file),
    original: input.original,
    range: { start, end },
    instruction: input.instruction,
    contextFiles,
    dependsOn,
    editFiles,
    locality: localityOf({ dependsOn, editFiles }),
  };
}
