/**
 * Just enough YAML to write a promptfoo config: mappings with plain keys, sequences, numbers,
 * booleans, null and strings. A multi-line string becomes a literal block (`|`) when that
 * keeps it byte for byte; anything else is a double-quoted scalar with JSON escapes, which
 * YAML reads the same way. `anchor` and `alias` let a long value be written once.
 */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue | undefined } | YamlAnchor | YamlAlias;

export class YamlAnchor {
  constructor(
    readonly name: string,
    readonly value: YamlValue,
  ) {}
}
export class YamlAlias {
  constructor(readonly name: string) {}
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
// Printable per YAML 1.2, less the characters a literal block cannot hold.
const NOT_PRINTABLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ud800-\udfff]/;

/** A document whose top level is a mapping. */
export function toYaml(doc: { [key: string]: YamlValue | undefined }): string {
  return mapping(doc, 0) + '\n';
}

function mapping(obj: { [key: string]: YamlValue | undefined }, indent: number): string {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined) continue;
    const k = PLAIN_KEY.test(key) ? key : JSON.stringify(key);
    lines.push(pad + k + ':' + after(value, indent));
  }
  return lines.join('\n');
}

function sequence(items: YamlValue[], indent: number): string {
  const pad = ' '.repeat(indent);
  return items
    .map((item) => {
      if (isMapping(item) && Object.keys(item).length) {
        // "- key: value" with the rest of the mapping aligned under the first key.
        const body = mapping(item, indent + 2);
        return pad + '- ' + body.slice(indent + 2);
      }
      return pad + '-' + after(item, indent);
    })
    .join('\n');
}

/** What follows "key:" or "-": a scalar on the same line, or a nested block on the next. */
function after(value: YamlValue, indent: number): string {
  if (value instanceof YamlAnchor) {
    const rest = after(value.value, indent);
    return ` &${value.name}` + (rest.startsWith(' ') ? rest : rest);
  }
  if (value instanceof YamlAlias) return ` *${value.name}`;
  if (Array.isArray(value)) return value.length ? '\n' + sequence(value, indent + 2) : ' []';
  if (isMapping(value)) return Object.keys(value).length ? '\n' + mapping(value, indent + 2) : ' {}';
  if (typeof value === 'string') return ' ' + str(value, indent + 2);
  if (value === null) return ' null';
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`toYaml: ${value} is not a YAML number`);
  return ' ' + String(value);
}

function isMapping(v: YamlValue): v is { [key: string]: YamlValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof YamlAnchor) && !(v instanceof YamlAlias);
}

// A word that reads back as the same string: no YAML syntax, not a boolean, null or number.
const PLAIN_SCALAR = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n)$/i;

function str(s: string, indent: number): string {
  if (PLAIN_SCALAR.test(s) && !RESERVED.test(s)) return s;
  const lines = s.split('\n');
  const firstContent = lines.find((l) => l !== '');
  const block =
    lines.length > 1 &&
    !s.includes('\r') &&
    !NOT_PRINTABLE.test(s) &&
    firstContent !== undefined &&
    !/^[ \t]/.test(firstContent) &&
    // Blank lines before the first content line would be read as part of the indentation.
    lines[0] !== '';
  if (!block) return quoted(s);
  let chomp = '';
  let body = lines;
  if (s.endsWith('\n')) {
    body = lines.slice(0, -1);
    if (s.endsWith('\n\n')) chomp = '+';
  } else chomp = '-';
  const pad = ' '.repeat(indent);
  return `|${chomp}\n` + body.map((l) => (l === '' ? '' : pad + l)).join('\n');
}

function quoted(s: string): string {
  return JSON.stringify(s).replace(/[\x7f-\x9f\u2028\u2029\ufeff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
