/**
 * What promptfoo does with an exported config, with its own template engine (Nunjucks,
 * configured as promptfoo configures it): each step of its rendering that has touched
 * text in some version, so a test sees what a model and an assertion would receive.
 *   - On load (newer versions): `{{ env.NAME }}` anywhere in the config is filled in.
 *   - Per test: a string var loses one trailing newline, and `{{ name }}` in a string var is
 *     replaced by the var `name` (resolveVariables).
 *   - The prompt: when it parses as JSON, each of its strings is rendered once; otherwise it
 *     is rendered, and older versions render the result a second time.
 *   - An assertion's value is rendered with the test's vars before it runs.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nunjucks = require('nunjucks') as { configure(opts: object): { renderString(t: string, ctx: object): string } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { load(text: string): unknown };

const engine = nunjucks.configure({ autoescape: false });

export interface PromptfooConfig {
  description: string;
  prompts: string[];
  providers: Array<{ id: string; label: string }>;
  defaultTest: { assert: Assertion[] };
  tests: Array<{ description: string; vars: Record<string, unknown>; assert?: Assertion[]; metadata: Record<string, string> }>;
}
type Assertion = { type: string; metric: string; value: string };

/** The config as promptfoo holds it once loaded, `env` being the environment it runs in. */
export function loadPromptfoo(text: string, env: Record<string, string> = {}): PromptfooConfig {
  const fillEnv = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/\{\{\s*env\.(\w+)\s*\}\}/g, (m, name: string) => env[name] ?? m);
    if (Array.isArray(v)) return v.map(fillEnv);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillEnv(x)]));
    return v;
  };
  return fillEnv(yaml.load(text)) as PromptfooConfig;
}

function renderObject(v: unknown, vars: Record<string, unknown>): unknown {
  if (typeof v === 'string') return engine.renderString(v, vars);
  if (Array.isArray(v)) return v.map((x) => renderObject(x, vars));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renderObject(x, vars)]));
  return v;
}

/** One test's vars after promptfoo's per-test steps (it changes them in place). */
export function testVars(test: { vars: Record<string, unknown> }): Record<string, unknown> {
  const vars: Record<string, unknown> = structuredClone(test.vars);
  for (const k of Object.keys(vars)) if (typeof vars[k] === 'string') vars[k] = (vars[k] as string).replace(/\n$/, '');
  for (let i = 0; i < 5; i++) {
    let changed = false;
    for (const k of Object.keys(vars)) {
      if (typeof vars[k] !== 'string') continue;
      const m = /\{\{\s*(\w+)\s*\}\}/.exec(vars[k] as string);
      if (m && vars[m[1]] !== undefined) {
        vars[k] = (vars[k] as string).replace(m[0], String(vars[m[1]]));
        changed = true;
      }
    }
    if (!changed) break;
  }
  return vars;
}

/** The chat messages the provider is sent for a test. */
export function renderedMessages(prompt: string, vars: Record<string, unknown>): Array<{ role: string; content: string }> {
  let text: string;
  try {
    text = JSON.stringify(renderObject(JSON.parse(prompt), vars));
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    // Not JSON: rendered, and by older versions rendered again.
    text = renderObject(engine.renderString(prompt, vars), vars) as string;
  }
  return JSON.parse(text);
}

/** Runs an assertion as promptfoo's `javascript` type does: its value rendered with the vars, then called. */
export function runAssertion(a: Assertion, output: string, vars: Record<string, unknown>): { pass: boolean; score: number; reason: string } {
  const code = engine.renderString(a.value, vars);
  if (code !== a.value) throw new Error('the assertion code changes when promptfoo renders it');
  return new Function('output', 'context', code)(output, { vars }) as { pass: boolean; score: number; reason: string };
}
