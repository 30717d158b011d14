import { splitLines } from '../text/lines';
import { plural } from '../text/plural';
import type { Hunk } from './analysisTypes';

/** What the placeholder checks read of a finding: the analysis's own, or as logged (check JSON). */
export type Finding = { rule: string; line: number; lines?: number[]; replaces?: { originalStart: number; originalLines: number } };

/**
 * Builds the text with only the chosen hunks applied: unchosen hunks keep the original's
 * lines. Hunks must come from analysing exactly these two texts.
 */
export function applyHunks(original: string, edited: string, hunks: readonly Hunk[], keep: (h: Hunk, index: number) => boolean): string {
  const o = splitLines(original);
  const e = splitLines(edited);
  const defaultEol = o.eols.find((x) => x !== '') ?? e.eols.find((x) => x !== '') ?? '\n';
  let out = '';
  let unterminated = false;
  // A kept edited last line (no terminator) can be followed by restored original lines:
  // give it a line ending then, so two lines never run together.
  const emit = (line: string, eol: string) => {
    if (unterminated) out += defaultEol;
    out += line + eol;
    unterminated = eol === '';
  };
  let next = 0; // the next original line (0-based) not yet copied
  const copyOriginal = (upTo: number) => {
    for (; next < upTo; next++) emit(o.lines[next], o.eols[next]);
  };
  for (let i = 0; i < hunks.length; i++) {
    const h = hunks[i];
    // 0-based index of the first original line the hunk replaces (insertions: the line after the anchor).
    const a0 = h.originalLines > 0 ? h.originalStart - 1 : h.originalStart;
    copyOriginal(a0);
    if (keep(h, i)) {
      const b0 = h.editedLines > 0 ? h.editedStart - 1 : h.editedStart;
      for (let k = b0; k < b0 + h.editedLines; k++) emit(e.lines[k], e.eols[k]);
      next = a0 + h.originalLines;
    } else {
      copyOriginal(a0 + h.originalLines);
    }
  }
  copyOriginal(o.lines.length);
  return out;
}

/** The rules that make an answer lazy: written whole, it would delete code the model never meant to. */
const LAZY_RULES: readonly string[] = ['placeholder', 'fragment'];

/**
 * Which hunks Apply In-Scope Only writes: those in scope or supporting them, less any that puts a placeholder
 * comment ("// ... existing code ...") where original lines were, or drops the lines of a
 * fragment. Written, such a hunk would delete code, which is never what the model meant.
 */
export function inScopeApplicable(a: { styleDrift: readonly Finding[] }): (h: Hunk) => boolean {
  const lazy = a.styleDrift.filter((f) => LAZY_RULES.includes(f.rule));
  // A supporting hunk (an import or helper the change needs) goes with the change.
  if (lazy.length === 0) return (h) => h.scope !== 'out';
  return (h) => h.scope !== 'out' && !lazy.some((f) => holdsPlaceholder(h, f));
}

/**
 * Which hunks a per-hunk review starts with ticked: exactly those Apply In-Scope Only would
 * write, so accepting the defaults is that apply.
 */
export function initialPicks(a: { hunks: readonly Hunk[]; styleDrift: readonly Finding[] }): boolean[] {
  return a.hunks.map(inScopeApplicable(a));
}

/** The placeholder finding a hunk carries, if it writes one where original lines were. */
export function placeholderOf(h: Hunk, a: { styleDrift: readonly Finding[] }): Finding | undefined {
  return a.styleDrift.find((f) => f.rule === 'placeholder' && holdsPlaceholder(h, f));
}

function holdsPlaceholder(h: Hunk, f: Finding): boolean {
  const edited = f.lines ?? [f.line];
  if (h.editedLines > 0 && edited.some((l) => l >= h.editedStart && l < h.editedStart + h.editedLines)) return true;
  const r = f.replaces;
  return !!r && h.originalLines > 0 && h.originalStart < r.originalStart + r.originalLines && r.originalStart < h.originalStart + h.originalLines;
}

/**
 * What makes an answer lazy in the files it would write (any but an `other` file, which is
 * never written), or null when nothing does: placeholder comments, and fragments (the
 * answer drops most of a selection though the instruction asks for no deletion). Where each
 * stands (`file:line`), and what writing the answer whole would do, in words.
 */
export function lazyAnswer(files: ReadonlyArray<{ file: string; role?: string; analysis: { styleDrift: readonly Finding[] } }>): { where: string[]; text: string } | null {
  const found = files
    .filter((f) => f.role !== 'other')
    .flatMap((f) => f.analysis.styleDrift.filter((d) => LAZY_RULES.includes(d.rule)).map((d) => ({ d, at: `${f.file}:${d.line}` })));
  if (!found.length) return null;
  const where = found.map((x) => x.at);
  const parts: string[] = [];
  const placeholders = found.filter((x) => x.d.rule === 'placeholder');
  if (placeholders.length) {
    const vanished = placeholders.reduce((n, x) => n + (x.d.replaces?.originalLines ?? 0), 0);
    const what = placeholders.length === 1 ? 'a placeholder comment' : `${placeholders.length} placeholder comments`;
    parts.push(`puts ${what} (${placeholders.map((x) => x.at).join(', ')}) where ${plural(vanished, 'original line')} stood`);
  }
  const fragments = found.filter((x) => x.d.rule === 'fragment');
  if (fragments.length) {
    const dropped = fragments.reduce((n, x) => n + (x.d.replaces?.originalLines ?? 0), 0);
    parts.push(`is only part of the text (fragment: ${plural(dropped, 'original line')} dropped at ${fragments.map((x) => x.at).join(', ')}, though the instruction asks for no deletion)`);
  }
  return { where, text: `${parts.join(' and ')}, so writing it whole would delete them` };
}
