import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors';

/**
 * Writes a whole file through a temporary file beside it and a rename, so a reader (or a crash)
 * never sees half of it, and an existing file is replaced only by a complete one.
 *
 * A link is followed to the file it names (the link stays a link). A device, a FIFO or a
 * socket (`/dev/stdout`, a named pipe) is written directly: renaming over it would replace
 * the device itself. `write-file-atomic` was weighed and not taken: its synchronous write
 * ignores a short write (on a full disk it renames a truncated file over the good one) and it
 * renames over devices.
 */
export function writeFileAtomic(target: string, data: string | Buffer, opts: { mode?: number } = {}): void {
  let real = target;
  let st: fs.Stats | undefined;
  try {
    real = fs.realpathSync(target);
    st = fs.statSync(real);
  } catch {
    // A new file.
  }
  if (st?.isDirectory()) throw new InputError(`cannot write ${target}: it is a folder`);
  if (st && !st.isFile()) {
    try {
      fs.writeFileSync(real, data);
      return;
    } catch (err) {
      throw new InputError(`cannot write ${target}: ${describeFsError(err)}`);
    }
  }
  const dir = path.dirname(real);
  const tmp = path.join(dir, `.${path.basename(real)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    // 'wx': never through a link or over a file someone planted under the temporary name.
    const fd = fs.openSync(tmp, 'wx', opts.mode ?? (st ? st.mode & 0o7777 : 0o666));
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, real);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new InputError(`cannot write ${target}: ${describeFsError(err)}`);
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'over the disk quota',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'the file system is read-only',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'it is a symbolic link',
  EEXIST: 'it already exists',
  ENOENT: 'no such file or folder',
  EMFILE: 'too many open files',
  EIO: 'an input/output error',
};

/** `ENOSPC (no space left on the device)`: the code a search finds and words a person reads. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (!code) return err instanceof Error ? err.message : String(err);
  return REASONS[code] ? `${code} (${REASONS[code]})` : code;
}

/** Whether two paths name the same file (through links, `..` or hard links), so one would overwrite the other. */
export function sameFile(a: string, b: string): boolean {
  try {
    const x = fs.statSync(a);
    const y = fs.statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}
