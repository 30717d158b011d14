import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from './inputError';

/**
 * Writes a whole file through a temporary file beside it and a rename, so a reader (or a crash)
 * never sees half of it, and an existing file is replaced only by a complete one.
 */
export function writeFileAtomic(target: string, text: string): void {
  const dir = path.dirname(target);
  try {
    if (fs.statSync(target).isDirectory()) throw new InputError(`cannot write ${target}: it is a folder`);
  } catch (err) {
    if (err instanceof InputError) throw err;
  }
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new InputError(`cannot write ${target}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
