import * as fs from 'node:fs';
import { InputError } from '../errors';
import { AtomicWriter } from './writeAtomic';

export interface FileWrite {
  /** Absolute path of an existing file. */
  path: string;
  /** What the file must still hold, as readTextFile decodes it (a BOM included), for the write to go ahead. */
  expected: string;
  text: string;
}

/**
 * Writes several files all or nothing. Every file must still hold what the edit was made
 * against; each new text goes to a temporary file beside its target first (AtomicWriter), and
 * only when all are written are they renamed into place. A rename that fails puts back the files
 * already replaced, so the workspace is never left half edited. A file keeps its mode; its BOM
 * is part of the text (an edit that drops one is reported as a \`bom\` finding).
 * Returns the paths that no longer hold what was expected (nothing is written then).
 */
export function writeFilesAllOrNothing(writes: readonly FileWrite[]): { changed: string[] } {
  const current = writes.map((w) => {
    let raw: Buffer;
    try {
      raw = fs.readFileSync(w.path);
    } catch (err) {
      throw new InputError(`cannot read ${w.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return { raw };
  });
  // Byte for byte: the text was decoded strictly (UTF-8 only), so this is the same file or not.
  const changed = writes.filter((w, i) => !current[i].raw.equals(Buffer.from(w.expected, 'utf8'))).map((w) => w.path);
  if (changed.length) return { changed };
  const writers: AtomicWriter[] = [];
  try {
    for (const w of writes) {
      const writer = new AtomicWriter(w.path);
      writers.push(writer);
      writer.write(w.text);
      writer.close();
    }
  } catch (err) {
    for (const w of writers) w.abort();
    throw new InputError(`${(err as Error).message}; nothing was changed`);
  }
  let done = 0;
  try {
    for (; done < writes.length; done++) writers[done].commit();
  } catch (err) {
    for (let k = done; k < writers.length; k++) writers[k].abort();
    for (let k = 0; k < done; k++) fs.writeFileSync(writes[k].path, current[k].raw);
    throw new InputError(`${(err as Error).message}; the files already replaced were put back`);
  }
  return { changed: [] };
}
