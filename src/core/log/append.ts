import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../io/inputError';
import { redactor } from './secrets';

const LOCK_WAIT_MS = 15_000;
/** A lock older than this was left by a process that died mid-append. */
const STALE_LOCK_MS = 30_000;

/**
 * Appends one record as one line with one write, under a lock file, so two processes (two
 * editor windows, the editor and a CLI run) never interleave bytes or lose a record. A torn
 * last line left by a crash is closed first, so the new record starts on its own line.
 */
export async function appendRecordLine(logPath: string, record: unknown, secrets: readonly string[] = []): Promise<void> {
  const redact = redactor(process.env, secrets);
  const line = (redact ? JSON.stringify(record, (_key, value) => (typeof value === 'string' ? redact(value) : value)) : JSON.stringify(record)) + '\n';
  fs.mkdirSync(path.dirname(path.resolve(logPath)), { recursive: true });
  const lock = `${logPath}.lock`;
  await acquire(lock);
  try {
    const fd = fs.openSync(logPath, 'a+');
    try {
      const size = fs.fstatSync(fd).size;
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        fs.readSync(fd, last, 0, 1, size - 1);
        if (last[0] !== 10) prefix = '\n';
      }
      fs.writeSync(fd, prefix + line);
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

async function acquire(lock: string): Promise<void> {
  const started = Date.now();
  let wait = 2;
  for (;;) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new InputError(`cannot lock the eval log (${lock}): ${(err as Error).message}`);
    }
    try {
      if (Date.now() - fs.statSync(lock).mtimeMs > STALE_LOCK_MS) {
        fs.rmSync(lock, { force: true });
        continue;
      }
    } catch {
      continue;
    }
    if (Date.now() - started > LOCK_WAIT_MS) throw new InputError(`the eval log is locked by another process (${lock}); remove that file if no Edit Scope is running`);
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 50);
  }
}
