import * as path from 'node:path';
import { isAscii, isUtf8 } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../errors';

/** Files past this size are refused rather than risk the editor's or the CLI's memory. */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;

/**
 * Reads a text file for analysis, refusing what is not text with a message that names the
 * file and the problem: missing, a folder, unreadable, too large, or binary.
 */
export function readTextFile(path: string, what = 'file'): string {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(`${what} ${path} is a folder, not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `${what} ${path} does not exist` : `cannot read ${what} ${path} (${code ?? String(err)})`);
  }
  if (size > MAX_TEXT_BYTES) throw new InputError(`${what} ${path} is ${(size / 1048576).toFixed(0)} MB; the limit is ${MAX_TEXT_BYTES / 1048576} MB`);
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new InputError(`cannot read ${what} ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return decodeText(buf, `${what} ${path}`);
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
 * A workspace file's text for a path a model wrote, or null: outside the workspace, missing
 * or not text. A model's answer is untrusted input, so it never reads outside the root.
 */
export function readWorkspaceText(root: string, p: string): string | null {
  const abs = path.resolve(root, p);
  const rel = path.relative(root, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  try {
    return readTextFile(abs, 'file');
  } catch (err) {
    if (err instanceof InputError) return null;
    throw err;
  }
}
