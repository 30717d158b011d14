/** A problem with what the user gave us (a file, a range, a log line): reported, never a crash. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
