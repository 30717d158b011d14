import * as path from 'node:path';
import type { WorkspaceFs } from './workspaceFs';

/**
 * Resolves Python imports to workspace files: relative (`from .models import User`) and
 * package-local (`from app.models import User`), the latter against the folder holding the
 * importing file's top-level package, the workspace root and its `src/` folder.
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

  private roots(fromFile: string): string[] {
    let top = path.dirname(fromFile);
    while (top !== this.fs.root && path.dirname(top) !== top && this.fs.isFile(path.join(top, '__init__.py'))) top = path.dirname(top);
    const roots = [top, this.fs.root, path.join(this.fs.root, 'src'), path.dirname(fromFile)];
    return [...new Set(roots)];
  }
}
