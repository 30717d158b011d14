import * as path from 'node:path';
import { isAscii, isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { InputError } from '../errors';

/** Files past this size are refused rather than risk the editor's or the CLI's memory. */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;

/**
 * Reads a text file for analysis, refusing what is not text with a message that names the
 * file and the problem: missing, a folder, not a regular file, unreadable, too large, or binary.
 */
export function readTextFile(path: string, what = 'file'): string {
  return decodeText(readRegularFile(path, what, MAX_TEXT_BYTES), `${what} ${path}`);
}

/**
 * A regular file's bytes, up to `maxBytes`. It is opened without waiting (a FIFO with no
 * writer would block the open forever) and judged by what was opened, not by a stat before:
 * a device (`/dev/zero` never ends), a FIFO or a socket is refused, and a file that grows past
 * the limit while it is read is refused too rather than read to the end.
 */
export function readRegularFile(file: string, what: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `${what} ${file} does not exist` : code === 'EISDIR' ? `${what} ${file} is a folder, not a file` : `cannot read ${what} ${file} (${code ?? String(err)})`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputError(`${what} ${file} is a folder, not a file`);
    if (!st.isFile()) throw new InputError(`${what} ${file} is not a regular file (a device, a pipe or a socket); only files are read`);
    const tooLarge = () => new InputError(`${what} ${file} is over ${formatBytes(maxBytes)}; the limit is ${formatBytes(maxBytes)}`);
    if (st.size > maxBytes) throw new InputError(`${what} ${file} is ${formatBytes(st.size)}; the limit is ${formatBytes(maxBytes)}`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(st.size - total + 1, 1 << 16), 1 << 20, maxBytes - total + 1));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n <= 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge();
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read ${what} ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  } finally {
    closeSync(fd);
  }
}

function formatBytes(n: number): string {
  return n >= 1048576 ? `${Math.round(n / 1048576)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;
}

/**
 * Whether `p` lies inside `root` by what it really is, links followed on both sides: a link
 * planted in a repository must not make a file elsewhere (credentials, another project) a
 * workspace file, and a workspace reached through a link is still itself. A path that does
 * not exist yet is judged by its nearest existing folder.
 */
export function insideRoot(root: string, p: string): boolean {
  return isInsideRelative(path.relative(realOrNearest(root), realOrNearest(path.resolve(root, p))));
}

/** Whether a path.relative() result names something below its base (not the base itself, not above, not another drive). */
export function isInsideRelative(rel: string): boolean {
  // `..config.ts` is a file below the base; only `..` itself or a `../` step leaves it.
  return !!rel && rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel);
}

/** The real path of `p`, or of its nearest existing ancestor with the rest appended. */
export function realOrNearest(p: string): string {
  const abs = path.resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(realOrNearest(parent), path.basename(abs));
  }
}

/**
 * Decodes UTF-8, refusing binary content (judged as git does: a NUL byte early on) and bytes
 * that are not UTF-8 (Latin-1, Windows-1252): decoding those lossily made a changed file look
 * identical and had \`--apply\` rewrite bytes outside the selection. A byte-order mark stays
 * in the text as U+FEFF, so an edit that drops it is seen (the \`bom\` finding).
 */
export function decodeText(buf: Buffer, label: string): string {
  const head = buf.subarray(0, 8000);
  if (head.includes(0)) throw new InputError(`${label} looks binary (it contains NUL bytes); only text files can be analysed`);
  // ASCII, most source files, is the same in Latin-1, whose decoding is a plain copy.
  if (isAscii(buf)) return buf.toString('latin1');
  if (!isUtf8(buf)) {
    const text = buf.toString('utf8');
    const bad = text.indexOf('\uFFFD');
    const line = bad < 0 ? 1 : text.slice(0, bad).split('\n').length;
    throw new InputError(`${label} is not UTF-8 (line ${line} holds a byte that is not); Edit Scope reads UTF-8 only, so convert it first (e.g. iconv -f latin1 -t utf-8)`);
  }
  return buf.toString('utf8');
}

/**
 * A workspace file's text for a path a model wrote, or null: outside the workspace (by its
 * real path), missing, not a regular file or not text. A model's answer is untrusted input,
 * so it never reads outside the root.
 */
export function readWorkspaceText(root: string, p: string): string | null {
  const abs = path.resolve(root, p);
  const rel = path.relative(root, abs);
  if (!isInsideRelative(rel) || !insideRoot(root, abs)) return null;
  try {
    return readTextFile(abs, 'file');
  } catch (err) {
    if (err instanceof InputError) return null;
    throw err;
  }
}
