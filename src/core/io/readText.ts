import { isAscii } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { InputError } from './inputError';

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

/** Decodes UTF-8 (a BOM is dropped) and refuses binary content, judged as git does: a NUL byte early on. */
export function decodeText(buf: Buffer, label: string): string {
  const head = buf.subarray(0, 8000);
  if (head.includes(0)) throw new InputError(`${label} looks binary (it contains NUL bytes); only text files can be analysed`);
  // ASCII, most source files, is the same in Latin-1, whose decoding is a plain copy.
  let text = isAscii(buf) ? buf.toString('latin1') : buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}
