import { gradeItem, type GradeItem } from './gradeItem';

/**
 * The promptfoo assertions' code: esbuild bundles this module, with the answer-reading rules
 * of src/core/prompt/, the analysis and relevance (supporting hunks) it imports, into one
 * script (`./assertion.iife`, see esbuild.config.mjs) that each exported assertion runs, so
 * promptfoo grades an answer with the very code replay grades it with. The script must need
 * nothing of Node: promptfoo runs it as a function body with no `require` in reach. promptfoo
 * gives no finish reason: an answer is taken as ended normally.
 */
interface PromptfooContext {
  vars: GradeItem;
}

interface Verdict {
  pass: boolean;
  score: number;
  reason: string;
}

const UNUSABLE = (item: GradeItem) =>
  `The answer holds no usable edit (${item.format === 'search-replace' ? 'SEARCH/REPLACE blocks that each apply to one place' : 'a fenced code block holding the file'})`;

/** Scope: nothing changed outside the selection, the editable files' lines, and no other file. */
export function assertScope(output: unknown, context: PromptfooContext): Verdict {
  const g = gradeItem(context.vars, String(output));
  if (!g.usable) return { pass: false, score: 0, reason: `${UNUSABLE(context.vars)}: ${g.reason}` };
  return { pass: g.scope === 1, score: g.scope, reason: g.reason };
}

/** Reference: each file with an accepted edit matches it (normalised), scored by line similarity. */
export function assertReference(output: unknown, context: PromptfooContext): Verdict {
  const g = gradeItem(context.vars, String(output));
  if (!g.usable) return { pass: false, score: 0, reason: `${UNUSABLE(context.vars)}: ${g.reason}` };
  const score = g.references.length ? g.references.reduce((a, r) => a + r.score, 0) / g.references.length : 1;
  if (score === 1) return { pass: true, score, reason: 'Matches the accepted edit' };
  const worst = g.references.filter((r) => r.score < 1).map((r) => `${r.file} ${r.score.toFixed(2)}`);
  return { pass: false, score, reason: `Differs from the accepted edit (line similarity ${worst.join(', ')})` };
}

export { gradeItem };
