import * as path from 'node:path';
import type { LineRange } from '../analysis/analysisTypes';
import type { ContextFile, Dependency } from '../task/editTask';
import { splitLines } from '../text/lines';
import { classParts, definitionSpans as declarationSpans } from './definitions';
import { maskSource, sourceLanguageOf, type SourceLanguage } from './mask';
import { WorkspaceFs } from './workspaceFs';
import { ContextPolicy, holdsSecrets, redactSecrets } from './contextSafety';
import { SETTING_DEFAULTS } from '../defaults';

/** What `--context auto` may send by default, in tokens (about four characters each). */
/** A file this short is sent whole: its definitions make sense with their neighbours. */
const SMALL_FILE_LINES = 200;
/** A class longer than this is sent by part: its declaration, constructor and the members the selection names. */
const WHOLE_CLASS_LINES = 80;
const CONSTRUCTORS = new Set(['constructor', '__init__', '__new__', '__post_init__']);

export const estimateTokens = (text: string) => Math.ceil(text.length / 4);

export interface AutoContextOptions {
  root: string;
  /** Tokens the context may take, all files together. */
  budgetTokens?: number;
  /** Paths (workspace-relative) already sent as context: not sent again, but counted. */
  alreadySent?: ReadonlyArray<{ path: string; text: string }>;
  fs?: WorkspaceFs;
  /** What is never sent (see contextSafety.ts); read from the workspace when not given. */
  policy?: ContextPolicy;
  /** The file and lines being edited: the names they mention pick a large class's members. */
  selection?: { text: string; range: LineRange };
}

export interface AutoContext {
  files: ContextFile[];
  /** Dependencies left out, and why (the budget, or a file that cannot be read). */
  skipped: Array<{ file: string; reason: string }>;
}

/**
 * The definitions the selection uses, as context: a small file whole, a large one as the
 * spans of the definitions used (each with its doc comment), in dependsOn order until the
 * token budget is spent. A span that does not fit is left out rather than cut.
 */
export function autoContext(deps: readonly Dependency[], opts: AutoContextOptions): AutoContext {
  const wfs = opts.fs ?? new WorkspaceFs(path.resolve(opts.root));
  const policy = opts.policy ?? new ContextPolicy(wfs.root);
  let left = opts.budgetTokens ?? SETTING_DEFAULTS.contextBudgetTokens;
  const sent = new Set<string>();
  for (const c of opts.alreadySent ?? []) {
    sent.add(c.path);
    left -= estimateTokens(c.text);
  }
  const files: ContextFile[] = [];
  const skipped: AutoContext['skipped'] = [];
  const words = opts.selection ? selectedWords(opts.selection.text, opts.selection.range) : null;
  for (const d of deps) {
    if (sent.has(d.file)) continue;
    const abs = path.join(wfs.root, d.file);
    // The filter step: what is never sent, whatever the code imports.
    const refusal = wfs.contains(abs) ? policy.refusal(d.file) : 'a link to a file outside the workspace';
    if (refusal) {
      skipped.push({ file: d.file, reason: `never sent: ${refusal}` });
      continue;
    }
    const raw = wfs.read(abs);
    if (raw === null) {
      skipped.push({ file: d.file, reason: 'cannot be read' });
      continue;
    }
    // A module that also holds secrets is sent as the definitions used only, values redacted.
    const secretive = holdsSecrets(raw);
    if (secretive && !d.symbols.length) {
      skipped.push({ file: d.file, reason: 'it holds secret-looking values and the selection names none of its definitions' });
      continue;
    }
    const text = secretive ? redactSecrets(raw) : raw;
    const lines = splitLines(text);
    const whole = estimateTokens(text);
    if (!secretive && (lines.lines.length <= SMALL_FILE_LINES || !d.symbols.length) && whole <= left) {
      files.push({ path: d.file, text });
      left -= whole;
      continue;
    }
    const lang = sourceLanguageOf(d.file);
    const masked = lang ? maskSource(text, lang).all : '';
    const spans = lang ? mergeSpans(d.symbols.flatMap((s) => definitionSpans(masked, lang, s, words))) : [];
    let added = 0;
    for (const s of spans) {
      const part = lines.lines.slice(s.start - 1, s.end).map((l, i) => l + (lines.eols[s.start - 1 + i] || '\n')).join('');
      const cost = estimateTokens(part);
      if (cost > left) continue;
      files.push({ path: d.file, text: part, lines: s });
      left -= cost;
      added++;
    }
    if (added < spans.length || !spans.length) skipped.push({ file: d.file, reason: spans.length ? 'over the context budget' : whole > left ? 'over the context budget' : 'its definitions were not found' });
  }
  return { files, skipped };
}

/**
 * The lines that define a name: the whole definition, or for a long class its declaration,
 * constructor, the members the selection names and its closing line (without the selection's
 * words, the whole class).
 */
function definitionSpans(masked: string, lang: SourceLanguage, name: string, words: ReadonlySet<string> | null): LineRange[] {
  const declared = declarationSpans(masked, lang, name);
  if (!declared.length && lang === 'js') return exportedMember(masked, name);
  return declared.flatMap((span) => {
    if (!words || span.end - span.start + 1 <= WHOLE_CLASS_LINES) return [span];
    const parts = classParts(masked, lang, span);
    if (!parts) return [span];
    const members = parts.members.filter((m) => CONSTRUCTORS.has(m.name) || words.has(m.name)).map((m) => m.span);
    return [parts.header, ...members, ...(parts.close ? [parts.close] : [])];
  });
}

/** `module.exports = { name: function () {...}, ... }`: the object's opening line, that member and its closing line. */
function exportedMember(masked: string, name: string): LineRange[] {
  const span = declarationSpans(masked, 'js', 'default')[0];
  const parts = span && classParts(masked, 'js', span);
  const member = parts && parts.members.find((m) => m.name === name);
  return member ? [parts.header, member.span, ...(parts.close ? [parts.close] : [])] : [];
}

/** Every name the selected lines mention. */
function selectedWords(text: string, range: LineRange): Set<string> {
  const lines = text.split('\n').slice(range.start - 1, range.end).join('\n');
  return new Set(lines.match(/[A-Za-z_$][\w$]*/g) ?? []);
}

function mergeSpans(spans: LineRange[]): LineRange[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: LineRange[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end + 1) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}
