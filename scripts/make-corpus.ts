/**
 * Mines a validation corpus for the scope and style analysis from another project's history,
 * in the format of ../shared/scope-corpus (see its README.md): real single-hunk commits to one
 * .js/.ts/.mjs/.py file, each written as a `clean` case plus variants that add one thing a
 * careless model edit does (a far comment deleted, a far blank line, a far line re-indented,
 * another commit's hunk far away, the new lines in the wrong indent/quotes/semicolons/line
 * endings/trailing whitespace, the whole file re-indented). Scoring the engine on cases from
 * projects it was not tuned on is how we check its rules generalise.
 *
 * A variant is only written when its label is beyond doubt: conventions are read from the
 * original by this script's own small lexer (independent of the engine's), and a commit whose
 * own new lines already break a clear convention of the file is not used at all, since its
 * `clean` label (no style findings) would be wrong.
 *
 * Usage (after `node esbuild.config.mjs --tests`):
 *   node out/scripts/make-corpus.js <git-dir> <out-folder> [--max N] [--prefix name]
 *        [--variants K] [--per-file N] [--seed S] [--kinds a,b,...]
 * --max: commits to use (default 40); --variants: variants per commit besides `clean`, the
 * kinds used least so far first (default: every kind that is well defined); --per-file: at
 * most this many commits per file (default 3); --kinds: only these kinds (besides `clean`).
 * Output is deterministic for the same input.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { seededRandom } from '../src/core/stats/random';

// ---------------------------------------------------------------------------------------------
// Arguments

const argv = process.argv.slice(2);
function option(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
const positional = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && argv[i - 1].startsWith('--')));
if (positional.length < 2) {
  console.error('usage: make-corpus <git-dir> <out-folder> [--max N] [--prefix name] [--variants K] [--per-file N] [--seed S] [--kinds a,b]');
  process.exit(2);
}
const [gitDir, outDir] = positional;
const maxCommits = Number(option('max') ?? 40);
const variantsPerCommit = option('variants') === undefined ? Infinity : Number(option('variants'));
const perFile = Number(option('per-file') ?? 3);
const seed = option('seed') ?? 'edit-scope';
const onlyKinds = option('kinds')?.split(',').map((k) => k.trim());
const prefix = option('prefix') ?? defaultPrefix(gitDir);

function defaultPrefix(dir: string): string {
  // /work/.mirror/owner+name/repo -> name; /x/name.git -> name
  const parts = dir.replace(/\/+$/, '').split('/');
  let name = parts[parts.length - 1];
  if ((name === 'repo' || name === '.git') && parts.length > 1) name = parts[parts.length - 2];
  return name.replace(/\.git$/, '').replace(/^.*\+/, '').replace(/[^\w.-]/g, '_');
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function rng(key: string): () => number {
  return seededRandom(hash(`${seed}:${key}`));
}

function pick<T>(items: T[], key: string): T | null {
  if (items.length === 0) return null;
  return items[Math.floor(rng(key)() * items.length)];
}

function shuffled<T>(items: T[], key: string): T[] {
  const r = rng(key);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Git

function git(args: string[]): string {
  return execFileSync('git', ['-C', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A file's text at a commit, or null when it is missing, binary or not UTF-8. */
function fileAt(commit: string, path: string): string | null {
  let buf: Buffer;
  try {
    buf = execFileSync('git', ['-C', gitDir, 'show', `${commit}:${path}`], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
  if (buf.includes(0)) return null;
  try {
    return utf8.decode(buf);
  } catch {
    return null;
  }
}

interface DiffHunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  /** Body lines with their marker (' ', '-', '+'), without the line terminator. */
  body: string[];
  noNewlineMarker: boolean;
}

function diffHunks(parent: string, commit: string, path: string, context: number): DiffHunk[] {
  const text = git(['diff', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', `-U${context}`, parent, commit, '--', path]);
  const hunks: DiffHunk[] = [];
  let cur: DiffHunk | null = null;
  for (const raw of text.split('\n')) {
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(raw);
    if (m) {
      cur = {
        oldStart: Number(m[1]),
        oldCount: m[2] === undefined ? 1 : Number(m[2]),
        newStart: Number(m[3]),
        newCount: m[4] === undefined ? 1 : Number(m[4]),
        body: [],
        noNewlineMarker: false,
      };
      hunks.push(cur);
      continue;
    }
    if (!cur) continue;
    if (raw.startsWith('\\')) cur.noNewlineMarker = true;
    else if (raw.startsWith(' ') || raw.startsWith('-') || raw.startsWith('+')) cur.body.push(raw.replace(/\r$/, ''));
  }
  return hunks;
}

// ---------------------------------------------------------------------------------------------
// Lines with their terminators

interface Lines {
  text: string[];
  eol: string[];
}

function splitLines(s: string): Lines {
  const text: string[] = [];
  const eol: string[] = [];
  let i = 0;
  while (i < s.length) {
    let j = s.indexOf('\n', i);
    if (j < 0) {
      text.push(s.slice(i));
      eol.push('');
      break;
    }
    const cr = j > i && s.charCodeAt(j - 1) === 13;
    text.push(s.slice(i, cr ? j - 1 : j));
    eol.push(cr ? '\r\n' : '\n');
    i = j + 1;
  }
  return { text, eol };
}

function joinLines(l: Lines): string {
  let s = '';
  for (let i = 0; i < l.text.length; i++) s += l.text[i] + l.eol[i];
  return s;
}

function cloneLines(l: Lines): Lines {
  return { text: [...l.text], eol: [...l.eol] };
}

const leadingWs = (s: string) => /^[ \t]*/.exec(s)![0];

// ---------------------------------------------------------------------------------------------
// A small lexer: where strings, templates and comments are, per line.

type Lang = 'js' | 'py';

interface Tok {
  kind: 'str' | 'tpl' | 'lc' | 'bc' | 're';
  s: number;
  e: number; // exclusive
  quote: string;
  prefix: string;
}

const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

function lexJs(src: string): Tok[] {
  const toks: Tok[] = [];
  let lastSig = ''; // last significant char of code
  let lastWord = '';
  const scanString = (i: number, q: string): number => {
    let k = i + 1;
    while (k < src.length) {
      const c = src[k];
      if (c === '\\') k += 2;
      else if (c === q) return k + 1;
      else if (c === '\n') return k; // unterminated
      else k++;
    }
    return k;
  };
  const scanTemplate = (i: number): number => {
    let k = i + 1;
    while (k < src.length) {
      const c = src[k];
      if (c === '\\') k += 2;
      else if (c === '`') return k + 1;
      else if (c === '$' && src[k + 1] === '{') k = scanCode(k + 2, true, false);
      else k++;
    }
    return k;
  };
  // Scans code from i; when inBraces, stops after the '}' closing the template expression.
  const scanCode = (start: number, inBraces: boolean, record: boolean): number => {
    let depth = 0;
    let i = start;
    while (i < src.length) {
      const c = src[i];
      const n = src[i + 1];
      if (c === '/' && n === '/') {
        let e = src.indexOf('\n', i);
        if (e < 0) e = src.length;
        if (record) toks.push({ kind: 'lc', s: i, e, quote: '', prefix: '' });
        i = e;
        continue;
      }
      if (c === '/' && n === '*') {
        let e = src.indexOf('*/', i + 2);
        e = e < 0 ? src.length : e + 2;
        if (record) toks.push({ kind: 'bc', s: i, e, quote: '', prefix: '' });
        i = e;
        continue;
      }
      if (c === "'" || c === '"') {
        const e = scanString(i, c);
        if (record) toks.push({ kind: 'str', s: i, e, quote: c, prefix: '' });
        i = e;
        lastSig = 'a';
        lastWord = '';
        continue;
      }
      if (c === '`') {
        const e = scanTemplate(i);
        if (record) toks.push({ kind: 'tpl', s: i, e, quote: '`', prefix: '' });
        i = e;
        lastSig = 'a';
        lastWord = '';
        continue;
      }
      if (c === '/') {
        const regexOk = lastSig === '' || '(,=:[!&|?{};+-*%<>~^'.includes(lastSig) || REGEX_AFTER_WORD.has(lastWord);
        if (regexOk) {
          let k = i + 1;
          let inClass = false;
          while (k < src.length && src[k] !== '\n') {
            const d = src[k];
            if (d === '\\') k += 2;
            else if (d === '[') { inClass = true; k++; }
            else if (d === ']') { inClass = false; k++; }
            else if (d === '/' && !inClass) { k++; break; }
            else k++;
          }
          while (k < src.length && /[a-z]/i.test(src[k])) k++;
          if (record) toks.push({ kind: 're', s: i, e: k, quote: '/', prefix: '' });
          i = k;
          lastSig = 'a';
          lastWord = '';
          continue;
        }
      }
      if (inBraces) {
        if (c === '{') depth++;
        else if (c === '}') {
          if (depth === 0) return i + 1;
          depth--;
        }
      }
      if (/[A-Za-z_$0-9]/.test(c)) {
        let k = i;
        while (k < src.length && /[A-Za-z_$0-9]/.test(src[k])) k++;
        lastWord = src.slice(i, k);
        lastSig = 'a';
        i = k;
        continue;
      }
      if (!/\s/.test(c)) {
        lastSig = c;
        lastWord = '';
      }
      i++;
    }
    return i;
  };
  scanCode(0, false, true);
  return toks;
}

function lexPy(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '#') {
      let e = src.indexOf('\n', i);
      if (e < 0) e = src.length;
      toks.push({ kind: 'lc', s: i, e, quote: '', prefix: '' });
      i = e;
      continue;
    }
    let prefix = '';
    let q = -1;
    if (c === "'" || c === '"') q = i;
    else if (/[rRbBuUfF]/.test(c) && (i === 0 || !/[\w]/.test(src[i - 1]))) {
      const m = /^[rRbBuUfF]{1,2}(?=['"])/.exec(src.slice(i, i + 3));
      if (m && /^(?:[rR][bBfF]?|[bBfF][rR]?|[uU])$/.test(m[0])) {
        prefix = m[0];
        q = i + m[0].length;
      }
    }
    if (q >= 0) {
      const quoteChar = src[q];
      const triple = src.startsWith(quoteChar.repeat(3), q);
      const quote = triple ? quoteChar.repeat(3) : quoteChar;
      let k = q + quote.length;
      while (k < src.length) {
        const d = src[k];
        if (d === '\\') { k += 2; continue; }
        if (src.startsWith(quote, k)) { k += quote.length; break; }
        if (!triple && d === '\n') break;
        k++;
      }
      toks.push({ kind: 'str', s: i, e: k, quote, prefix });
      i = k;
      continue;
    }
    if (/[\w]/.test(c)) {
      while (i < src.length && /[\w]/.test(src[i])) i++;
      continue;
    }
    i++;
  }
  return toks;
}

interface LineInfo {
  /** The line starts inside a string, template or block comment. */
  inside: boolean;
  /** The line starts inside a string or template (changing its whitespace changes a value). */
  insideString: boolean;
  /** Single-line string literals (not templates, not regexes), in line-relative offsets. */
  strings: Array<{ s: number; e: number; quote: string; prefix: string; text: string }>;
  /** The line without its comments, trimmed. */
  code: string;
  /** A whole-line `//` or `#` comment. */
  lineComment: boolean;
  /** Net ( [ { opened minus closed on this line, strings and comments excluded. */
  bracketDelta: number;
  /** Offset of the first comment that starts on this line, or the line's length. */
  commentStart: number;
}

function lexLines(text: string, lines: Lines, toks: Tok[]): LineInfo[] {
  const out: LineInfo[] = [];
  let off = 0;
  let t = 0;
  for (let li = 0; li < lines.text.length; li++) {
    const line = lines.text[li];
    const start = off;
    const end = off + line.length;
    while (t < toks.length && toks[t].e <= start) t++;
    let inside = false;
    let insideString = false;
    const strings: LineInfo['strings'] = [];
    const masks: Array<[number, number, Tok['kind']]> = [];
    for (let k = t; k < toks.length && toks[k].s < end; k++) {
      const tok = toks[k];
      if (tok.e <= start) continue;
      if (tok.s < start && tok.e > start) {
        inside = true;
        if (tok.kind === 'str' || tok.kind === 'tpl') insideString = true;
      }
      masks.push([Math.max(tok.s, start) - start, Math.min(tok.e, end) - start, tok.kind]);
      if (tok.kind === 'str' && tok.s >= start && tok.e <= end) {
        const body = text.slice(tok.s + tok.prefix.length + tok.quote.length, tok.e - tok.quote.length);
        strings.push({ s: tok.s - start, e: tok.e - start, quote: tok.quote, prefix: tok.prefix, text: body });
      }
    }
    let code = '';
    let bare = '';
    let pos = 0;
    for (const [s, e, kind] of masks) {
      code += line.slice(pos, s);
      bare += line.slice(pos, s);
      if (kind !== 'lc' && kind !== 'bc') code += line.slice(s, e);
      pos = e;
    }
    code += line.slice(pos);
    bare += line.slice(pos);
    let commentStart = line.length;
    for (const [s, , kind] of masks) {
      if ((kind === 'lc' || kind === 'bc') && !(inside && s === 0)) {
        commentStart = s;
        break;
      }
    }
    let bracketDelta = 0;
    for (const ch of bare) {
      if (ch === '(' || ch === '[' || ch === '{') bracketDelta++;
      else if (ch === ')' || ch === ']' || ch === '}') bracketDelta--;
    }
    const trimmed = line.trim();
    const lineComment = !inside && trimmed !== '' && masks.length > 0 && masks[0][2] === 'lc' && masks[0][0] === line.length - line.trimStart().length;
    out.push({ inside, insideString, strings, code: code.trim(), lineComment, bracketDelta, commentStart });
    off = end + lines.eol[li].length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The original's conventions, as this script reads them

interface Conv {
  indent: 'tabs' | 'spaces' | 'mixed';
  unit: number;
  eol: 'lf' | 'crlf' | 'mixed';
  trimmed: boolean;
  quotes: "'" | '"' | null;
  triple: "'''" | '"""' | null;
  semicolons: 'always' | 'never' | null;
  finalNewline: boolean;
}

const freeChoice = (s: { quote: string; text: string }) => (s.quote === "'" || s.quote === '"') && !s.text.includes("'") && !s.text.includes('"');

const STATEMENT_START = /^(?!(?:if|for|while|switch|catch|function|else|do|try|with|class|typeof|delete|void|new|super)\b)(?:(?:const|let|var|return|throw|break|continue|import|await|export\s+(?:const|let|var|default|\{|\*))\b|(?:this\.)?[\w$]+(?:\.[\w$]+)*\s*(?:=(?![=>])|\+=|-=|\())/;
const CONTINUES_AFTER = /[{([,=+\-*/%&|^!?:<>.~]$|=>$/;
const CONTINUES_NEXT = /^(?:[.?:)\]=,+\-*/%&|^<>]|\?\.|as\b|in\b|instanceof\b)/;

/** A one-line JS statement that clearly ends at the end of this line: 'semi', 'bare', or null. */
function clearStatement(info: LineInfo[], i: number): 'semi' | 'bare' | null {
  const li = info[i];
  if (li.inside || li.bracketDelta !== 0 || !li.code || !STATEMENT_START.test(li.code)) return null;
  if (li.code.startsWith('for')) return null;
  if (li.code.endsWith(';')) return 'semi';
  if (CONTINUES_AFTER.test(li.code)) return null;
  for (let k = i + 1; k < info.length && k < i + 20; k++) {
    if (!info[k].code) continue;
    if (info[k].inside || CONTINUES_NEXT.test(info[k].code) || /^[([`]/.test(info[k].code)) return null;
    break;
  }
  return 'bare';
}

/**
 * How sure a convention must be. Variants need a strict majority, so their label is beyond
 * doubt; a commit is dropped as drifting on its own under looser ones, so no `clean` case
 * holds a change that breaks even a loose majority of the file.
 */
interface Thresholds {
  share: number;
  minEvidence: number;
  /** The file counts as trimmed when at most this share of its lines have trailing whitespace. */
  trailingShare: number;
}
const STRICT: Thresholds = { share: 0.95, minEvidence: 10, trailingShare: 0.01 };
const LOOSE: Thresholds = { share: 0.7, minEvidence: 4, trailingShare: 0.05 };

function conventions(o: Lines, info: LineInfo[], toks: Tok[], lang: Lang, th: Thresholds): Conv {
  let tabs = 0;
  let spaces = 0;
  const deltas = new Map<number, number>();
  let prev = 0;
  let trailing = 0;
  let nonBlank = 0;
  for (let i = 0; i < o.text.length; i++) {
    const line = o.text[i];
    if (info[i].inside || !line.trim()) continue;
    nonBlank++;
    if (/[ \t]$/.test(line)) trailing++;
    const ws = leadingWs(line);
    if (ws && line[ws.length] !== '*') {
      if (ws[0] === '\t') tabs++;
      else spaces++;
    }
    if (!ws.includes('\t')) {
      const d = ws.length - prev;
      if (d > 0) deltas.set(d, (deltas.get(d) ?? 0) + 1);
      prev = ws.length;
    }
  }
  let unit = 4;
  let best = 0;
  for (const d of [2, 4, 8]) {
    if ((deltas.get(d) ?? 0) > best) {
      best = deltas.get(d)!;
      unit = d;
    }
  }
  const indent = tabs + spaces < th.minEvidence ? 'mixed' : tabs >= th.share * (tabs + spaces) ? 'tabs' : spaces >= th.share * (tabs + spaces) ? 'spaces' : 'mixed';

  const lf = o.eol.filter((e) => e === '\n').length;
  const crlf = o.eol.filter((e) => e === '\r\n').length;
  const eol = crlf === 0 ? 'lf' : lf === 0 ? 'crlf' : 'mixed';

  let single = 0;
  let double = 0;
  for (const li of info) {
    for (const s of li.strings) {
      if (freeChoice(s)) {
        if (s.quote === "'") single++;
        else double++;
      }
    }
  }
  // Triple-quoted strings usually span lines, so LineInfo.strings misses most: count tokens.
  const tSingle = toks.filter((t) => t.quote === "'''").length;
  const tDouble = toks.filter((t) => t.quote === '"""').length;
  const qs = single + double;
  const quotes = qs >= th.minEvidence && single >= th.share * qs ? "'" : qs >= th.minEvidence && double >= th.share * qs ? '"' : null;
  const ts = tSingle + tDouble;
  const triple = lang === 'py' && ts >= th.minEvidence / 2 ? (tDouble >= th.share * ts ? '"""' : tSingle >= th.share * ts ? "'''" : null) : null;

  let semicolons: Conv['semicolons'] = null;
  if (lang === 'js') {
    let semi = 0;
    let bareCount = 0;
    for (let i = 0; i < info.length; i++) {
      const k = clearStatement(info, i);
      if (k === 'semi') semi++;
      else if (k === 'bare') bareCount++;
    }
    const total = semi + bareCount;
    if (total >= th.minEvidence && semi >= th.share * total) semicolons = 'always';
    else if (total >= th.minEvidence && bareCount >= th.share * total) semicolons = 'never';
  }
  return {
    indent,
    unit,
    eol,
    trimmed: trailing <= Math.max(1, nonBlank * th.trailingShare),
    quotes,
    triple,
    semicolons,
    finalNewline: o.eol[o.eol.length - 1] !== '',
  };
}

// ---------------------------------------------------------------------------------------------
// Commits

interface Commit {
  sha: string;
  parent: string;
  path: string;
  lang: Lang;
  ext: string;
  o: Lines;
  n: Lines;
  oText: string;
  nText: string;
  oInfo: LineInfo[];
  nInfo: LineInfo[];
  nToks: Tok[];
  /** Offset of each line of `n` in nText. */
  nStarts: number[];
  /** The original's conventions, strict (for variants) and loose (to drop drifting commits). */
  conv: Conv;
  loose: Conv;
  range: [number, number];
  /** 0-based original lines [a0, a1) became new lines [b0, b1); outside, the files agree. */
  a0: number;
  a1: number;
  b0: number;
  b1: number;
  /** 0-based indices in `n` of the lines the commit added. */
  added: number[];
}

const CODE_EXT = /\.(js|ts|mjs|py)$/;
const SKIP_PATH = /(^|\/)(node_modules|vendor|dist|build)\/|\.min\.js$|\.d\.ts$/;

function candidates(): Array<{ sha: string; parent: string; path: string }> {
  const log = git(['log', '--no-merges', '--no-renames', '--format=@%H %P', '--numstat', 'HEAD']);
  const out: Array<{ sha: string; parent: string; path: string }> = [];
  let cur: { sha: string; parent: string; code: string[]; binary: boolean } | null = null;
  const flush = () => {
    if (cur && cur.parent && cur.code.length === 1 && !cur.binary) out.push({ sha: cur.sha, parent: cur.parent, path: cur.code[0] });
  };
  for (const line of log.split('\n')) {
    if (line.startsWith('@')) {
      flush();
      const [sha, parent] = line.slice(1).split(' ');
      cur = { sha, parent: parent ?? '', code: [], binary: false };
      continue;
    }
    const m = /^(\S+)\t(\S+)\t(.+)$/.exec(line);
    if (!m || !cur) continue;
    if (!CODE_EXT.test(m[3])) continue;
    if (m[1] === '-') cur.binary = true;
    cur.code.push(m[3]);
  }
  flush();
  return out.filter((c) => !SKIP_PATH.test(c.path));
}

const skipped = new Map<string, number>();
function skip(reason: string): null {
  skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  return null;
}

function loadCommit(c: { sha: string; parent: string; path: string }): Commit | null {
  const oText = fileAt(c.parent, c.path);
  const nText = fileAt(c.sha, c.path);
  if (oText === null || nText === null) return skip('file missing, binary or not UTF-8');
  const o = splitLines(oText);
  const n = splitLines(nText);
  if (o.text.length < 30 || o.text.length > 3000) return skip('file size outside 30-3000 lines');
  if (o.text.some((l) => l.length > 400)) return skip('very long lines (generated?)');
  if (/\r(?!\n)/.test(oText) || /\r(?!\n)/.test(nText)) return skip('bare CR');
  const wide = diffHunks(c.parent, c.sha, c.path, 2);
  if (wide.length !== 1) return skip('not a single hunk');
  if (wide[0].noNewlineMarker) return skip('touches a missing final newline');
  const narrow = diffHunks(c.parent, c.sha, c.path, 0);
  if (narrow.length === 0) return skip('no change');
  const range: [number, number] = [wide[0].oldStart, wide[0].oldStart + wide[0].oldCount - 1];
  if (range[1] < range[0] || range[1] > o.text.length) return skip('odd hunk header');

  const added: number[] = [];
  const removedText: string[] = [];
  const addedText: string[] = [];
  let a0 = Infinity;
  let a1 = -1;
  for (const h of narrow) {
    // An insertion's old start is the line it goes after.
    const s = h.oldCount === 0 ? h.oldStart : h.oldStart - 1;
    a0 = Math.min(a0, s);
    a1 = Math.max(a1, s + h.oldCount);
    let k = h.newCount === 0 ? h.newStart : h.newStart - 1;
    for (const b of h.body) {
      if (b[0] === '+') {
        added.push(k++);
        addedText.push(b.slice(1));
      } else if (b[0] === '-') removedText.push(b.slice(1));
    }
  }
  const delta = n.text.length - o.text.length;
  const b0 = a0;
  const b1 = a1 + delta;
  // The files must agree outside the changed span (the mapping the variants rely on).
  for (let i = 0; i < a0; i++) if (o.text[i] !== n.text[i] || o.eol[i] !== n.eol[i]) return skip('diff mapping disagrees');
  for (let i = a1; i < o.text.length; i++) if (o.text[i] !== n.text[i + delta] || o.eol[i] !== n.eol[i + delta]) return skip('diff mapping disagrees');
  if (removedText.length + addedText.length > 60) return skip('hunk larger than 60 changed lines');
  const squash = (ls: string[]) => ls.join('').replace(/\s+/g, '');
  if (squash(removedText) === squash(addedText)) return skip('whitespace-only commit');
  if (range[1] - range[0] + 1 > o.text.length / 2) return skip('hunk covers half the file');

  const ext = c.path.slice(c.path.lastIndexOf('.') + 1);
  const lang: Lang = ext === 'py' ? 'py' : 'js';
  const lex = lang === 'js' ? lexJs : lexPy;
  const oToks = lex(oText);
  const nToks = lex(nText);
  const oInfo = lexLines(oText, o, oToks);
  const nInfo = lexLines(nText, n, nToks);
  const nStarts: number[] = [];
  for (let j = 0, off = 0; j < n.text.length; j++) {
    nStarts.push(off);
    off += n.text[j].length + n.eol[j].length;
  }
  const conv = conventions(o, oInfo, oToks, lang, STRICT);
  const loose = conventions(o, oInfo, oToks, lang, LOOSE);
  const commit: Commit = { ...c, lang, ext, o, n, oText, nText, oInfo, nInfo, nToks, nStarts, conv, loose, range, a0, a1, b0, b1, added };
  const drift = ownDrift(commit);
  if (drift) return skip(`the commit itself drifts (${drift})`);
  return commit;
}

/**
 * Does the real commit already break one of the file's clear conventions in its new lines?
 * Then its `clean` label would be wrong, and the commit is not used.
 */
function ownDrift(c: Commit): string | null {
  const { loose: conv, n, nInfo } = c;
  if ((n.eol[n.eol.length - 1] !== '') !== conv.finalNewline) return 'final newline';
  for (const j of c.added) {
    const line = n.text[j];
    const li = nInfo[j];
    if (conv.eol !== 'mixed' && n.eol[j] !== '' && n.eol[j] !== (conv.eol === 'lf' ? '\n' : '\r\n')) return 'line endings';
    if (li.inside) continue;
    if (conv.trimmed && line.trim() && /[ \t]$/.test(line)) return 'trailing whitespace';
    const ws = leadingWs(line);
    if (ws && line.trim() && line[ws.length] !== '*') {
      if (conv.indent === 'spaces' && ws.includes('\t')) return 'tab indent';
      if (conv.indent === 'tabs' && ws.startsWith(' ')) return 'space indent';
      if (conv.indent === 'spaces') {
        let p = j - 1;
        while (p >= 0 && !n.text[p].trim()) p--;
        const opener = c.lang === 'py' ? /:\s*(?:#.*)?$/ : /\{\s*$/;
        if (p >= 0 && opener.test(n.text[p])) {
          const d = ws.length - leadingWs(n.text[p]).length;
          if (d > 0 && d !== conv.unit && (d === 2 || d === 4 || d === 8)) return 'indent unit';
        }
      }
    }
    for (const s of li.strings) {
      if (conv.quotes && freeChoice(s) && s.quote !== conv.quotes) return 'quotes';
    }
    if (c.lang === 'js' && conv.semicolons) {
      const k = clearStatement(nInfo, j);
      if ((conv.semicolons === 'always' && k === 'bare') || (conv.semicolons === 'never' && k === 'semi')) return 'semicolons';
    }
  }
  if (conv.triple) {
    const addedSet = new Set(c.added);
    for (const t of c.nToks) {
      if (t.quote.length === 3 && t.quote !== conv.triple && addedSet.has(lineOf(c, t.s))) return 'docstring quotes';
    }
  }
  return null;
}

/** The 0-based line of `n` that holds offset `off` of nText. */
function lineOf(c: Commit, off: number): number {
  let lo = 0;
  let hi = c.nStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (c.nStarts[mid] <= off) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// Variants

interface Variant {
  kind: string;
  edited: Lines;
  /** The selection, when it is not the commit's own hunk. */
  range?: [number, number];
  expect: { out: 0 | 1 | null; style: string[] | null };
  /** For far-other-commit: the commit whose hunk was added. */
  otherSource?: string;
}

const FAR = 15;
const KINDS = [
  'far-comment', 'far-blank', 'far-reindent', 'far-other-commit', 'style-indent', 'style-quotes', 'style-semicolons', 'style-eol', 'style-trailing-ws', 'whole-reindent',
  'clean-tight', 'clean-wide', 'near-insert', 'near-modify', 'lazy-inside', 'lazy-outside', 'comment-deleted-inside', 'style-naming',
] as const;
type Kind = (typeof KINDS)[number];

/** 0-based original line i is at least FAR lines from the range and outside the changed span. */
function far(c: Commit, i: number): boolean {
  const line = i + 1;
  return (line <= c.range[0] - FAR || line >= c.range[1] + FAR) && (i < c.a0 || i >= c.a1);
}

/** Where original line i (outside the changed span) sits in the new file. */
function mapped(c: Commit, i: number): number {
  return i < c.a0 ? i : i + (c.n.text.length - c.o.text.length);
}

function fileEol(c: Commit): string {
  return c.conv.eol === 'crlf' ? '\r\n' : '\n';
}

function indentUnit(c: Commit): string {
  return c.conv.indent === 'tabs' ? '\t' : ' '.repeat(c.conv.unit);
}

const out1 = { out: 1 as const, style: null };

function farComment(c: Commit): Variant | null {
  const cands: number[] = [];
  for (let i = 0; i < c.o.text.length; i++) {
    const li = c.oInfo[i];
    if (!far(c, i) || !li.lineComment) continue;
    const t = c.o.text[i].trim();
    if (t.startsWith('#!') || /coding[:=]/.test(t) || !/[A-Za-z]{2}/.test(t)) continue;
    cands.push(i);
  }
  const i = pick(cands, `${c.sha}:far-comment`);
  if (i === null) return null;
  const e = cloneLines(c.n);
  const j = mapped(c, i);
  e.text.splice(j, 1);
  e.eol.splice(j, 1);
  return { kind: 'far-comment', edited: e, expect: out1 };
}

function farBlank(c: Commit): Variant | null {
  const cands: number[] = [];
  // Insert between original lines i and i+1, both far, both non-blank code lines.
  for (let i = 0; i + 1 < c.o.text.length; i++) {
    if (!far(c, i) || !far(c, i + 1)) continue;
    if (!c.o.text[i].trim() || !c.o.text[i + 1].trim() || c.oInfo[i + 1].inside) continue;
    cands.push(i);
  }
  const i = pick(cands, `${c.sha}:far-blank`);
  if (i === null) return null;
  const e = cloneLines(c.n);
  const j = mapped(c, i) + 1;
  e.text.splice(j, 0, '');
  e.eol.splice(j, 0, fileEol(c));
  return { kind: 'far-blank', edited: e, expect: out1 };
}

function farReindent(c: Commit): Variant | null {
  if (c.conv.indent === 'mixed') return null;
  const cands: number[] = [];
  for (let i = 0; i < c.o.text.length; i++) {
    if (!far(c, i) || !c.o.text[i].trim() || c.oInfo[i].inside) continue;
    cands.push(i);
  }
  const i = pick(cands, `${c.sha}:far-reindent`);
  if (i === null) return null;
  const e = cloneLines(c.n);
  const j = mapped(c, i);
  e.text[j] = indentUnit(c) + e.text[j];
  return { kind: 'far-reindent', edited: e, expect: out1 };
}

function farOtherCommit(c: Commit): Variant | null {
  const log = git(['log', '--no-merges', '--format=%H %P', 'HEAD', '--', c.path]).trim().split('\n').filter(Boolean);
  const at = log.findIndex((l) => l.startsWith(c.sha));
  // Nearest commits in history first: their hunks are likeliest to apply to this original.
  const others = log
    .map((l, k) => ({ sha: l.split(' ')[0], parent: l.split(' ')[1], dist: Math.abs(k - (at < 0 ? 0 : at)) }))
    .filter((x) => x.sha !== c.sha && x.parent)
    .sort((x, y) => x.dist - y.dist)
    .slice(0, 40);
  const oKey = c.o.text;
  for (const other of others) {
    let hunks: DiffHunk[];
    try {
      hunks = diffHunks(other.parent, other.sha, c.path, 3);
    } catch {
      continue;
    }
    for (const h of shuffled(hunks, `${c.sha}:${other.sha}`)) {
      if (h.noNewlineMarker) continue;
      const oldLines = h.body.filter((b) => b[0] !== '+').map((b) => b.slice(1));
      const newLines = h.body.filter((b) => b[0] !== '-').map((b) => b.slice(1));
      if (oldLines.length === 0 || oldLines.length > 40 || newLines.length > 40) continue;
      const squash = (ls: string[]) => ls.join('').replace(/\s+/g, '');
      if (squash(oldLines) === squash(newLines)) continue;
      // Exactly one place in the original holds the hunk's old side.
      let found = -1;
      let count = 0;
      for (let s = 0; s + oldLines.length <= oKey.length; s++) {
        let ok = true;
        for (let k = 0; k < oldLines.length && ok; k++) ok = oKey[s + k] === oldLines[k];
        if (ok) {
          found = s;
          if (++count > 1) break;
        }
      }
      if (count !== 1) continue;
      const end = found + oldLines.length;
      if (end >= c.o.text.length) continue; // keep away from the final line's terminator
      let ok = true;
      let changedIdx = found;
      for (const b of h.body) {
        if (b[0] !== '+') {
          if (b[0] === '-' && !far(c, changedIdx)) ok = false;
          changedIdx++;
        } else if (!far(c, changedIdx) || !far(c, Math.max(0, changedIdx - 1))) ok = false;
      }
      for (let s = found; s < end && ok; s++) if (s >= c.a0 - 1 && s <= c.a1) ok = false;
      if (!ok) continue;
      const e = cloneLines(c.n);
      const j = mapped(c, found);
      e.text.splice(j, oldLines.length, ...newLines);
      e.eol.splice(j, oldLines.length, ...newLines.map(() => fileEol(c)));
      return { kind: 'far-other-commit', edited: e, expect: out1, otherSource: other.sha.slice(0, 10) };
    }
  }
  return null;
}

/** The commit's added lines that are code (not inside a string or block comment) and non-blank. */
function addedCode(c: Commit): number[] {
  return c.added.filter((j) => !c.nInfo[j].inside && c.n.text[j].trim() !== '');
}

function styleIndent(c: Commit): Variant | null {
  if (c.conv.indent === 'mixed') return null;
  const e = cloneLines(c.n);
  let changed = 0;
  const width = (pick([2, 4], `${c.sha}:indent-width`) ?? 4) as number;
  for (const j of c.added) {
    const line = c.n.text[j];
    if (c.nInfo[j].insideString || !line.trim()) continue;
    const ws = leadingWs(line);
    if (!ws) continue;
    let nws: string;
    if (c.conv.indent === 'spaces') {
      if (ws.includes('\t')) return null;
      nws = '\t'.repeat(Math.floor(ws.length / c.conv.unit)) + ' '.repeat(ws.length % c.conv.unit);
    } else {
      const tabs = /^\t*/.exec(ws)![0].length;
      nws = ' '.repeat(tabs * width) + ws.slice(tabs);
    }
    if (nws === ws) continue;
    e.text[j] = nws + line.slice(ws.length);
    if (!c.nInfo[j].inside && line[ws.length] !== '*') changed++;
  }
  if (changed === 0) return null;
  return { kind: 'style-indent', edited: e, expect: { out: 0, style: ['indent'] } };
}

function styleQuotes(c: Commit): Variant | null {
  const { quotes, triple } = c.conv;
  if (!quotes && !triple) return null;
  const addedSet = new Set(c.added);
  // Literals that start and end on lines the commit added, rewritten at their offsets in nText.
  const edits: Array<{ s: number; e: number; text: string }> = [];
  let clear = 0;
  for (const t of c.nToks) {
    if (t.kind !== 'str') continue;
    const first = lineOf(c, t.s);
    const last = lineOf(c, t.e - 1);
    let all = true;
    for (let j = first; j <= last && all; j++) all = addedSet.has(j);
    if (!all) continue;
    const body = c.nText.slice(t.s + t.prefix.length + t.quote.length, t.e - t.quote.length);
    if (!c.nText.startsWith(t.quote, t.e - t.quote.length) || t.e - t.s < t.prefix.length + 2 * t.quote.length) continue; // unterminated
    if (t.quote.length === 1) {
      if (!quotes || t.quote !== quotes || !freeChoice({ quote: t.quote, text: body }) || first !== last) continue;
      const q = quotes === "'" ? '"' : "'";
      edits.push({ s: t.s, e: t.e, text: t.prefix + q + body + q });
      if (!c.oText.includes(q + body + q)) clear++;
    } else {
      if (!triple || t.quote !== triple) continue;
      const q = triple === "'''" ? '"""' : "'''";
      if (body.includes(q) || body.startsWith(q[0]) || body.endsWith(q[0]) || body.endsWith('\\')) continue;
      edits.push({ s: t.s, e: t.e, text: t.prefix + q + body + q });
      clear++;
    }
  }
  if (clear === 0) return null;
  let text = c.nText;
  for (const ed of edits.reverse()) text = text.slice(0, ed.s) + ed.text + text.slice(ed.e);
  return { kind: 'style-quotes', edited: splitLines(text), expect: { out: 0, style: ['quotes'] } };
}

function styleSemicolons(c: Commit): Variant | null {
  if (c.lang !== 'js' || c.conv.semicolons !== 'always') return null;
  const e = cloneLines(c.n);
  let clear = 0;
  for (const j of c.added) {
    const li = c.nInfo[j];
    if (li.inside || !li.code.endsWith(';') || li.code === ';' || li.code.startsWith('for')) continue;
    // Dropping it would join this line with a next one starting with ( [ or `: not just style.
    let k = j + 1;
    while (k < c.n.text.length && !c.nInfo[k].code) k++;
    if (k < c.n.text.length && /^[([`+\-/]/.test(c.nInfo[k].code)) continue;
    const line = c.n.text[j];
    // The ';' ending the code part, before any trailing comment.
    const codeEnd = line.slice(0, li.commentStart).trimEnd().length - 1;
    if (line[codeEnd] !== ';') continue;
    e.text[j] = line.slice(0, codeEnd) + line.slice(codeEnd + 1);
    if (clearStatement(c.nInfo, j) === 'semi') clear++;
  }
  if (clear === 0) return null;
  return { kind: 'style-semicolons', edited: e, expect: { out: 0, style: ['semicolons'] } };
}

function styleEol(c: Commit): Variant | null {
  if (c.conv.eol !== 'lf' || addedCode(c).length === 0) return null;
  const e = cloneLines(c.n);
  for (const j of c.added) if (e.eol[j] === '\n') e.eol[j] = '\r\n';
  return { kind: 'style-eol', edited: e, expect: { out: 0, style: ['line-endings'] } };
}

function styleTrailing(c: Commit): Variant | null {
  if (!c.conv.trimmed) return null;
  const code = addedCode(c);
  if (code.length === 0) return null;
  const e = cloneLines(c.n);
  for (const j of code) e.text[j] += '  ';
  return { kind: 'style-trailing-ws', edited: e, expect: { out: 0, style: ['trailing-whitespace'] } };
}

function wholeReindent(c: Commit): Variant | null {
  if (c.conv.indent === 'mixed') return null;
  const from = c.conv.indent === 'tabs' ? 0 : c.conv.unit;
  const to = from === 0 ? ((pick([2, 4], `${c.sha}:reindent-width`) ?? 2) as number) : from === 2 ? 4 : from === 4 ? 2 : 4;
  const e = cloneLines(c.n);
  let farChanged = 0;
  let changed = 0;
  for (let j = 0; j < e.text.length; j++) {
    const line = e.text[j];
    if (c.nInfo[j].insideString || !line.trim()) continue;
    const ws = leadingWs(line);
    if (!ws) continue;
    let nws: string;
    if (from === 0) {
      const tabs = /^\t*/.exec(ws)![0].length;
      nws = ' '.repeat(tabs * to) + ws.slice(tabs);
    } else {
      if (ws.includes('\t')) continue;
      nws = ' '.repeat(Math.floor(ws.length / from) * to + (ws.length % from));
    }
    if (nws === ws) continue;
    e.text[j] = nws + line.slice(ws.length);
    changed++;
    // Far from the range in original coordinates (only lines outside the changed span count).
    const i = j < c.b0 ? j : j >= c.b1 ? j - (c.n.text.length - c.o.text.length) : -1;
    if (i >= 0 && far(c, i)) farChanged++;
  }
  if (changed < 20 || farChanged === 0) return null;
  return { kind: 'whole-reindent', edited: e, expect: { out: 1, style: ['indent'] } };
}

// ---------------------------------------------------------------------------------------------
// Harder kinds (-v2- in the shared corpus)

/** The lines the commit changed, 1-based inclusive; an insertion: the lines around it. */
function tightRange(c: Commit): [number, number] {
  if (c.a1 > c.a0) return [c.a0 + 1, c.a1];
  return [Math.max(1, c.a0), Math.min(c.o.text.length, c.a0 + 1)];
}

function cleanTight(c: Commit): Variant | null {
  const range = tightRange(c);
  if (range[0] === c.range[0] && range[1] === c.range[1]) return null;
  return { kind: 'clean-tight', edited: c.n, range, expect: { out: 0, style: [] } };
}

const WIDE = 15;

function cleanWide(c: Commit): Variant | null {
  const range: [number, number] = [Math.max(1, c.range[0] - WIDE), Math.min(c.o.text.length, c.range[1] + WIDE)];
  return { kind: 'clean-wide', edited: c.n, range, expect: { out: 0, style: [] } };
}

function commentLine(c: Commit, indent: string, words: string): string {
  return `${indent}${c.lang === 'py' ? '#' : '//'} ${words}`;
}

/** 0-based original lines 1-3 lines outside the range (and so outside the changed span). */
function nearLines(c: Commit): number[] {
  const out: number[] = [];
  for (let d = 1; d <= 3; d++) {
    const above = c.range[0] - 1 - d;
    const below = c.range[1] - 1 + d;
    if (above >= 0 && above < c.a0) out.push(above);
    if (below < c.o.text.length && below >= c.a1) out.push(below);
  }
  return out;
}

function nearInsert(c: Commit): Variant | null {
  // Inserted after original line L (1-based): out of scope when L < start - 1 or L > end.
  const spots: number[] = [];
  for (let d = 1; d <= 3; d++) {
    if (c.range[0] - 1 - d >= 1) spots.push(c.range[0] - 1 - d);
    if (c.range[1] + d < c.o.text.length) spots.push(c.range[1] + d);
  }
  const ok = spots.filter((L) => !c.oInfo[L]?.inside && (L < c.a0 || L > c.a1));
  const L = pick(ok, `${c.sha}:near-insert`);
  if (L === null) return null;
  const e = cloneLines(c.n);
  const j = mapped(c, L - 1) + 1;
  const next = c.o.text[L] ?? '';
  e.text.splice(j, 0, commentLine(c, leadingWs(next.trim() ? next : c.o.text[L - 1]), 'Note: keep this in step with the docs.'));
  e.eol.splice(j, 0, fileEol(c));
  return { kind: 'near-insert', edited: e, expect: out1 };
}

function nearModify(c: Commit): Variant | null {
  const cands: Array<{ i: number; text: string }> = [];
  for (const i of nearLines(c)) {
    const li = c.oInfo[i];
    if (li.inside || li.lineComment) continue;
    const line = c.o.text[i];
    const code = line.slice(0, li.commentStart);
    const num = /(?<![\w.$])(\d+)(?![\w.])/.exec(code);
    if (num) {
      cands.push({ i, text: line.slice(0, num.index) + String(Number(num[1]) + 1) + line.slice(num.index + num[1].length) });
      continue;
    }
    const str = li.strings.find((x) => x.quote.length === 1 && /[A-Za-z]{2}/.test(x.text) && x.e <= li.commentStart);
    if (str) {
      const body = line.slice(str.s + str.prefix.length + 1, str.e - 1);
      cands.push({ i, text: line.slice(0, str.s + str.prefix.length + 1) + body + 's' + line.slice(str.e - 1) });
    }
  }
  const pickd = pick(cands, `${c.sha}:near-modify`);
  if (!pickd) return null;
  const e = cloneLines(c.n);
  e.text[mapped(c, pickd.i)] = pickd.text;
  return { kind: 'near-modify', edited: e, expect: out1 };
}

const ELISIONS = ['... existing code ...', '... rest of the code unchanged ...', '...', '(unchanged)', '... remaining cases as before ...', 'rest of the function unchanged', '… existing logic …', '... keep existing code ...'];

/** Windows of 4-8 original lines, clear of literals and at least 2 lines from the changed span, that `where` accepts. */
function elisionWindows(c: Commit, where: (i: number) => boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const n = c.o.text.length;
  for (let s = 0; s < n; s++) {
    for (const len of [4, 5, 6, 8]) {
      const e = s + len;
      if (e >= n) break;
      let ok = !!c.o.text[s].trim() && !!c.o.text[e - 1].trim() && !c.oInfo[e].inside;
      for (let i = s; i < e && ok; i++) ok = !c.oInfo[i].inside && where(i) && (i < c.a0 - 2 || i >= c.a1 + 2);
      if (ok) out.push([s, e]);
    }
  }
  return out;
}

function elide(c: Commit, kind: string, win: [number, number]): Lines {
  const e = cloneLines(c.n);
  const j = mapped(c, win[0]);
  const words = pick(ELISIONS, `${c.sha}:${kind}:words`)!;
  const text = c.lang === 'js' && words === '...' ? `${leadingWs(c.o.text[win[0]])}/* ... */` : commentLine(c, leadingWs(c.o.text[win[0]]), words);
  e.text.splice(j, win[1] - win[0], text);
  e.eol.splice(j, win[1] - win[0], fileEol(c));
  return e;
}

/** The range widened to hold original lines [s, e) (0-based) with a margin of 1-3 lines. */
function widened(c: Commit, s: number, e: number, key: string): [number, number] {
  const m = 1 + Math.floor(rng(key)() * 3);
  return [Math.max(1, Math.min(c.range[0], s + 1 - m)), Math.min(c.o.text.length, Math.max(c.range[1], e + m))];
}

function lazyInside(c: Commit): Variant | null {
  const wins = elisionWindows(c, (i) => Math.abs(i + 1 - c.range[0]) <= 25 || Math.abs(i + 1 - c.range[1]) <= 25);
  const win = pick(wins, `${c.sha}:lazy-inside`);
  if (!win) return null;
  return { kind: 'lazy-inside', edited: elide(c, 'lazy-inside', win), range: widened(c, win[0], win[1], `${c.sha}:lazy-margin`), expect: { out: 0, style: ['placeholder'] } };
}

function lazyOutside(c: Commit): Variant | null {
  const win = pick(elisionWindows(c, (i) => far(c, i)), `${c.sha}:lazy-outside`);
  if (!win) return null;
  return { kind: 'lazy-outside', edited: elide(c, 'lazy-outside', win), expect: { out: 1, style: ['placeholder'] } };
}

function commentDeletedInside(c: Commit): Variant | null {
  const cands: Array<[number, number]> = [];
  const n = c.o.text.length;
  for (let s = 0; s < n; s++) {
    if (!c.oInfo[s].lineComment || (s > 0 && c.oInfo[s - 1].lineComment)) continue;
    let e = s;
    while (e < n && c.oInfo[e].lineComment) e++;
    if (e - s > 3 || e >= n || !c.oInfo[e].code || c.oInfo[e].inside) continue;
    const words = c.o.text.slice(s, e).join(' ');
    if (!/[A-Za-z]{3,}\s+[A-Za-z]{2,}/.test(words) || /eslint|@ts-|noqa|pragma|TODO|FIXME|istanbul|prettier|type:|coding[:=]|^#!/i.test(words)) continue;
    // Away from the change, and the code it describes is not the code the commit changed.
    if (!(e + 3 < c.a0 || s > c.a1 + 1)) continue;
    if (Math.abs(s + 1 - c.range[0]) > 25 && Math.abs(s + 1 - c.range[1]) > 25) continue;
    cands.push([s, e]);
  }
  const win = pick(cands, `${c.sha}:comment-deleted-inside`);
  if (!win) return null;
  const e = cloneLines(c.n);
  const j = mapped(c, win[0]);
  e.text.splice(j, win[1] - win[0]);
  e.eol.splice(j, win[1] - win[0]);
  return { kind: 'comment-deleted-inside', edited: e, range: widened(c, win[0], win[1] + 1, `${c.sha}:comment-margin`), expect: { out: 0, style: ['comments-removed'] } };
}

const JS_NAME = /\b(?:const|let|var|function\s*\*?)\s+([A-Za-z_$][\w$]*)/g;
const PY_NAME = /^\s*(?:def\s+([A-Za-z_]\w*)|([A-Za-z_]\w*)\s*=(?!=))/;
const isCamel = (w: string) => /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/.test(w);
const isSnake = (w: string) => /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(w);

function namesDeclared(c: Commit, code: string): string[] {
  if (c.lang === 'py') {
    const m = PY_NAME.exec(code);
    return m ? [m[1] ?? m[2]] : [];
  }
  return [...code.matchAll(JS_NAME)].map((m) => m[1]);
}

function styleNaming(c: Commit): Variant | null {
  let camel = 0;
  let snake = 0;
  for (const li of c.oInfo) {
    for (const w of namesDeclared(c, li.code)) {
      if (isCamel(w)) camel++;
      else if (isSnake(w)) snake++;
    }
  }
  const total = camel + snake;
  const conv = total >= STRICT.minEvidence && camel >= STRICT.share * total ? 'camel' : total >= STRICT.minEvidence && snake >= STRICT.share * total ? 'snake' : null;
  if (!conv) return null;
  const wordIn = (w: string, text: string) => new RegExp(`(?<![\\w$])${w.replace(/\$/g, '\\$')}(?![\\w$])`).test(text);
  const introduced: string[] = [];
  for (const j of c.added) {
    for (const w of namesDeclared(c, c.nInfo[j].code)) {
      if ((conv === 'camel' ? isCamel(w) : isSnake(w)) && !wordIn(w, c.oText)) introduced.push(w);
    }
  }
  const name = pick(introduced, `${c.sha}:naming`);
  if (!name) return null;
  const other = conv === 'camel' ? name.replace(/[A-Z]/g, (x) => `_${x.toLowerCase()}`) : name.replace(/_([a-z0-9])/g, (_, x: string) => x.toUpperCase());
  if (wordIn(other, c.oText) || wordIn(other, c.nText)) return null;
  const e = cloneLines(c.n);
  const re = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
  for (const j of c.added) e.text[j] = e.text[j].replace(re, other);
  return { kind: 'style-naming', edited: e, expect: { out: 0, style: ['naming'] } };
}

const BUILDERS: Record<Kind, (c: Commit) => Variant | null> = {
  'far-comment': farComment,
  'far-blank': farBlank,
  'far-reindent': farReindent,
  'far-other-commit': farOtherCommit,
  'style-indent': styleIndent,
  'style-quotes': styleQuotes,
  'style-semicolons': styleSemicolons,
  'style-eol': styleEol,
  'style-trailing-ws': styleTrailing,
  'whole-reindent': wholeReindent,
  'clean-tight': cleanTight,
  'clean-wide': cleanWide,
  'near-insert': nearInsert,
  'near-modify': nearModify,
  'lazy-inside': lazyInside,
  'lazy-outside': lazyOutside,
  'comment-deleted-inside': commentDeletedInside,
  'style-naming': styleNaming,
};

// ---------------------------------------------------------------------------------------------
// Main

function main(): void {
  if (!existsSync(gitDir)) {
    console.error(`make-corpus: ${gitDir} does not exist`);
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  const mine = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d{3}-`);
  for (const name of readdirSync(outDir)) if (mine.test(name)) rmSync(join(outDir, name), { recursive: true, force: true });

  const pool = shuffled(candidates(), `${prefix}:commits`);
  const usedPerFile = new Map<string, number>();
  const kindUse = new Map<string, number>(KINDS.map((k) => [k, 0]));
  let caseNo = 0;
  let commits = 0;
  const write = (c: Commit, v: Variant) => {
    const name = `${prefix}-${String(caseNo++).padStart(3, '0')}-${v.kind}`;
    const dir = join(outDir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `original.${c.ext}`), c.oText);
    writeFileSync(join(dir, `edited.${c.ext}`), joinLines(v.edited));
    const source = `${prefix}:${c.path}@${c.sha.slice(0, 10)}${v.otherSource ? ` + ${v.otherSource}` : ''}`;
    writeFileSync(join(dir, 'case.json'), `${JSON.stringify({ range: v.range ?? c.range, kind: v.kind, source, expect: v.expect }, null, 1)}\n`);
  };

  for (const cand of pool) {
    if (commits >= maxCommits) break;
    if ((usedPerFile.get(cand.path) ?? 0) >= perFile) continue;
    let c: Commit | null;
    try {
      c = loadCommit(cand);
    } catch (err) {
      skip(`git failed: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    if (!c) continue;
    commits++;
    usedPerFile.set(c.path, (usedPerFile.get(c.path) ?? 0) + 1);
    write(c, { kind: 'clean', edited: c.n, expect: { out: 0, style: [] } });
    // The kinds used least so far go first, ties in a seeded order.
    const order = shuffled(KINDS.filter((k) => !onlyKinds || onlyKinds.includes(k)), `${c.sha}:kinds`).sort((x, y) => kindUse.get(x)! - kindUse.get(y)!);
    let made = 0;
    for (const kind of order) {
      if (made >= variantsPerCommit) break;
      const v = BUILDERS[kind](c);
      if (!v) continue;
      // A variant must differ from the commit, and a style variant must still change the
      // original: undoing the commit's only change (it added the semicolon the variant drops)
      // leaves nothing new to hold to the file's style.
      const edited = joinLines(v.edited);
      const cleanKind = v.kind === 'clean-tight' || v.kind === 'clean-wide';
      if ((edited === c.nText && !cleanKind) || edited === c.oText) continue;
      write(c, v);
      kindUse.set(kind, kindUse.get(kind)! + 1);
      made++;
    }
  }

  const counts = [...kindUse].map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(`make-corpus: ${caseNo} cases from ${commits} commits of ${basename(dirname(gitDir)) || gitDir} into ${outDir} (clean ${commits}, ${counts})`);
  if (skipped.size) console.log(`skipped commits: ${[...skipped].sort((x, y) => y[1] - x[1]).map(([r, n]) => `${r} ${n}`).join('; ')}`);
}

main();
