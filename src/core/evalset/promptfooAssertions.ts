import ASSERTION_JS from './assertion.iife';

/**
 * The promptfoo `javascript` assertions: Edit Scope's grading code (assertion.ts, with the
 * rules of src/core/prompt/ and the analysis), bundled at build time into one script that
 * each assertion runs (promptfoo runs a multi-line value as a function body of `output` and
 * `context`).
 */
const run = (fn: 'assertScope' | 'assertReference') => `${ASSERTION_JS}\nreturn editScope.${fn}(output, context);\n`;

/** Scope: nothing outside the selection (and the editable files' lines) changed, no other file written. */
export const SCOPE_JS = run('assertScope');

/** Reference: normalised exact match with the accepted edit of every file, scored by similarity. */
export const REFERENCE_JS = run('assertReference');
