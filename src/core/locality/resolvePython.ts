import * as path from 'node:path';
import type { WorkspaceFs } from './workspaceFs';

/**
 * Modules the interpreter has loaded before any of the program's code runs: `import types`
 * gets the standard library's whatever a folder on the path holds.
 */
const PRELOADED = new Set(
  'abc atexit builtins codecs collections contextlib copyreg encodings enum functools genericpath io itertools keyword marshal operator os posix posixpath re reprlib site stat sys time types typing warnings weakref zipimport'.split(' '),
);

/**
 * Resolves Python imports to workspace files as Python 3's import system does: relative
 * imports (`from .models import User`) from the importing module's package, absolute ones
 * against sys.path-like roots only (the folder holding the importing file's top-level
 * package, the project's folder and its `src/`, the workspace root and its `src/`), never
 * against the importing file's own package folder: Python 3 has no implicit relative
 * imports, so `import typing` in `pkg/app.py` is the standard library even beside
 * `pkg/typing.py`. Packages with or without `__init__.py` (namespace packages) both count.
 */
export class PythonResolver {
  constructor(private readonly fs: WorkspaceFs) {}

  /** The module file a dotted name (with leading dots for relative) names, or null. */
  resolveModule(specifier: string, fromFile: string): string | null {
    const hit = this.find(specifier, fromFile);
    return hit && this.fs.contains(hit) ? hit : null;
  }

  private find(specifier: string, fromFile: string): string | null {
    const dots = /^\.*/.exec(specifier)![0].length;
    const parts = specifier.slice(dots).split('.').filter(Boolean);
    if (dots > 0) {
      let base = path.dirname(fromFile);
      for (let i = 1; i < dots; i++) base = path.dirname(base);
      return parts.length ? this.module(base, parts) : this.packageInit(base);
    }
    if (PRELOADED.has(parts[0])) return null;
    for (const root of this.roots(fromFile)) {
      const hit = this.module(root, parts);
      if (hit) return hit;
    }
    return null;
  }

  /**
   * `from pkg import name` where `name` is a submodule, not a name `pkg/__init__.py` defines:
   * the submodule's file.
   */
  submodule(specifier: string, name: string, fromFile: string): string | null {
    const dots = /^\.*/.exec(specifier)![0].length;
    const rest = specifier.slice(dots);
    return this.resolveModule('.'.repeat(dots) + (rest ? rest + '.' : '') + name, fromFile);
  }

  private module(base: string, parts: string[]): string | null {
    const p = path.join(base, ...parts);
    const hit = this.fs.isFile(p + '.py') ? p + '.py' : this.fs.isFile(p + '.pyi') ? p + '.pyi' : this.packageInit(p);
    return hit && this.fs.contains(hit) ? hit : null;
  }

  private packageInit(dir: string): string | null {
    const init = path.join(dir, '__init__.py');
    return this.fs.isFile(init) ? init : null;
  }

  /**
   * sys.path as running or testing the file would have it: the first folder above it that is
   * not a package (a script's own folder, or what pytest puts first), the nearest project
   * (pyproject.toml, setup.py, setup.cfg) with its `src/`, and the workspace root with its `src/`.
   */
  private roots(fromFile: string): string[] {
    let top = path.dirname(fromFile);
    while (top !== this.fs.root && path.dirname(top) !== top && this.fs.isFile(path.join(top, '__init__.py'))) top = path.dirname(top);
    const roots = [top];
    for (let d = top; this.fs.inWorkspace(d) || d === this.fs.root; d = path.dirname(d)) {
      if (['pyproject.toml', 'setup.py', 'setup.cfg'].some((f) => this.fs.isFile(path.join(d, f)))) {
        roots.push(d, path.join(d, 'src'));
        break;
      }
      if (d === this.fs.root) break;
    }
    roots.push(this.fs.root, path.join(this.fs.root, 'src'));
    return [...new Set(roots)];
  }
}
