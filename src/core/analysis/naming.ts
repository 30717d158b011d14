import type { LanguageId } from './analysisTypes';

export type NameCase = 'camel' | 'snake' | 'pascal' | 'upper' | 'plain' | 'other';

/** Case of an identifier, leading/trailing underscores ignored. Single words are "plain": no evidence either way. */
export function classifyName(name: string): NameCase {
  const core = name.replace(/^_+|_+$/g, '');
  if (!core || core.includes('$')) return 'other';
  if (/^[a-z][a-z0-9]*$/.test(core)) return 'plain';
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(core)) return 'upper';
  if (/^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(core)) return 'snake';
  if (/^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/.test(core)) return 'camel';
  if (/^[A-Z][a-zA-Z0-9]*$/.test(core)) return 'pascal';
  return 'other';
}

const JS_DECL = /\b(?:const|let|var|function\s*\*?)\s+([A-Za-z_$][\w$]*)/g;
const PY_DEF = /^(?:async\s+)?def\s+([A-Za-z_]\w*)/;
const PY_ASSIGN = /^([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)/;

/** Names a line of code declares (variables and functions), from the code with strings blanked. */
export function declaredNames(code: string, language: LanguageId): string[] {
  if (language === 'python') {
    if (!code.includes('=') && !code.includes('def')) return [];
    const def = PY_DEF.exec(code);
    if (def) return def[1].startsWith('__') ? [] : [def[1]];
    const assign = PY_ASSIGN.exec(code);
    return assign ? [assign[1]] : [];
  }
  if (language === 'typescript' || language === 'javascript') {
    if (!/const|let|var|function/.test(code)) return [];
    const names: string[] = [];
    // exec on the shared global regex: matchAll would copy the regex on every call.
    JS_DECL.lastIndex = 0;
    for (let m = JS_DECL.exec(code); m; m = JS_DECL.exec(code)) names.push(m[1]);
    return names;
  }
  return [];
}
