import type { LanguageId } from './analysisTypes';

const BY_EXTENSION: Record<string, LanguageId> = {
  ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript',
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript',
  py: 'python', pyi: 'python', pyw: 'python',
};

export function languageOf(fileName: string | undefined): LanguageId {
  if (!fileName) return 'text';
  const dot = fileName.lastIndexOf('.');
  if (dot < 0) return 'text';
  return BY_EXTENSION[fileName.slice(dot + 1).toLowerCase()] ?? 'text';
}

export function isJsLike(language: LanguageId): boolean {
  return language === 'typescript' || language === 'javascript';
}

/** JSX files keep double-quoted attributes whatever the file's string quotes are. */
export function isJsx(fileName: string | undefined): boolean {
  return !!fileName && /\.(jsx|tsx)$/i.test(fileName);
}

/** Markdown: prose, whose code blocks are examples rather than code of the file. */
export function isMarkdown(fileName: string | undefined): boolean {
  return !!fileName && /\.(md|markdown|mdx)$/i.test(fileName);
}
