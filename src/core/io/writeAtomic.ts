import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors';
import { isInsideRelative, realOrNearest } from './readText';

/**
 * The one way a file is replaced: its text goes to a temporary file beside it, and only a
 * complete one is renamed over it, so a reader (or a crash) never sees half of it. Text may be
 * streamed in (an export of any size); commit renames, abort leaves the target as it was.
 *
 * A link is followed to the file it names (the link stays a link), and a file keeps its mode.
 * A device, a FIFO or a socket (`/dev/stdout`, a named pipe) is written directly: renaming
 * over it would replace the device itself. `write-file-atomic` was weighed and not taken: its
 * synchronous write ignores a short write (on a full disk it renames a truncated file over the
 * good one) and it renames over devices.
 */
export class AtomicWriter {
  /** Null when the target is a device or a FIFO, written directly. */
  private readonly tmp: string | null;
  private readonly real: string;
  private fd: number | null;
  private pending: string[] = [];
  private size = 0;

  constructor(
    /** The path as the user named it, for messages. */
    private readonly target: string,
    opts: WriteOptions = {},
  ) {
    let real = target;
    let st: fs.Stats | undefined;
    try {
      real = fs.realpathSync(target);
      st = fs.statSync(real);
    } catch {
      // A new file.
    }
    if (st?.isDirectory()) throw new InputError(`cannot write ${target}: it is a folder`);
    if (opts.root) checkInsideWrite(target, opts.root, st);
    this.real = real;
    const dir = path.dirname(real);
    this.tmp = st && !st.isFile() ? null : path.join(dir, `.${path.basename(real)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      if (!this.tmp) {
        this.fd = openSpecial(real);
        return;
      }
      fs.mkdirSync(dir, { recursive: true });
      // 'wx': never through a link or over a file someone planted under the temporary name.
      this.fd = fs.openSync(this.tmp, 'wx', opts.mode ?? (st ? st.mode & 0o7777 : 0o666));
    } catch (err) {
      throw new InputError(`cannot write ${target}: ${describeFsError(err)}`);
    }
  }

  /** Appends text, written out in large pieces. */
  write(text: string): void {
    this.pending.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }

  /** Appends one JSON Lines record. */
  line(value: unknown): void {
    this.write(JSON.stringify(value) + '\n');
  }

  /** Writes out what is pending and closes the temporary file, ready to be renamed. */
  close(): void {
    if (this.fd === null) return;
    this.flush();
    const fd = this.fd;
    this.fd = null;
    try {
      if (this.tmp) fs.fsyncSync(fd);
    } catch (err) {
      throw new InputError(`cannot write ${this.target}: ${describeFsError(err)}`);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Puts the complete file in place of the target. */
  commit(): void {
    this.close();
    if (!this.tmp) return;
    try {
      fs.renameSync(this.tmp, this.real);
    } catch (err) {
      throw new InputError(`cannot write ${this.target}: ${describeFsError(err)}`);
    }
  }

  /** Leaves the target as it was. */
  abort(): void {
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
        /* already closed */
      }
      this.fd = null;
    }
    if (this.tmp) fs.rmSync(this.tmp, { force: true });
  }

  private flush(): void {
    if (!this.pending.length || this.fd === null) return;
    try {
      // writeFileSync on a descriptor carries on after a short write (writeSync would not).
      fs.writeFileSync(this.fd, this.pending.join(''));
    } catch (err) {
      throw new InputError(`cannot write ${this.target}: ${describeFsError(err)}`);
    }
    this.pending = [];
    this.size = 0;
  }
}

export interface WriteOptions {
  mode?: number;
  /**
   * The workspace: a target named inside it must really be a regular file inside it. A link
   * planted in a repository (`.editscope/promptfoo.yaml` pointing at `~/.bashrc`) is refused
   * rather than followed out, and so is a FIFO or device planted there.
   */
  root?: string;
}

function checkInsideWrite(target: string, root: string, st: fs.Stats | undefined): void {
  const rel = path.relative(path.resolve(root), path.resolve(target));
  if (!isInsideRelative(rel)) return;
  const real = realOrNearest(target);
  const realRel = path.relative(realOrNearest(root), real);
  if (!isInsideRelative(realRel)) throw new InputError(`cannot write ${target}: it leads through a link to ${real}, outside the workspace; name that path itself to write there`);
  if (st && !st.isFile()) throw new InputError(`cannot write ${target}: it is not a regular file (a device, a pipe or a socket)`);
}

/**
 * A device or FIFO, opened for writing only once something reads it: a FIFO with no reader
 * would block the open forever (and past Ctrl+C). Reopened blocking once a reader is there,
 * so a large write waits for the reader rather than failing half way.
 */
function openSpecial(file: string): number {
  const probe = fs.openSync(file, fs.constants.O_WRONLY | (fs.constants.O_NONBLOCK ?? 0));
  fs.closeSync(probe);
  return fs.openSync(file, 'w');
}

/** Replaces a whole file at once (see AtomicWriter). */
export function writeFileAtomic(target: string, data: string, opts: WriteOptions = {}): void {
  const w = new AtomicWriter(target, opts);
  try {
    w.write(data);
    w.commit();
  } catch (err) {
    w.abort();
    throw err;
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
  ENXIO: 'nothing is reading that pipe or device',
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
