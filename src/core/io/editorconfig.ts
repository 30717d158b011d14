import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type * as EditorConfigModule from 'editorconfig';
import type { EditorConfigProps } from '../analysis/analysisTypes';

let library: typeof EditorConfigModule | undefined;

/**
 * The `.editorconfig` properties that bear on style for `filePath`. Finding the files (up to
 * `root = true`), parsing them and matching their section globs (braces, `**`, numeric
 * ranges, escapes) is left to `editorconfig`, the format's reference implementation for
 * Node, so a file gets the settings an editor would give it. It is required on first use:
 * it compiles a WebAssembly parser when loaded, which the extension's activation and the
 * commands that never read a .editorconfig need not wait for.
 */
export function loadEditorConfig(filePath: string): EditorConfigProps {
  const file = resolve(filePath);
  // Most files have no .editorconfig above them; looking costs a few stats, loading the library far more.
  if (!hasEditorConfigAbove(file)) return {};
  try {
    library ??= require('editorconfig') as typeof EditorConfigModule;
    return toProps(library.parseSync(file));
  } catch {
    // A .editorconfig that cannot be read or parsed is ignored, as editors do.
    return {};
  }
}

function hasEditorConfigAbove(file: string): boolean {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.editorconfig'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

function toProps(raw: Record<string, unknown>): EditorConfigProps {
  const text = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string).toLowerCase() : String(raw[key]));
  const count = (key: string) => (Number.isInteger(raw[key]) && (raw[key] as number) > 0 ? (raw[key] as number) : undefined);
  const flag = (key: string) => (text(key) === 'true' ? true : text(key) === 'false' ? false : undefined);
  const props: EditorConfigProps = {};
  const indentStyle = text('indent_style');
  if (indentStyle === 'tab' || indentStyle === 'space') props.indent_style = indentStyle;
  const indentSize = count('indent_size');
  if (indentSize) props.indent_size = indentSize;
  const tabWidth = count('tab_width');
  if (tabWidth) props.tab_width = tabWidth;
  const eol = text('end_of_line');
  if (eol === 'lf' || eol === 'crlf' || eol === 'cr') props.end_of_line = eol;
  const finalNewline = flag('insert_final_newline');
  if (finalNewline !== undefined) props.insert_final_newline = finalNewline;
  const trim = flag('trim_trailing_whitespace');
  if (trim !== undefined) props.trim_trailing_whitespace = trim;
  const quotes = text('quote_type');
  if (quotes === 'single' || quotes === 'double' || quotes === 'auto') props.quote_type = quotes;
  return props;
}
