import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors';

export interface FileWrite {
  /** Absolute path of an existing file. */
  path: string;
  /** What the file must still hold, as readTextFile decodes it (a BOM included), for the write to go ahead. */
  expected: string;
  text: string;
}

/**
 * Writes several files all or nothing. Every file must still hold what the edit was made
 * against; each new text goes to a temporary file beside its target first, and only when
 * all are written are they renamed into place. A rename that fails puts back the files
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
  const tmps: string[] = [];
  try {
    writes.forEach((w, i) => {
      const tmp = path.join(path.dirname(w.path), `.${path.basename(w.path)}.editscope-${process.pid}-${i}.tmp`);
      tmps.push(tmp);
      fs.writeFileSync(tmp, w.text, { mode: fs.statSync(w.path).mode });
    });
  } catch (err) {
    for (const t of tmps) fs.rmSync(t, { force: true });
    throw new InputError(`cannot write next to ${writes[tmps.length - 1]?.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; nothing was changed`);
  }
  let done = 0;
  try {
    for (; done < writes.length; done++) fs.renameSync(tmps[done], writes[done].path);
  } catch (err) {
    for (let k = done; k < tmps.length; k++) fs.rmSync(tmps[k], { force: true });
    for (let k = 0; k < done; k++) fs.writeFileSync(writes[k].path, current[k].raw);
    throw new InputError(`cannot replace ${writes[done].path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; the files already replaced were put back`);
  }
  return { changed: [] };
}
