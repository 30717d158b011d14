/**
 * Which language a code block's tag names, to tell the block holding a file from a shell
 * command or a diff beside it. Tags and extensions map to one family each; `js` covers
 * TypeScript too, since models tag either one as the other.
 */
export const FAMILIES: Record<string, { tags: string[]; extensions: string[] }> = {
  js: { tags: ['ts', 'tsx', 'typescript', 'js', 'jsx', 'javascript', 'mjs', 'cjs', 'node'], extensions: ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'] },
  python: { tags: ['py', 'python', 'python3', 'py3', 'pyi'], extensions: ['py', 'pyi', 'pyw'] },
  shell: { tags: ['sh', 'bash', 'shell', 'zsh', 'fish', 'ksh', 'csh', 'tcsh', 'console', 'shellsession', 'terminal'], extensions: ['sh', 'bash', 'zsh', 'fish', 'ksh'] },
  powershell: { tags: ['powershell', 'pwsh', 'ps1', 'ps'], extensions: ['ps1', 'psm1'] },
  batch: { tags: ['bat', 'batch', 'cmd'], extensions: ['bat', 'cmd'] },
  diff: { tags: ['diff', 'patch', 'udiff'], extensions: ['diff', 'patch'] },
  markdown: { tags: ['md', 'markdown', 'mdx'], extensions: ['md', 'markdown', 'mdx'] },
  json: { tags: ['json', 'jsonc', 'json5'], extensions: ['json', 'jsonc', 'json5'] },
  yaml: { tags: ['yaml', 'yml'], extensions: ['yaml', 'yml'] },
  toml: { tags: ['toml'], extensions: ['toml'] },
  html: { tags: ['html', 'htm', 'xhtml'], extensions: ['html', 'htm', 'xhtml'] },
  xml: { tags: ['xml', 'svg'], extensions: ['xml', 'svg', 'xsd', 'xsl'] },
  css: { tags: ['css', 'scss', 'sass', 'less'], extensions: ['css', 'scss', 'sass', 'less'] },
  sql: { tags: ['sql'], extensions: ['sql'] },
  go: { tags: ['go', 'golang'], extensions: ['go'] },
  rust: { tags: ['rust', 'rs'], extensions: ['rs'] },
  java: { tags: ['java'], extensions: ['java'] },
  kotlin: { tags: ['kotlin', 'kt', 'kts'], extensions: ['kt', 'kts'] },
  c: { tags: ['c', 'h', 'cpp', 'c++', 'cc', 'cxx', 'hpp', 'objc'], extensions: ['c', 'h', 'cpp', 'cc', 'cxx', 'hpp', 'hh', 'hxx', 'm', 'mm'] },
  csharp: { tags: ['cs', 'csharp', 'c#'], extensions: ['cs'] },
  ruby: { tags: ['ruby', 'rb'], extensions: ['rb'] },
  php: { tags: ['php'], extensions: ['php'] },
  swift: { tags: ['swift'], extensions: ['swift'] },
};

/** Families that are never a source file's own unless its extension says so. */
export const NEVER_THE_FILE: readonly string[] = ['shell', 'powershell', 'batch', 'diff'];

const BY_TAG = new Map<string, string>();
const BY_EXTENSION = new Map<string, string>();
for (const [family, { tags, extensions }] of Object.entries(FAMILIES)) {
  for (const t of tags) BY_TAG.set(t, family);
  for (const e of extensions) BY_EXTENSION.set(e, family);
}

function familyOfFile(file: string): string | undefined {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? undefined : BY_EXTENSION.get(base.slice(dot + 1).toLowerCase());
}

/**
 * Whether a block with this tag cannot hold `file`: its tag names a known language and the
 * file's extension is of another one. For a file of an extension not in the table, only
 * shell, PowerShell, batch and diff blocks are ruled out. An empty or unknown tag never is.
 */
export function tagRulesOut(tag: string, file: string): boolean {
  const family = BY_TAG.get(tag);
  if (!family) return false;
  const own = familyOfFile(file);
  return own === undefined ? NEVER_THE_FILE.includes(family) : family !== own;
}
