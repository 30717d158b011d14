import type * as YamlLibrary from 'yaml';

let library: typeof YamlLibrary | undefined;
/** Required on first use, so only an export pays for loading it. */
const yaml = (): typeof YamlLibrary => (library ??= require('yaml') as typeof YamlLibrary);

const OPTIONS: YamlLibrary.ToStringOptions & YamlLibrary.CreateNodeOptions = {
  // A long string stays on one line, and a multi-line one is a literal block, as people write them.
  lineWidth: 0,
  blockQuote: 'literal',
  // Only the anchors we ask for: a value that happens to repeat is written out again.
  aliasDuplicateObjects: false,
  // The promptfoo config is written a piece at a time, so an alias's anchor was written earlier.
  verifyAliasOrder: false,
};

/** YAML for a value whose top level is a mapping, ending in a newline. */
export function toYaml(doc: Record<string, unknown>): string {
  return yaml().stringify(doc, OPTIONS);
}

/** `value` marked `&name`, so later pieces of the same document can refer to it as `alias(name)`. */
export function anchored(name: string, value: string): unknown {
  const node = new (yaml().Scalar)(value);
  node.anchor = name;
  return node;
}

/** `*name`: the value anchored under that name earlier in the document. */
export function alias(name: string): unknown {
  return new (yaml().Alias)(name);
}
