/**
 * promptfoo renders its config with Nunjucks, more than once depending on its version: the
 * prompt is rendered, then (when it is not JSON) the result is rendered again; string vars
 * are searched for `{{ name }}` and filled in from other vars; newer versions fill in
 * `{{ env.NAME }}` anywhere in the config when it loads. A comment in the user's code holding
 * `{{ range.constructor("...")() }}` would run, `{{ user.name }}` would vanish from the
 * message, and `{{ env.OPENAI_API_KEY }}` would put a key into the prompt. So no text from the
 * log reaches the config with a `{` in it: every `{` is written `~b` (and `~` itself `~t`),
 * which no Nunjucks pass touches, and it is turned back exactly once, where the text is used.
 */

/** Text with no Nunjucks delimiter in it; `decode` (or the prompt's filters) gives it back exactly. */
export function encodeLiteral(text: string): string {
  return text.replace(/~/g, '~t').replace(/\{/g, '~b');
}

export function decodeLiteral(text: string): string {
  return text.split('~b').join('{').split('~t').join('~');
}

/** Every string in a plain value, encoded. */
export function encodeStrings(value: unknown): unknown {
  if (typeof value === 'string') return encodeLiteral(value);
  if (Array.isArray(value)) return value.map(encodeStrings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeStrings(v)]));
  return value;
}

const DECODE = `| replace('~b', '{') | replace('~t', '~')`;

/**
 * The prompt, as JSON: promptfoo then renders each string of it once, so a message is filled
 * in, decoded, and never rendered again. The messages are always a system and a user message.
 */
export const PROMPTFOO_PROMPT = JSON.stringify(
  [0, 1].map((i) => ({ role: `{{ messages[${i}].role }}`, content: `{{ messages[${i}].content ${DECODE} }}` })),
);

/**
 * Put before an assertion's code: the task's vars, kept under `task` (promptfoo leaves a var
 * that is not a string alone: no `{{ name }}` filling, no trailing newline dropped) and
 * decoded, become `context.vars` as the code expects them.
 */
export const DECODE_VARS_JS = `context = Object.assign({}, context, { vars: (function dec(x) {
  if (typeof x === 'string') return x.split('~b').join('{').split('~t').join('~');
  if (Array.isArray(x)) return x.map(dec);
  if (x && typeof x === 'object') { const o = {}; for (const k of Object.keys(x)) o[k] = dec(x[k]); return o; }
  return x;
})((context.vars || {}).task) });
`;

/** Text shown in a description: no delimiter left whole, so nothing is rendered or lost. */
export function displaySafe(text: string): string {
  return text.replace(/\{(?=[{%#])/g, '{ ');
}
