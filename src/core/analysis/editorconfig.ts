import type { EditorConfigProps } from './types';

/**
 * The parts of EditorConfig (https://editorconfig.org) that bear on style: parsing one file's
 * sections and matching a path against their globs. Reading the files from disk lives in
 * core/io/editorconfig.ts, so this stays pure and testable.
 */
export interface EditorConfigFile {
  root: boolean;
  sections: Array<{ glob: string; props: Record<string, string> }>;
}

export function parseEditorConfig(text: string): EditorConfigFile {
  const file: EditorConfigFile = { root: false, sections: [] };
  let current: Record<string, string> | null = null;
  for (const raw of text.split(/\r?\n|\r/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.*)\]$/.exec(line);
    if (section) {
      current = {};
      file.sections.push({ glob: section[1], props: current });
      continue;
    }
    const eq = line.search(/[=:]/);
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim().toLowerCase();
    if (current) current[key] = value;
    else if (key === 'root') file.root = value === 'true';
  }
  return file;
}

/** Converts an EditorConfig glob to a RegExp over '/'-separated paths relative to the config's folder. */
export function globToRegExp(glob: string): RegExp {
  // A glob without '/' matches a file name at any depth; with one, it is anchored to the folder.
  let g = glob;
  if (!g.includes('/')) g = '**/' + g;
  else if (g.startsWith('/')) g = g.slice(1);
  return new RegExp('^' + globBody(g) + '$');
}

function globBody(g: string): string {
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        if (g[i + 2] === '/') { re += '(?:.*/)?'; i += 2; }
        else { re += '.*'; i++; }
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = g.indexOf(']', i);
      if (end < 0) { re += '\\['; continue; }
      let body = g.slice(i + 1, end);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += '[' + body.replace(/\\/g, '\\\\') + ']';
      i = end;
    } else if (c === '{') {
      const end = g.indexOf('}', i);
      if (end < 0) { re += '\\{'; continue; }
      const body = g.slice(i + 1, end);
      const range = /^(-?\d+)\.\.(-?\d+)$/.exec(body);
      const alternatives = range ? numbersBetween(Number(range[1]), Number(range[2])) : body.split(',').map(globBody);
      re += '(?:' + alternatives.join('|') + ')';
      i = end;
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return re;
}

function numbersBetween(a: number, b: number): string[] {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const out: string[] = [];
  for (let n = lo; n <= hi && out.length < 1000; n++) out.push(String(n));
  return out;
}

/**
 * Resolves the properties for a file, given the config files from the file's folder upwards
 * (nearest first, each with the file's path relative to that config's folder).
 */
export function resolveEditorConfig(files: Array<{ config: EditorConfigFile; relativePath: string }>): EditorConfigProps {
  const merged: Record<string, string> = {};
  // Farthest first so nearer files and later sections win.
  let stop = files.length;
  for (let k = 0; k < files.length; k++) {
    if (files[k].config.root) { stop = k + 1; break; }
  }
  for (let k = stop - 1; k >= 0; k--) {
    const { config, relativePath } = files[k];
    for (const section of config.sections) {
      if (globToRegExp(section.glob).test(relativePath)) Object.assign(merged, section.props);
    }
  }
  return toProps(merged);
}

function toProps(raw: Record<string, string>): EditorConfigProps {
  const props: EditorConfigProps = {};
  if (raw.indent_style === 'tab' || raw.indent_style === 'space') props.indent_style = raw.indent_style;
  const size = Number(raw.indent_size);
  if (Number.isInteger(size) && size > 0) props.indent_size = size;
  const tab = Number(raw.tab_width);
  if (Number.isInteger(tab) && tab > 0) props.tab_width = tab;
  if (raw.end_of_line === 'lf' || raw.end_of_line === 'crlf' || raw.end_of_line === 'cr') props.end_of_line = raw.end_of_line;
  if (raw.insert_final_newline === 'true' || raw.insert_final_newline === 'false') props.insert_final_newline = raw.insert_final_newline === 'true';
  if (raw.trim_trailing_whitespace === 'true' || raw.trim_trailing_whitespace === 'false') props.trim_trailing_whitespace = raw.trim_trailing_whitespace === 'true';
  if (raw.quote_type === 'single' || raw.quote_type === 'double' || raw.quote_type === 'auto') props.quote_type = raw.quote_type;
  return props;
}
