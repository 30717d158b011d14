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
    String.raw`^\(?\s*(?:unchanged|no changes?|same as before|as before|omitted|snip(?:ped)?)\s*\)?[.!]?$`,
    String.raw`\((?:unchanged|no changes?|omitted|as before)\)`,
    String.raw`\b(?:remains?|stays?|is|are|left|kept)\s+(?:the\s+)?(?:same|unchanged|as\s+(?:is|before))\b`,
    String.raw`\bas\s+before\s*[.!]?$`,
    String.raw`\b(?:omitted|elided|skipped)\s+for\s+brevity\b`,
    String.raw`\bfor\s+brevity\b`,
    String.raw`\b(?:existing|previous|original|remaining|other)\s+(?:code|logic|implementation|methods|functions|cases|tests|imports|properties|fields|options|content|lines|branches|handlers|routes)\b.*\b(?:unchanged|here|as\s+before|omitted|same|remains?|goes\s+here|stays?)\b`,
    String.raw`^(?:the\s+)?rest\s+of\s+(?:the\s+)?(?:code|file|function|method|class|module|implementation|body|cases|logic|tests|component|handler|loop|block|object|config)\b`,
    String.raw`\bunchanged\s*[.!)]?$`,
    // The whole comment names what is left out: "existing code", "[unchanged code]".
    String.raw`^[[(]?\s*(?:the\s+)?(?:existing|previous|original|unchanged|remaining|other)\s+(?:code|implementation|logic|content|methods|functions|cases|tests|lines|imports|properties|fields|options|handlers|routes)\s*[\])]?[.:]?$`,
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
