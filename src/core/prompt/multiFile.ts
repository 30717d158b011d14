import type { PromptWindow } from '../task/editTask';
import { joinLines, splitLines } from '../text/lines';
import type { EditFormat } from './build';
import { answerLines, closesFence, openingFence, type Fence } from './fences';
import { applySearchReplace, parseSearchReplaceAnswer, parseWholeAnswer } from './parse';
import { malformed, TRUNCATED, type Outcome } from './outcome';
import { spliceWindow, windowText } from './window';

/** target: the file with the selection; edit: another file the task lets the model change; other: any file it may not. */
export type FileRole = 'target' | 'edit' | 'other';

export interface FileEdit {
  /** As the task names it (target, edit) or as the model wrote it (other). */
  path: string;
  role: FileRole;
  /** The file before the edit ('' for a file the model invented). */
  original: string;
  edited: string;
  /** False for a file the model invented. */
  exists: boolean;
}

export interface MultiFileInput {
  target: { path: string; original: string; window: PromptWindow };
  editFiles: ReadonlyArray<{ path: string; text: string }>;
  /** The text of another workspace file the model wrote to, or null when there is none. */
  readOther: (path: string) => string | null;
}

/** The markers searchReplace.ts reads (compared trimmed). */
const SEARCH = /^(?:<{5,9}|-{3,9}) ?SEARCH>?$/;
const REPLACE = /^(?:>{5,9}|\+{3,9}) ?REPLACE<?$/;
/** A path alone on its line, as models write it: bare, in backticks or bold, after `#` or `File:`, with a colon after. */
const PATH_LINE = /^\s*(?:#{1,6}\s+|[-*]\s+)?(?:\*\*|__)?(?:(?:file|path|filename)\s*:\s*)?(?:\*\*|__)?`?([^\s`*]+?)`?(?:\*\*|__)?:?\s*$/i;
const PATHLIKE = /^[\w@.+~\-/\\]+$/;

/** A path as a comment alone on a block's first line: `// src/a.ts`, `# app/x.py`, `<!-- docs/a.md -->`. */
const PATH_COMMENT = /^\s*(?:\/\/|#|--|;|<!--|\/\*)\s*(?:(?:file|path|filename)\s*:\s*)?`?([^\s`*]+?)`?\s*(?:-->|\*\/)?\s*$/i;

interface Segment {
  path: string | null;
  body: string;
  /** The body with the path comment its block opened with, for a file whose text holds that line. */
  withComment?: string;
  /** That comment line. */
  comment?: string;
}

const isPath = (p: string) => PATHLIKE.test(p) && /[./\\]/.test(p) && !/^\.+$/.test(p);

/**
 * The path a block's opening fence names in its info string (```ts src/a.ts), or on its
 * first line as a comment, or bare on its first line before a SEARCH marker (aider's
 * shape); `comment`: that first line is the path's, not the file's.
 */
function pathOfBlock(fenceLine: string, first: string | undefined, next: string | undefined): { path: string; comment: boolean } | null {
  const info = /^\s*[`~]{3,}\s*(?:[\w+#.-]*[\s:]+)?([^\s`]+)\s*$/.exec(fenceLine);
  if (info && isPath(info[1]) && /[/\\]|\.\w+$/.test(info[1])) return { path: info[1], comment: false };
  const bare = first === undefined ? '' : first.trim();
  if (isPath(bare) && /[/\\]|\.\w+$/.test(bare) && next !== undefined && SEARCH.test(next.trim())) return { path: bare, comment: true };
  const c = first === undefined ? null : PATH_COMMENT.exec(first);
  // A comment holding a file name (`# utils.py`), not a word or a version (`# v1.2`).
  return c && isPath(c[1]) && /\.[A-Za-z]\w*$/.test(c[1]) ? { path: c[1], comment: true } : null;
}

/**
 * Cuts a multi-file answer into one part per file: a file's path alone on the line before
 * its fenced block (or, unfenced, before its SEARCH/REPLACE blocks), the convention aider
 * and others use; or a block that names its own file, in its info string or as a comment on
 * its first line (left out of the part unless the file holds that line). Lines inside a block
 * are never taken for a path. Text before the first path that holds a block is a part with no
 * path.
 */
export function splitByFile(answer: string): Segment[] {
  const lines = answerLines(answer);
  /** line: where the part starts (the path line, or the fence of a block naming its own path); from: its body's first line. */
  const starts: Array<{ line: number; from: number; path: string; comment?: number }> = [];
  let fence: Fence | null = null;
  let inSearch = false;
  const opensBlock = (l: string) => openingFence(l) !== null || SEARCH.test(l.trim());
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (inSearch) {
      if (REPLACE.test(l.trim())) inSearch = false;
      continue;
    }
    if (SEARCH.test(l.trim())) {
      inSearch = true;
      continue;
    }
    if (fence) {
      if (closesFence(l, fence)) fence = null;
      continue;
    }
    const open = openingFence(l);
    if (open) {
      fence = open;
      let after = i + 2;
      while (after < lines.length && !lines[after].trim()) after++;
      const own = pathOfBlock(l, lines[i + 1], lines[after]);
      const last = starts.at(-1);
      const headed = last !== undefined && last.from === i;
      if (own && !headed) starts.push({ line: i, from: i, path: own.path, comment: own.comment ? i + 1 : undefined });
      else if (own?.comment && headed && normalizeAnswerPath(own.path) === normalizeAnswerPath(last.path)) last.comment = i + 1;
      continue;
    }
    const m = PATH_LINE.exec(l);
    if (!m || !isPath(m[1])) continue;
    let next = i + 1;
    while (next < lines.length && !lines[next].trim()) next++;
    if (next < lines.length && opensBlock(lines[next])) starts.push({ line: i, from: next, path: m[1] });
  }
  const segments: Segment[] = [];
  const firstStart = starts.length ? starts[0].line : lines.length;
  const preamble = lines.slice(0, firstStart).join('\n');
  if (lines.slice(0, firstStart).some(opensBlock)) segments.push({ path: null, body: preamble });
  starts.forEach((s, k) => {
    const part = lines.slice(s.from, k + 1 < starts.length ? starts[k + 1].line : lines.length);
    if (s.comment === undefined) return segments.push({ path: s.path, body: part.join('\n') });
    const at = s.comment - s.from;
    segments.push({ path: s.path, body: [...part.slice(0, at), ...part.slice(at + 1)].join('\n'), withComment: part.join('\n'), comment: lines[s.comment] });
  });
  return segments;
}

/**
 * A path as the model wrote it, in the form a task names its files: forward slashes, no `./`
 * segments, no repeated separators. Nothing else is forgiven: a path is one of the task's
 * files only when it is exactly that file's workspace-relative path, never by a shared
 * suffix (`test/src/a.ts` is not `src/a.ts`, nor `a.ts`).
 */
export function normalizeAnswerPath(written: string): string {
  return written.replace(/\\/g, '/').replace(/\/{2,}/g, '/').replace(/^(?:\.\/)+/, '').replace(/\/(?:\.\/)+/g, '/');
}

/**
 * Every file of a multi-file answer, edited: the target and each editable file (unchanged
 * when the answer leaves it out) and any other file the answer writes to. Each file's part
 * is parsed by the single-file parser of the format; a part that does not parse, or two
 * whole-file parts for one file, make the answer malformed.
 */
export function filesFromAnswer(
  input: MultiFileInput,
  format: EditFormat,
  answer: string,
  finishReason: string | null,
): Outcome<{ files: FileEdit[] }> {
  if (finishReason === 'length') return TRUNCATED;
  const target = input.target;
  const segments = splitByFile(answer);
  if (!segments.length) return malformed(format === 'whole' ? 'The answer has no fenced code block under a file path' : 'The answer has no SEARCH/REPLACE block under a file path');
  const files = new Map<string, FileEdit>();
  files.set(target.path, { path: target.path, role: 'target', original: target.original, edited: target.original, exists: true });
  for (const f of input.editFiles) files.set(f.path, { path: f.path, role: 'edit', original: f.text, edited: f.text, exists: true });
  const written = new Set<string>();
  for (const [k, seg] of segments.entries()) {
    // Only the last part can end where the answer ended.
    const finish = k === segments.length - 1 ? finishReason : null;
    // A block with no path before it can only be the target's, and only when nothing else claims the target.
    const path = seg.path === null ? target.path : normalizeAnswerPath(seg.path);
    if (seg.path === null && segments.some((s) => s.path !== null && normalizeAnswerPath(s.path) === target.path)) return malformed('The answer has a code block with no file path before it');
    let file = files.get(path);
    if (!file) {
      const text = input.readOther(path);
      file = { path, role: 'other', original: text ?? '', edited: text ?? '', exists: text !== null };
      files.set(path, file);
    }
    const isTarget = file.role === 'target';
    const holdsComment = seg.comment !== undefined && splitLines(file.original).lines.some((l) => l.trim() === seg.comment!.trim());
    const body = holdsComment ? seg.withComment! : seg.body;
    if (format === 'whole') {
      if (written.has(path)) return malformed(`The answer has two code blocks for ${path}`);
      // The file's own text tells its block from a shell command or a usage example beside it.
      const parsed = parseWholeAnswer(body, finish, { windowText: isTarget ? windowText(file.original, target.window) : file.original, file: path });
      if (!parsed.ok) return malformed(`${path}: ${parsed.error.message}`);
      file.edited = isTarget ? spliceWindow(file.original, target.window, parsed.text) : wholeFile(file.original, parsed.text);
    } else {
      const parsed = parseSearchReplaceAnswer(body, finish);
      if (!parsed.ok) return malformed(`${path}: ${parsed.error.message}`);
      if (!file.exists && parsed.edits.every((e) => e.search.trim() === '')) {
        file.edited = wholeFile('', parsed.edits.map((e) => e.replace).join(''));
      } else {
        // Blocks for a file already written apply on top of what the earlier ones made; they
        // keep every untouched line's own ending, so the text goes back as it comes out.
        const e = splitLines(file.edited);
        const grown = e.lines.length - splitLines(file.original).lines.length;
        const window = isTarget ? { start: target.window.start, end: target.window.end + grown } : { start: 1, end: e.lines.length };
        // The byte-order mark is the file's, not its first line's: a SEARCH part never holds it.
        const sent = windowText(file.edited, window);
        const bom = sent.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
        const applied = applySearchReplace(sent.slice(bom.length), parsed.edits, window.start);
        if (!applied.ok) return malformed(`${path}: ${applied.error.message}`);
        file.edited = joinLines(e.lines.slice(0, window.start - 1), e.eols.slice(0, window.start - 1)) + bom + applied.text + joinLines(e.lines.slice(window.end), e.eols.slice(window.end));
      }
    }
    written.add(path);
  }
  return { ok: true, files: [...files.values()] };
}

/** A whole file's new text, with the line endings and final newline of the file it replaces. */
function wholeFile(original: string, text: string): string {
  if (original === '') return text === '' || /\n$/.test(text) ? text : text + '\n';
  return spliceWindow(original, { start: 1, end: splitLines(original).lines.length }, text);
}
