import { alignLines } from './hunks';
import type { ChangeBlock } from './anchoredDiff';
import type { StyleInput } from './styleInput';
import type { StyleFinding } from './analysisTypes';
import { normalizeLine } from '../text/lines';
import { plural } from '../text/plural';

/**
 * Elision comments: a comment an edit put where original code was, standing for it
 * ("// ... existing code ...", "# ... rest of the function unchanged ...", "/* ... *\/",
 * "// (unchanged)"). Applied as is, such an answer deletes the code it stands for.
 */

/**
 * The comment's words once its markers are stripped. Words that name what was left out, for
 * a comment that also holds an ellipsis ("... existing code ...", "other methods ...").
 */
const ELLIPSIS = /\.{3}|…/;
const ELIDED_WORDS =
  /\b(?:existing|rest|remaining|remainder|unchanged|same|before|previous(?:ly)?|original|omitted|omit|elided|snip|truncated|other|others|etc|keep|kept|preserved?|unmodified|untouched|identical|continues?|more|code|methods?|functions?|cases?|implementation|logic|body|here|lines?|as is|no changes?)\b/i;
/** Without an ellipsis, only phrases that say code was left out (never a description of code). */
const ELIDED_PHRASE = new RegExp(
  [
    String.raw`^[[(]?\s*(?:unchanged|no changes?|same as before|as before|omitted|snip(?:ped)?)\s*[\])]?[.!]?$`,
    String.raw`^[[(]?\s*(?:the\s+)?rest\s+(?:is\s+)?(?:omitted|elided|unchanged)\s*[\])]?[.!]?$`,
    String.raw`^(?:keep|leave)\s+(?:the\s+|your\s+)?(?:existing|previous|original|other|remaining)\s+(?:code|logic|implementation|content|methods|functions|cases|tests|imports)(?:\s+(?:here|as\s+is|unchanged))?\s*[.!]?$`,
    String.raw`\((?:unchanged|no changes?|omitted|as before)\)`,
    String.raw`\b(?:remains?|stays?|is|are|left|kept)\s+(?:the\s+)?(?:same|unchanged|as\s+(?:is|before))\b`,
    String.raw`\bas\s+before\s*[.!]?$`,
    String.raw`\b(?:omitted|elided|skipped)\s+for\s+brevity\b`,
    String.raw`\bfor\s+brevity\b`,
    String.raw`\b(?:existing|previous|original|remaining|other)\s+(?:code|logic|implementation|methods|functions|cases|tests|imports|properties|fields|options|content|lines|branches|handlers|routes)\b.*\b(?:unchanged|here|as\s+before|omitted|same|remains?|goes\s+here|stays?)\b`,
    String.raw`^(?:the\s+)?rest\s+of\s+(?:the\s+)?(?:code|file|function|method|class|module|implementation|body|cases|logic|tests|component|handler|loop|block|object|config)\b`,
    String.raw`\bunchanged\s*[.!)]?$`,
    // The whole comment names what is left out: "existing code", "[unchanged code]".
    String.raw`^[[(]?\s*(?:the\s+|your\s+)?(?:existing|previous|original|unchanged|remaining|other)\s+(?:code|implementation|logic|content|methods|functions|cases|tests|lines|imports|properties|fields|options|handlers|routes)\s*[\])]?[.:]?$`,
    String.raw`^no\s+changes?\s+(?:below|above|here|after\s+this|before\s+this)\b`,
    String.raw`\b(?:keep|leave)\s+(?:the\s+)?rest\b|\bthe\s+rest\s+(?:as\s+(?:is|before)|unchanged|stays|remains)\b`,
  ].join('|'),
  'i',
);

/** Words one of which every elision wording holds: most comments are ruled out without a regex. */
const CUES = ['...', '…', 'unchanged', 'change', 'before', 'omit', 'elided', 'skipped', 'snip', 'same', 'as is', 'brevity', 'existing', 'previous', 'original', 'remaining', 'other', 'rest'];

function mayElide(lower: string): boolean {
  for (const cue of CUES) if (lower.includes(cue)) return true;
  return false;
}

/** Comment markers of the languages an answer may come in, stripped from both ends of a line. */
const OPENERS = /^(?:\{\s*\/\*+|\/\*+|\/\/+!?|#+|<!--|--|;+|%+|\*+|'|REM\b)\s*/i;
const CLOSERS = /\s*(?:\*+\/\s*\}?|-->)\s*$/;

/** The text of a comment-only line, markers stripped; null when the line is not one. */
export function commentOnlyText(line: string): string | null {
  const t = line.trim();
  const open = OPENERS.exec(t);
  if (!open) return null;
  return t.slice(open[0].length).replace(CLOSERS, '').trim();
}

/**
 * Does this comment text stand for left-out code? An ellipsis alone or with words naming
 * what was left out, or a phrase that says so ("(unchanged)", "remaining cases as before").
 */
export function isElisionText(text: string): boolean {
  if (text.length > 160 || !mayElide(text.toLowerCase())) return false;
  const t = text.replace(/^[\s*]+|[\s*]+$/g, '');
  if (t.length > 120) return false;
  if (ELLIPSIS.test(t)) {
    // Bare "...", "[...]", "(...)": nothing but the ellipsis.
    if (/^[\s.…[\]()]*$/.test(t)) return true;
    // "... existing code ...", "rest of the file ...": the ellipsis at an end, with a word for what was left.
    if ((/^[[(]?\s*(?:\.{3}|…)/.test(t) || /(?:\.{3}|…)\s*[\])]?$/.test(t)) && ELIDED_WORDS.test(t)) return true;
  }
  return ELIDED_PHRASE.test(t);
}

/** How far past a placeholder's kept neighbour the line after it is looked for in the original. */
const NEIGHBOUR_REACH = 2000;
/** Non-blank lines around a placeholder matched to find it in the original. */
const NEIGHBOUR_LINES = 3;

/**
 * Finds placeholders in an edit's changed runs, and the original lines each stands for:
 * between the lines the edit kept or rewrote on either side of it in its run, or, where the
 * diff paired those lines elsewhere, between its neighbours as found in the original.
 */
export class Placeholders {
  /** Original lines [from, to) the placeholders found so far stand for. */
  readonly elided: Array<[number, number]> = [];

  constructor(
    private readonly input: StyleInput,
    /** Edited lines that are examples in prose (a Markdown code block): never placeholders. */
    private readonly example: Uint8Array | null = null,
  ) {}

  /**
   * Comments the edit put where original lines were, standing for them ("... existing code
   * ..."): one finding each, with the original lines that vanished under it. A comment the
   * original already had, or one that leaves no original line out, is not one.
   */
  find(run: ChangeBlock, findings: StyleFinding[]): void {
    if (run.b0 === run.b1) return;
    const { orig, edit } = this.input;
    let align: Int32Array | null = null;
    let gapFloor = run.a0;
    for (let j = run.b0; j < run.b1; j++) {
      const text = this.commentOnly(j);
      if (text === null || !isElisionText(text) || this.lineExistedBefore(edit.line(j).trim())) continue;
      align ??= alignLines(orig, edit, run, true);
      // The original lines between the nearest lines the edit kept (or rewrote) on either side.
      let from = gapFloor;
      for (let k = j - 1; k >= run.b0; k--) {
        if (align[k - run.b0] >= 0) {
          from = Math.max(from, align[k - run.b0] + 1);
          break;
        }
      }
      let to = run.a1;
      for (let k = j + 1; k < run.b1; k++) {
        if (align[k - run.b0] >= 0) {
          to = align[k - run.b0];
          break;
        }
      }
      let code = 0;
      for (let i = from; i < to; i++) if (orig.line(i).trim()) code++;
      // The diff may also pair a blank line around the placeholder with one in the middle of
      // what it stands for (the rest then a run of its own), or pair the vanished lines with
      // look-alike lines the edit added nearby (a new test beside old ones): the gap is then
      // read from the placeholder's neighbours, the original lines between the line kept
      // before it and the next one, when that reading holds the diff's.
      const gap = this.gapBetweenNeighbours(j, run) ?? (code === 0 ? this.deletionBeside(j, run) : null);
      if (gap && (code === 0 || (gap[0] <= from && gap[1] >= to))) [from, to] = gap;
      else if (code === 0) continue;
      if (this.rewordsComment(text, from, to)) continue;
      gapFloor = Math.max(gapFloor, to);
      this.elided.push([from, to]);
      const count = to - from;
      const where = count === 1 ? `line ${from + 1}` : `lines ${from + 1}-${to}`;
      findings.push({
        rule: 'placeholder',
        line: j + 1,
        message: `A placeholder comment ("${text}") stands for ${plural(count, 'original line')} (${where}) that the edit deleted`,
        replaces: { originalStart: from + 1, originalLines: count },
      });
    }
  }

  /**
   * Original lines [from, to) between the edited lines around line j: the one before it
   * where the diff kept it (or, when the diff took it for a new line, where the lines
   * ending in it stand in the original nearest the run), and the next few after it found in
   * the original soon after that.
   */
  private gapBetweenNeighbours(j: number, run: ChangeBlock): [number, number] | null {
    const { orig, edit, runs } = this.input;
    let before = j - 1;
    while (before >= 0 && !edit.line(before).trim()) before--;
    let after = j + 1;
    while (after < edit.count && !edit.line(after).trim()) after++;
    let from = 0;
    if (before >= 0) {
      // The original line of an unchanged edited line: runs before it shift it by their growth.
      let shift = 0;
      let inRun = false;
      for (const r of runs) {
        if (r.b0 > before) break;
        if (before < r.b1) {
          inRun = true;
          break;
        }
        shift += r.b1 - r.b0 - (r.a1 - r.a0);
      }
      if (!inRun) from = before - shift + 1;
      else {
        const at = this.nearestBefore(this.nonBlankBack(before), run);
        if (at < 0) return null;
        from = at + 1;
      }
    }
    const hasCode = (to: number) => {
      for (let k = from; k < to; k++) if (orig.line(k).trim()) return true;
      return false;
    };
    // The blank lines the edit kept between the placeholder and its neighbours did not vanish:
    // as many blank lines at either end of the gap are left out of it.
    const kept = (to: number): [number, number] => {
      let a = from;
      for (let k = before + 1; k < j && a < to && !orig.line(a).trim(); k++) a++;
      let b = to;
      for (let k = j + 1; k < after && b > a && !orig.line(b - 1).trim(); k++) b--;
      return [a, b];
    };
    // Nothing after it: it stands for the rest of the file.
    if (after >= edit.count) return hasCode(orig.count) ? kept(orig.count) : null;
    // The next few non-blank edited lines, found in the same order in the original: one
    // line alone (an `end`, a `}`) matches too early. Fewer when the edit goes on with new
    // lines of its own.
    const want: string[] = [];
    for (let k = after; k < edit.count && want.length < NEIGHBOUR_LINES; k++) if (edit.line(k).trim()) want.push(normalizeLine(edit.line(k)));
    const limit = Math.min(orig.count, from + NEIGHBOUR_REACH);
    for (let n = want.length; n > 0; n--) {
      for (let i = from; i < limit; i++) {
        if (this.matchesFrom(i, want, n, 1)) return hasCode(i) ? kept(i) : null;
      }
    }
    return null;
  }

  /**
   * The original lines of a deletion the diff placed beside the placeholder rather than under
   * it, apart from it only by a blank line or a lone closing bracket or two: the diff kept a
   * `}` the elided branches ended with, and put the placeholder after it.
   */
  private deletionBeside(j: number, run: ChangeBlock): [number, number] | null {
    const { orig, edit, runs } = this.input;
    const filler = (from: number, to: number) => {
      if (to - from > 2) return false;
      for (let k = from; k < to; k++) if (!/^\s*[}\])]*[;,]?\s*$/.test(edit.line(k))) return false;
      return true;
    };
    for (const r of runs) {
      if (r === run || r.b0 !== r.b1 || this.elided.some(([a, b]) => a < r.a1 && r.a0 < b)) continue;
      if (!(r.b0 <= j ? filler(r.b0, j) && run.b0 <= j : filler(j + 1, r.b0))) continue;
      for (let i = r.a0; i < r.a1; i++) if (orig.line(i).trim()) return [r.a0, r.a1];
    }
    return null;
  }

  /** The normalised non-blank edited lines ending at `last`, up to NEIGHBOUR_LINES, last first. */
  private nonBlankBack(last: number): string[] {
    const edit = this.input.edit;
    const out: string[] = [];
    for (let k = last; k >= 0 && out.length < NEIGHBOUR_LINES; k--) if (edit.line(k).trim()) out.push(normalizeLine(edit.line(k)));
    return out;
  }

  /**
   * Original lines from i on, going forward (step 1) or back (step -1), hold want[0..n) in
   * that order, blank lines aside; line i itself must not be blank.
   */
  private matchesFrom(i: number, want: string[], n: number, step: 1 | -1): boolean {
    const orig = this.input.orig;
    let w = 0;
    for (let k = i; k >= 0 && k < orig.count && w < n; k += step) {
      if (!orig.line(k).trim()) {
        if (k === i) return false;
        continue;
      }
      if (normalizeLine(orig.line(k)) !== want[w]) return false;
      w++;
    }
    return w === n;
  }

  /**
   * The original line nearest the run's start (within reach) that ends the lines `back`
   * (last first) in order, blank lines aside, or -1; fewer of them when all do not match.
   */
  private nearestBefore(back: string[], run: ChangeBlock): number {
    const orig = this.input.orig;
    const ends = (i: number, n: number) => this.matchesFrom(i, back, n, -1);
    for (let n = back.length; n > 0; n--) {
      for (let d = 0; d < NEIGHBOUR_REACH; d++) {
        for (const i of [run.a0 + d, run.a0 - 1 - d]) if (i >= 0 && i < orig.count && ends(i, n)) return i;
      }
    }
    return -1;
  }

  /**
   * The lines it stands for are comments, one of them this comment in other punctuation
   * ("e.g." become "e.g.,"): a comment reworded, not code left out.
   */
  private rewordsComment(text: string, from: number, to: number): boolean {
    const words = (t: string) => t.replace(/[^\p{L}\p{N}]+/gu, '').toLowerCase();
    const mine = words(text);
    let same = false;
    for (let i = from; i < to; i++) {
      const line = this.input.orig.line(i);
      if (!line.trim()) continue;
      const c = commentOnlyText(line);
      if (c === null) return false;
      same ||= words(c) === mine;
    }
    return same;
  }

  /** The text of edited line j when it holds only a comment, else null. */
  private commentOnly(j: number): string | null {
    if (this.example?.[j]) return null;
    const li = this.input.editInfo[j];
    if (this.input.language === 'text' || !li) return commentOnlyText(this.input.edit.line(j));
    // A line of a comment block that goes on before or after it (a doc comment's prose) stands
    // for nothing. `{/* ... */}` in JSX leaves its braces as the line's code.
    if (li.startsInsideLiteral || li.endsInsideLiteral) return null;
    return li.comment && (li.code === '' || li.code === '{}') ? li.comment : null;
  }

  /** The original has a line that is this one, indentation aside. */
  private lineExistedBefore(trimmed: string): boolean {
    const text = this.input.originalText;
    for (let at = text.indexOf(trimmed); at >= 0; at = text.indexOf(trimmed, at + 1)) {
      let s = at;
      while (s > 0 && (text.charCodeAt(s - 1) === 32 || text.charCodeAt(s - 1) === 9)) s--;
      let e = at + trimmed.length;
      while (e < text.length && (text.charCodeAt(e) === 32 || text.charCodeAt(e) === 9)) e++;
      const startsLine = s === 0 || text.charCodeAt(s - 1) === 10 || text.charCodeAt(s - 1) === 13;
      if (startsLine && (e === text.length || text.charCodeAt(e) === 10 || text.charCodeAt(e) === 13)) return true;
    }
    return false;
  }
}
