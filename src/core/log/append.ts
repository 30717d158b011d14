import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../errors';
import { describeFsError } from '../io/writeAtomic';
import { redactor } from '../redact';

const LOCK_WAIT_MS = 15_000;
/**
 * A lock whose holder cannot be checked (another host, or no holder written) is taken as
 * left behind after this long: an append holds it only briefly.
 */
const STALE_LOCK_MS = 10_000;

/** Opens only a regular file, never through a link; O_NOFOLLOW where the platform has it. */
const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

export interface AppendTuning {
  /** How long to wait for another writer before giving up (tests shorten it). */
  lockWaitMs?: number;
}

/**
 * Appends one record as one line, under a lock file, so two processes (two editor windows,
 * the editor and a CLI run) never interleave bytes or lose a record. A torn last line left by
 * a crash is closed first, so the new record starts on its own line. A write that fails part
 * way (a full disk) is cut back off, so the log never keeps half a record; the error says so.
 * The log must be a regular file: a link planted in its place is refused, not followed.
 */
export async function appendRecordLine(logPath: string, record: unknown, secrets: readonly string[] = [], tuning: AppendTuning = {}): Promise<void> {
  const redact = redactor(process.env, secrets);
  const line = (redact ? JSON.stringify(record, (_key, value) => (typeof value === 'string' ? redact(value) : value)) : JSON.stringify(record)) + '\n';
  const dir = path.dirname(path.resolve(logPath));
  checkLogFolder(logPath);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new InputError(`cannot create the eval log's folder ${dir}: ${describeFsError(err)}`);
  }
  checkLogTarget(logPath);
  const lock = `${logPath}.lock`;
  const release = await acquire(lock, tuning.lockWaitMs ?? LOCK_WAIT_MS);
  try {
    let fd: number;
    try {
      fd = fs.openSync(logPath, fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT | NOFOLLOW, 0o644);
    } catch (err) {
      throw new InputError(`cannot write the eval log ${logPath}: ${describeFsError(err)}`);
    }
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile()) throw new InputError(`the eval log ${logPath} is not a regular file`);
      const size = st.size;
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        fs.readSync(fd, last, 0, 1, size - 1);
        if (last[0] !== 10) prefix = '\n';
      }
      writeAll(fd, Buffer.from(prefix + line), logPath, size);
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    release();
  }
}

/** Writes every byte or none: after a failed or short write the file is truncated back to `size`. */
function writeAll(fd: number, buf: Buffer, logPath: string, size: number): void {
  let done = 0;
  try {
    while (done < buf.length) {
      const n = fs.writeSync(fd, buf, done, buf.length - done);
      if (n <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
      done += n;
    }
  } catch (err) {
    let cut = '';
    try {
      if (done > 0) fs.ftruncateSync(fd, size);
    } catch {
      cut = `; its last line may be torn (it is skipped when read)`;
    }
    throw new InputError(`cannot write the eval log ${logPath}: ${describeFsError(err)}; nothing was recorded${cut}`);
  }
}

/**
 * Refuses a log that is a link or not a regular file (a folder, a device, a FIFO), before any
 * work is paid for. A missing file is fine: it is created.
 */
export function checkLogTarget(logPath: string): void {
  checkLogFolder(logPath);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(logPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new InputError(`cannot use the eval log ${logPath}: ${describeFsError(err)}`);
  }
  if (st.isSymbolicLink()) throw new InputError(`the eval log ${logPath} is a symbolic link; Edit Scope writes only a regular file (remove the link, or name the real file with --log)`);
  if (st.isDirectory()) throw new InputError(`the eval log ${logPath} is a folder`);
  if (!st.isFile()) throw new InputError(`the eval log ${logPath} is not a regular file`);
}

/**
 * Refuses a log whose folder is a symbolic link: a repository can plant \`.editscope\` as a
 * link to any folder, and O_NOFOLLOW guards only the file's own name. Only the folder
 * holding the log is judged, so a workspace reached through a link still works.
 */
export function checkLogFolder(logPath: string): void {
  const dir = path.dirname(path.resolve(logPath));
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch {
    return;
  }
  if (st.isSymbolicLink()) throw new InputError(`the eval log's folder ${dir} is a symbolic link; Edit Scope writes and reads the log only in a real folder (name the real path with --log)`);
}

interface Holder {
  pid: number;
  host: string;
}

/**
 * Takes the lock file, which names its holder (`{"pid","host","time"}`), and returns its release.
 * The file is written in full under a temporary name and linked into place, so it never exists
 * empty or half-written, and a failed write leaves nothing behind. A lock whose holder is a
 * dead process on this host is taken over at once; one from another host, or unreadable, once
 * it is older than any append takes.
 */
async function acquire(lock: string, waitMs: number): Promise<() => void> {
  const me = JSON.stringify({ pid: process.pid, host: os.hostname(), time: new Date().toISOString(), nonce: randomBytes(6).toString('hex') }) + '\n';
  const started = Date.now();
  let wait = 2;
  for (;;) {
    if (create(lock, me)) {
      return () => {
        // Only our own lock is removed: one taken over from us in error stays its new owner's.
        if (readText(lock) === me) fs.rmSync(lock, { force: true });
      };
    }
    const seen = readText(lock);
    // Released meanwhile: try again at once. Something unreadable there (a folder) is waited on.
    if (seen === null && !present(lock)) continue;
    if (seen !== null && isAbandoned(lock, seen) && breakLock(lock, seen, me)) continue;
    if (Date.now() - started > waitMs) {
      const parsed = seen === null ? null : parseHolder(seen);
      const h = parsed === 'foreign' ? null : parsed;
      throw new InputError(
        `the eval log is locked by ${h ? `process ${h.pid} on ${h.host}` : 'another process'} (${lock}); if no Edit Scope is running there, remove that file`,
      );
    }
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 50);
  }
}

/** Creates `file` holding `text`, or returns false when it exists. */
function create(file: string, text: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(tmp, text, { flag: 'wx' });
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err;
      // A file system without hard links: created exclusively, then written (one small write).
      fs.writeFileSync(file, text, { flag: 'wx' });
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new InputError(`cannot lock the eval log (${file}): ${describeFsError(err)}`);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Whether anything is at the path, a dangling link included. */
function present(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** A lock's text, or null when it cannot be read or is not a regular file (a planted pipe would block a plain read forever). */
function readText(file: string): string | null {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch {
    return null;
  }
  try {
    return fs.fstatSync(fd).isFile() ? fs.readFileSync(fd, 'utf8') : null;
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The holder a lock names, when it is one this version writes. A lock holding a bare pid
 * (`1`, as an old version wrote it, or committed to a repository) names no writer that can
 * still be running: every writer now writes the JSON holder, and holds it for milliseconds.
 */
function parseHolder(text: string): Holder | 'foreign' | null {
  if (/^\s*\d+\s*$/.test(text)) return 'foreign';
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    if (Number.isInteger(h.pid) && (h.pid as number) > 0 && typeof h.host === 'string') return h as Holder;
  } catch {
    // Unreadable: judged by its age.
  }
  return null;
}

function isAbandoned(lock: string, text: string): boolean {
  const h = parseHolder(text);
  if (h === 'foreign') return true;
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(lock).mtimeMs;
  } catch {
    return false;
  }
  // On this host the holder is known: a dead process, or one started after the lock was
  // written (its pid reused since), holds nothing.
  if (h && h.host === os.hostname()) return !alive(h.pid) || startedAfter(h.pid, mtimeMs);
  return Date.now() - mtimeMs > STALE_LOCK_MS;
}

/** Whether the process started after `timeMs` (Linux, from /proc; elsewhere unknown, so false). */
function startedAfter(pid: number, timeMs: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const boot = Number(/^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(boot)) return false;
    // Clock ticks are 1/100 s on Linux; a second's slack for the clocks' rounding.
    return boot * 1000 + ticks * 10 > timeMs + 1000;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes an abandoned lock, atomically with respect to other writers doing the same: the
 * remover first takes `<lock>.break` (created exclusively), then removes the lock only if it
 * still holds the abandoned text, so a live writer's fresh lock is never removed by a process
 * that saw the dead one a moment earlier. The break lock is held for two system calls; one
 * left by a process killed in between is itself removed once its holder is dead.
 */
function breakLock(lock: string, abandoned: string, me: string): boolean {
  const breaker = `${lock}.break`;
  if (!create(breaker, me)) {
    const other = readText(breaker);
    if (other !== null && isAbandoned(breaker, other) && readText(breaker) === other) fs.rmSync(breaker, { force: true });
    return false;
  }
  try {
    if (readText(lock) === abandoned) fs.rmSync(lock, { force: true });
  } finally {
    fs.rmSync(breaker, { force: true });
  }
  return true;
}
