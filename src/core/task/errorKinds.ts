/**
 * Every way a model's result can fail, one row each: what it means, how an HTTP status maps
 * to it, the words a provider error starts with, whether the request is worth retrying, and
 * whether a replay grades it (a 0 the model earned) or leaves it ungraded (nothing to do with
 * the model: the task is sent again when the replay resumes).
 */
interface ErrorKindRow {
  means: string;
  /** HTTP statuses of this kind (other 4xx are `request`, anything else `server`). */
  statuses?: readonly number[];
  /** How a provider's message for an HTTP error of this kind starts. */
  wording?: string;
  /** Whether a request that failed so is sent again, given the HTTP status if there was one. */
  retry: (status: number | undefined) => boolean;
  /** A replay grades it (scores 0) rather than leaving the task for the next run. */
  graded: boolean;
}

const never = () => false;
const always = () => true;

export const ERROR_KINDS = {
  auth: { means: 'the key was refused, or the model may not be used', statuses: [401, 403], wording: 'Not authorised', retry: never, graded: false },
  'rate-limit': { means: 'too many requests: the server asked to wait', statuses: [429], wording: 'Rate limited', retry: always, graded: false },
  // A status below 500 (a 200 that is not a stream) is the server's fault but a retry would get the same.
  server: { means: 'the server failed or answered with something unreadable', wording: 'Server error', retry: (status) => status === undefined || status >= 500, graded: false },
  // The server saying it timed out (408) is retried; our own time limit running out is not.
  timeout: { means: 'no complete answer in time', statuses: [408], wording: 'The server timed out', retry: (status) => status === 408, graded: false },
  network: { means: 'the endpoint could not be reached', retry: always, graded: false },
  'malformed-output': { means: 'the answer could not be read as an edit', retry: never, graded: true },
  truncated: { means: 'the model ran out of output tokens before it finished', retry: never, graded: true },
  'not-found': { means: 'no such model or endpoint', statuses: [404], wording: 'Model or endpoint not found', retry: never, graded: false },
  // A bad parameter or a prompt too long for the model: not the server failing, and not worth a retry.
  request: { means: 'the server refused the request itself', wording: 'Request refused', retry: never, graded: false },
  cancelled: { means: 'stopped by the user (Stop, Cancel, Ctrl+C)', retry: never, graded: false },
} as const satisfies Record<string, ErrorKindRow>;

export type ErrorKind = keyof typeof ERROR_KINDS;

/** The kind of a failed HTTP status, as every result and the eval log classify it. */
export function errorKindOfStatus(status: number): ErrorKind {
  for (const [kind, row] of Object.entries(ERROR_KINDS) as Array<[ErrorKind, ErrorKindRow]>) if (row.statuses?.includes(status)) return kind;
  if (status >= 400 && status < 500) return 'request';
  return 'server';
}

/** How a provider's message for an HTTP error of this kind starts. */
export function statusWording(kind: ErrorKind): string {
  return (ERROR_KINDS[kind] as ErrorKindRow).wording ?? ERROR_KINDS.server.wording;
}

export function isRetried(kind: ErrorKind, status: number | undefined): boolean {
  return ERROR_KINDS[kind].retry(status);
}

export function isGraded(kind: ErrorKind): boolean {
  return ERROR_KINDS[kind].graded;
}
