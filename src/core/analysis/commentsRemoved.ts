import type { ChangeBlock } from './anchoredDiff';
import type { StyleFinding } from './analysisTypes';
import type { LineInfo } from './lexer';
import type { StyleInput } from './styleInput';
import { indentWidth, normalizeLine } from '../text/lines';

/** The comments-removed rule, run by checkStyle on each changed run. */
export class CommentsRemoved {
  constructor(
    private readonly input: StyleInput,
    /** Original lines [from, to) placeholders stand for: their comments are the placeholder's finding. */
    private readonly elided: ReadonlyArray<readonly [number, number]>,
  ) {}

  /**
   * Prose comments the edit deleted. Inside the selection (or with no selection) one is
   * flagged when the code it describes was kept unchanged: a comment that goes with code the
   * edit rewrote may go with it. Outside the selection nothing was asked for, so a deleted
   * comment is flagged whatever happened to the code around it. A run that adds comments of
   * its own has reworded them, and is left alone.
   */
  check(run: ChangeBlock, findings: StyleFinding[]): void {
    const origInfo = this.input.origInfo;
    if (!origInfo || run.a0 === run.a1) return;
    const before = new Set<string>();
    for (let i = run.a0; i < run.a1; i++) {
      const c = origInfo[i]?.comment;
      if (c) before.add(normalizeLine(c));
    }
    const kept = new Set<string>();
    const keptCode = new Set<string>();
    for (let j = run.b0; j < run.b1; j++) {
      const li = this.input.editInfo[j];
      if (li?.comment) {
        const c = normalizeLine(li.comment);
        if (!before.has(c)) return;
        kept.add(c);
      }
      // A comment turned into a docstring was reworded too.
      if (li && (li.startsInsideLiteral || li.strings.some((x) => x.quote.length === 3))) return;
      if (li?.code) keptCode.add(normalizeLine(li.code));
    }
    const uncommented = new Set<string>();
    for (let j = run.b0; j < run.b1; j++) uncommented.add(normalizeLine(this.input.edit.line(j)));
    const regions = this.input.regions ?? [];
    const inside = (i: number) => regions.length === 0 || regions.some((r) => i + 1 >= r.start && i + 1 <= r.end);
    let removed = 0;
    let outside = 0;
    for (let i = run.a0; i < run.a1; i++) {
      const li = origInfo[i];
      if (!li || !li.comment || !isProseComment(li.comment) || kept.has(normalizeLine(li.comment))) continue;
      if (this.elided.some(([from, to]) => i >= from && i < to)) continue;
      // Commented-out code the edit put back in is not a deleted comment.
      if (uncommented.has(normalizeLine(li.comment.replace(/^[#/*\s]+/, '')))) continue;
      if (!inside(i)) {
        removed++;
        outside++;
      } else if (this.deletionLosesComment(i, li, run, keptCode)) removed++;
    }
    if (removed === 0) return;
    const where = `original ${run.a1 - run.a0 === 1 ? `line ${run.a0 + 1}` : `lines ${run.a0 + 1}-${run.a1}`}`;
    const why = outside === removed ? 'outside the selection' : `while the code ${removed === 1 ? 'it describes' : 'they describe'} was kept`;
    findings.push({
      rule: 'comments-removed',
      line: Math.max(0, Math.min(run.b0, this.input.edit.count - 1)) + 1,
      message: `${removed === 1 ? 'A comment was' : `${removed} comment lines were`} deleted (${where}) ${why}`,
    });
  }

  /**
   * The code a comment-only original line describes (the statement after it, with the body
   * it opens) is still there, unchanged.
   */
  private describedCodeKept(i: number, run: ChangeBlock, keptCode: ReadonlySet<string>): boolean {
    const { orig, origInfo, editInfo } = this.input;
    const isComment = (k: number) => {
      const li = origInfo![k];
      return li ? !codeBesideComment(li) && !!li.comment : /^\s*(?:\/\/|#|\/\*|\*|\{\/\*)/.test(orig.line(k));
    };
    const limit = Math.min(orig.count, i + 1 + DESCRIBED_REACH);
    let d = i + 1;
    while (d < limit && (!orig.line(d).trim() || isComment(d) || origInfo![d]?.startsInsideLiteral)) d++;
    if (d >= limit) return false;
    // The run rewrote a line that binds a name the described code uses (`raw = read()` above
    // `# Parse it as JSON` over `parse(raw)`): what the comment speaks of changed with it.
    const rebound = this.namesBoundByRewrite(run);
    const described = origInfo![d]?.code ?? '';
    for (const name of rebound) if (new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(described)) return false;
    if (d < run.a1) {
      // The code is in the same run: kept only when the edit has the same line.
      const code = origInfo![d]?.code;
      let same = false;
      for (let j = run.b0; j < run.b1 && !same; j++) same = !!code && editInfo[j]?.code === code;
      if (!same) return false;
    }
    // The statement and, when it opens one, its body: the deeper lines after it and the
    // line that closes them.
    const base = indentWidth(orig, d);
    const end = Math.min(orig.count, d + DESCRIBED_REACH);
    let e = d + 1;
    let last = d;
    while (e < end && (!orig.line(e).trim() || indentWidth(orig, e) > base)) {
      if (orig.line(e).trim()) last = e;
      e++;
    }
    e = last + 1;
    if (e < end && indentWidth(orig, e) === base && /^\s*[}\])]/.test(orig.line(e))) e++;
    // Lines of that code inside this same run must be there still: a comment on code the run
    // rewrote may go with the rewrite, one beside a rewrite of other code may not.
    for (let k = d + 1; k < Math.min(e, run.a1); k++) {
      const code = codeBesideComment(origInfo![k]);
      if (code && !keptCode.has(normalizeLine(code))) return false;
    }
    return !this.changedBetween(Math.max(d, run.a1), e, run);
  }

  /** Names assigned by the run's edited lines that are not kept from the original (`x = ...`, `const x = ...`). */
  private namesBoundByRewrite(run: ChangeBlock): string[] {
    const names: string[] = [];
    for (let j = run.b0; j < run.b1; j++) {
      const code = this.input.editInfo[j]?.code;
      if (!code) continue;
      let kept = false;
      for (let i = run.a0; i < run.a1 && !kept; i++) kept = this.input.origInfo?.[i]?.code === code;
      if (kept) continue;
      const m = /^\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=(?![=>])/.exec(code);
      if (m) names.push(m[1]);
    }
    return names;
  }

  /**
   * Inside the selection, deleting the comment on original line i loses something: the code
   * it describes is still there, unchanged, and the deletion is not itself the change.
   */
  private deletionLosesComment(i: number, li: LineInfo, run: ChangeBlock, keptCode: Set<string>): boolean {
    // A comment whose deletion is the edit's only change is the change that was asked for
    // (with no selection nothing says what was).
    if ((this.input.regions?.length ?? 0) > 0 && !this.editChangesElsewhere(run) && this.runOnlyDeletes(run)) return false;
    // A trailing comment stripped from a line whose code stayed.
    const code = codeBesideComment(li);
    if (code) return keptCode.has(normalizeLine(code));
    return !this.commentBlockEdited(i, run) && this.describedCodeKept(i, run, keptCode);
  }

  /** Every line the run leaves is one it had: it only deletes. */
  private runOnlyDeletes(run: ChangeBlock): boolean {
    const had = new Set<string>();
    for (let i = run.a0; i < run.a1; i++) had.add(normalizeLine(this.input.orig.line(i)));
    for (let j = run.b0; j < run.b1; j++) if (!had.has(normalizeLine(this.input.edit.line(j)))) return false;
    return true;
  }

  /** The edit changes more than this run (whitespace aside). */
  private editChangesElsewhere(self: ChangeBlock): boolean {
    return this.input.runs.some((r) => r !== self && !r.whitespaceOnly);
  }

  /** Another run edits the comment block (consecutive comment-only lines) that line i is in: the comment was reworded. */
  private commentBlockEdited(i: number, self: ChangeBlock): boolean {
    const info = this.input.origInfo!;
    const isComment = (k: number) => !!info[k] && !info[k]!.code && (!!info[k]!.comment || info[k]!.startsInsideLiteral);
    let lo = i;
    while (lo > 0 && i - lo < DESCRIBED_REACH && isComment(lo - 1)) lo--;
    let hi = i + 1;
    while (hi < info.length && hi - i < DESCRIBED_REACH && isComment(hi)) hi++;
    // An insertion right after the block's last line adds to it too.
    return this.changedBetween(lo, hi + 1, self);
  }

  /** Some run other than `self` changes original lines in [lo, hi) or inserts lines among them. */
  private changedBetween(lo: number, hi: number, self: ChangeBlock): boolean {
    if (lo >= hi) return false;
    const runs = this.input.runs;
    let a = 0;
    let b = runs.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (Math.max(runs[mid].a1, runs[mid].a0 + 1) <= lo) a = mid + 1;
      else b = mid;
    }
    for (let k = a; k < runs.length && runs[k].a0 < hi; k++) if (runs[k] !== self) return true;
    return false;
  }
}


/** A line's code, '' for a comment-only line: `{/* ... *\/}` in JSX leaves its braces as code. */
function codeBesideComment(li: LineInfo | undefined): string {
  if (!li) return '';
  return li.comment && li.code === '{}' ? '' : li.code;
}

/** How far past a comment the code it describes is looked for, and how long that code may be. */
const DESCRIBED_REACH = 40;

/**
 * Comments whose removal is a loss: prose. Not rulers, tool directives (a fix may make an
 * eslint-disable moot), TODOs (the change may do them) or commented-out code.
 */
function isProseComment(comment: string): boolean {
  const c = comment.replace(/^[*\s]+/, '');
  if (!/[A-Za-z]{2}/.test(c)) return false;
  if (/^(?:eslint|@ts-|prettier-ignore|istanbul|c8 |jshint|global |noqa|type:|pylint|pragma|fmt:|isort:|TODO|FIXME|XXX|HACK)/i.test(c)) return false;
  if (/[;{}]\s*$/.test(c) || /^[\w.$]+\(.*\)\s*$/.test(c) || /^(?:const|let|var|return|import|from|def|if|for)\b.*[=(:]/.test(c)) return false;
  return true;
}
