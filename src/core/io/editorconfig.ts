import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseEditorConfig, resolveEditorConfig, type EditorConfigFile } from '../analysis/editorconfig';
import type { EditorConfigProps } from '../analysis/types';

/** Reads the `.editorconfig` files that apply to `filePath`, from its folder up to a `root = true`. */
export function loadEditorConfig(filePath: string): EditorConfigProps {
  const abs = resolve(filePath);
  const found: Array<{ config: EditorConfigFile; relativePath: string }> = [];
  let dir = dirname(abs);
  for (;;) {
    const candidate = join(dir, '.editorconfig');
    if (existsSync(candidate)) {
      try {
        const config = parseEditorConfig(readFileSync(candidate, 'utf8'));
        found.push({ config, relativePath: relative(dir, abs).split(sep).join('/') });
        if (config.root) break;
      } catch {
        // An unreadable .editorconfig is ignored, as editors do.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return resolveEditorConfig(found);
}
