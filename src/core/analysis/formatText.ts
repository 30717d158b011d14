import { splitLines } from '../text/lines';
import type { Analysis, Hunk } from './analysisTypes';
import { plural } from '../text/plural';

export interface TextReportOptions {
  fileName?: string;
  /** Show up to this many lines of each out-of-scope hunk. */
  previewLines?: number;
  original?: string;
  edited?: string;
  color?: boolean;
}

/** The human report of `editscope check`: what is out of scope and what drifted, with where and why. */
export function formatAnalysisText(a: Analysis, opts: TextReportOptions = {}): string {
  const out: string[] = [];
  const name = opts.fileName ?? 'the file';
  const paint = (code: string, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const supporting = a.hunks.filter((h) => h.scope === 'supporting');
  const inScope = a.hunks.length - a.outOfScopeHunks - supporting.length;
  const counts = `${inScope} in scope, ${supporting.length ? `${supporting.length} supporting, ` : ''}${a.outOfScopeHunks} out of scope`;
  out.push(`${name}: ${plural(a.hunks.length, 'hunk')} (${counts}), ${plural(a.styleDrift.length, 'style finding')}; +${a.stats.linesAdded} -${a.stats.linesRemoved} lines`);
  if (a.hunks.length === 0) out.push('  The edited text is identical to the original.');
  const lazy = a.styleDrift.filter((f) => f.rule === 'placeholder');
  if (lazy.length) {
    const vanished = lazy.reduce((n, f) => n + (f.replaces?.originalLines ?? 0), 0);
    out.push(paint('1;31', `  Lazy answer: ${lazy.length === 1 ? 'a placeholder comment stands' : `${lazy.length} placeholder comments stand`} for ${plural(vanished, 'original line')} (edited ${lazy.length === 1 ? 'line' : 'lines'} ${lazy.map((f) => f.line).join(', ')}); applied as is, the edit deletes them.`));
  }
  const fragments = a.styleDrift.filter((f) => f.rule === 'fragment');
  if (fragments.length) {
    const dropped = fragments.reduce((n, f) => n + (f.replaces?.originalLines ?? 0), 0);
    out.push(paint('1;31', `  Lazy answer (fragment): the edit keeps only part of the selection and drops ${plural(dropped, 'original line')} though no deletion was asked for; applied as is, it deletes them.`));
  }
  const orig = opts.original !== undefined ? splitLines(opts.original).lines : null;
  const edit = opts.edited !== undefined ? splitLines(opts.edited).lines : null;
  const outHunks = a.hunks.filter((h) => h.scope === 'out');
  if (outHunks.length) {
    out.push('', paint('1;31', 'Out of scope:'));
    for (const h of outHunks) {
      out.push(`  ${paint('31', hunkHeader(h))}  ${h.reason}${h.whitespaceOnly ? ' (whitespace only)' : ''}`);
      out.push(...preview(h, orig, edit, opts.previewLines ?? 4, paint));
    }
  }
  if (a.styleDrift.length) {
    out.push('', paint('1;33', 'Style drift:'));
    for (const f of a.styleDrift) out.push(`  ${paint('33', `${f.rule}`.padEnd(20))} line ${String(f.line).padEnd(6)} ${f.message}`);
  }
  if (supporting.length) {
    out.push('', paint('1;36', 'Supporting (outside the selection, needed by the change):'));
    for (const h of supporting) out.push(`  ${paint('36', hunkHeader(h))}  ${supportingWhy(h)}`);
  }
  const inHunks = a.hunks.filter((h) => h.scope === 'in');
  if (inHunks.length) {
    out.push('', paint('1;32', 'In scope:'));
    for (const h of inHunks) out.push(`  ${paint('32', hunkHeader(h))}  ${h.reason}${h.whitespaceOnly ? ' (whitespace only)' : ''}`);
  }
  return out.join('\n') + '\n';
}

/** Why a supporting hunk goes with the change, for people: its reason, or for a test (whose reason is the bare word `test`) what it tests. */
export function supportingWhy(h: Hunk): string {
  if (h.reason !== 'test') return h.reason;
  const names = h.link?.names ?? [];
  return `a test of ${names.length ? names.join(', ') : 'the changed code'}, which the change touched`;
}

export function hunkHeader(h: Hunk): string {
  return `@@ -${h.originalStart},${h.originalLines} +${h.editedStart},${h.editedLines} @@`;
}

function preview(h: Hunk, orig: string[] | null, edit: string[] | null, max: number, paint: (c: string, s: string) => string): string[] {
  if (!orig || !edit || max <= 0) return [];
  const lines: string[] = [];
  const show = (prefix: string, src: string[], start: number, count: number, color: string) => {
    for (let k = 0; k < Math.min(count, max); k++) lines.push('      ' + paint(color, prefix + visible(src[start - 1 + k] ?? '')));
    if (count > max) lines.push(`      ${prefix}… ${count - max} more`);
  };
  if (h.originalLines) show('-', orig, h.originalStart, h.originalLines, '31');
  if (h.editedLines) show('+', edit, h.editedStart, h.editedLines, '32');
  return lines;
}

/** Makes whitespace-only changes visible in a terminal. */
function visible(line: string): string {
  return line.replace(/\t/g, '→   ').replace(/ +$/, (m) => '·'.repeat(m.length));
}
