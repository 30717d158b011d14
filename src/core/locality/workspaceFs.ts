import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInsideRelative, readRegularFile, realOrNearest } from '../io/readText';

/** Larger files are not source anyone selects from or sends as context. */
const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

/**
 * The few file-system questions module resolution asks, each asked once per path: one
 * resolution touches the same tsconfig, package.json and folders over and over.
 */
export class WorkspaceFs {
  private readonly kinds = new Map<string, 'file' | 'dir' | null>();
  private readonly texts = new Map<string, string | null>();
  private readonly jsons = new Map<string, unknown>();
  private readonly reals = new Map<string, string>();

  /**
   * The workspace folder as it really is: resolution follows links to real paths, so a
   * workspace opened through a link (a symlinked checkout, /tmp on macOS) would otherwise hold
   * none of its own files.
   */
  readonly root: string;

  constructor(root: string) {
    this.root = realOrNearest(root);
  }

  /** A path given under the workspace as opened, as a path under its real folder. */
  local(p: string): string {
    return realOrNearest(p);
  }

  kind(p: string): 'file' | 'dir' | null {
    let k = this.kinds.get(p);
    if (k === undefined) {
      try {
        const st = fs.statSync(p);
        k = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : null;
      } catch {
        k = null;
      }
      this.kinds.set(p, k);
    }
    return k;
  }

  isFile(p: string): boolean {
    return this.kind(p) === 'file';
  }

  isDir(p: string): boolean {
    return this.kind(p) === 'dir';
  }

  /**
   * The file's text, or null when it is missing, unreadable, not a regular file (a link to
   * /dev/zero or a FIFO must neither fill memory nor hang) or too large to be source.
   */
  read(p: string): string | null {
    let t = this.texts.get(p);
    if (t === undefined) {
      try {
        t = readRegularFile(p, 'file', MAX_SOURCE_BYTES).toString('utf8').replace(/^\uFEFF/, '');
      } catch {
        t = null;
      }
      this.texts.set(p, t);
    }
    return t;
  }

  /** A JSON (or tsconfig-style JSONC) file, or undefined when it is missing or unreadable. */
  json(p: string): unknown {
    if (this.jsons.has(p)) return this.jsons.get(p);
    const text = this.read(p);
    let v: unknown;
    if (text !== null) {
      try {
        v = JSON.parse(stripJsonComments(text));
      } catch {
        v = undefined;
      }
    }
    this.jsons.set(p, v);
    return v;
  }

  realpath(p: string): string {
    let r = this.reals.get(p);
    if (r === undefined) {
      try {
        r = fs.realpathSync(p);
      } catch {
        r = p;
      }
      this.reals.set(p, r);
    }
    return r;
  }

  list(dir: string): string[] {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  }

  /**
   * Inside the workspace by its path and by what it really is: a link planted in the
   * repository must not make a file elsewhere (credentials, another project) context to send.
   */
  contains(p: string): boolean {
    if (!this.inWorkspace(p)) return false;
    return isInsideRelative(path.relative(this.realpath(this.root), this.realpath(p)));
  }

  /** Inside the workspace and not an installed dependency: a definition the person's own code holds. */
  inWorkspace(p: string): boolean {
    const rel = path.relative(this.root, p);
    return isInsideRelative(rel) && !rel.split(path.sep).includes('node_modules');
  }
}

/** tsconfig.json allows comments and trailing commas. */
export function stripJsonComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}
