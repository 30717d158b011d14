import type { EditError } from '../task/editTask';

/** Why an answer is not an edit. */
export type Refused = { ok: false; error: EditError };

/** What reading an answer (or applying its blocks) came to: what it gave, or why it is not an edit. */
export type Outcome<T> = ({ ok: true } & T) | Refused;

/** An answer read, or its blocks applied, as the text it stands for. */
export type TextOutcome = Outcome<{ text: string }>;

/** The answer cannot be read as an edit, for the reason the message gives. */
export function malformed(message: string): Refused {
  return { ok: false, error: { kind: 'malformed-output', message } };
}

export const TRUNCATED: Refused = {
  ok: false,
  error: { kind: 'truncated', message: 'The model ran out of output tokens before it finished (finish_reason "length")' },
};
