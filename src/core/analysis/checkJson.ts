import type { Analysis, Scope, SupportLink } from './analysisTypes';

/**
 * The `editscope check --format json` object: a contract other tools read. Field order and
 * names are fixed; new fields may be added, none removed or renamed.
 */
export interface CheckJson {
  hunks: Array<{
    originalStart: number;
    originalLines: number;
    editedStart: number;
    editedLines: number;
    scope: Scope;
    whitespaceOnly: boolean;
    reason: string;
    moved?: { role: 'from' | 'to'; originalStart: number; editedStart: number; lines: number };
    link?: { kind: SupportLink; names: string[] };
  }>;
  outOfScopeHunks: number;
  styleDrift: Array<{ rule: string; line: number; message: string; lines?: number[]; replaces?: { originalStart: number; originalLines: number } }>;
  language: string;
  conventions: Analysis['conventions'];
  stats: Analysis['stats'];
}

export function toCheckJson(a: Analysis): CheckJson {
  return {
    // Hunks are built with exactly these fields in this order (toHunks, markMoves): a copy
    // of each, 5,000 of them for a re-indented file, cost the collector more than the rest.
    hunks: a.hunks,
    outOfScopeHunks: a.outOfScopeHunks,
    styleDrift: a.styleDrift.map((f) => ({ rule: f.rule, line: f.line, message: f.message, ...(f.lines ? { lines: f.lines } : {}), ...(f.replaces ? { replaces: f.replaces } : {}) })),
    language: a.language,
    conventions: a.conventions,
    stats: a.stats,
  };
}

/** True when the analysis has anything a person should look at. */
export function hasFindings(a: Pick<Analysis, 'outOfScopeHunks' | 'styleDrift'>): boolean {
  return a.outOfScopeHunks > 0 || a.styleDrift.length > 0;
}
