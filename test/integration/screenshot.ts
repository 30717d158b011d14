import * as fs from 'node:fs';
import * as path from 'node:path';
import { resultsDir } from './results';
import type { Layout } from '../browser/layout';

/**
 * Asks the launcher for a picture of the editor as a person sees it. Only the code-server
 * launcher drives a browser it can photograph; elsewhere this notes that and goes on.
 */
export async function saveScreenshot(name: string, opts: { width?: number; height?: number; webview?: boolean; measure?: boolean } = {}, timeoutMs = 30_000): Promise<string | undefined> {
  const dir = resultsDir();
  if (!fs.existsSync(path.join(dir, 'screenshots-enabled'))) {
    console.log(`    (screenshot "${name}" skipped: this launcher cannot take screenshots)`);
    return undefined;
  }
  const requests = path.join(dir, 'screenshot-requests');
  fs.mkdirSync(requests, { recursive: true });
  const req = path.join(requests, `${name}.req`);
  fs.writeFileSync(req, JSON.stringify(opts));
  const started = Date.now();
  while (fs.existsSync(req)) {
    if (Date.now() - started > timeoutMs) throw new Error(`the launcher did not take screenshot "${name}" within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return path.join(dir, '..', 'screenshots', `${name}.png`);
}

export interface FoundElement {
  text: string;
  attributes: Record<string, string | null>;
}

/**
 * What the workbench shows a person outside the extension host's reach (a walkthrough's
 * ticks, drawn by the workbench from its own state): the elements `selector` matches in the
 * editor's page, asked of the launcher's browser. Undefined where no launcher can look.
 */
export async function findOnPage(name: string, selector: string, attributes: string[] = [], timeoutMs = 30_000): Promise<FoundElement[] | undefined> {
  const dir = resultsDir();
  if (!fs.existsSync(path.join(dir, 'screenshots-enabled'))) return undefined;
  const requests = path.join(dir, 'screenshot-requests');
  fs.mkdirSync(requests, { recursive: true });
  const req = path.join(requests, `${name}.probe`);
  const answer = path.join(requests, `${name}.found`);
  fs.rmSync(answer, { force: true });
  fs.writeFileSync(req, JSON.stringify({ selector, attributes }));
  const started = Date.now();
  while (fs.existsSync(req)) {
    if (Date.now() - started > timeoutMs) throw new Error(`the launcher did not look for "${selector}" within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const found = JSON.parse(fs.readFileSync(answer, 'utf8'));
  fs.rmSync(answer, { force: true });
  if (!Array.isArray(found)) throw new Error(`the launcher could not look for "${selector}": ${found.error}`);
  return found;
}

/**
 * One step of `pressKeys`: wait for an element showing `text`, then type text (replacing what
 * `into` holds) and press a key, where the focus is or in the element `into` (focused first);
 * with `until`, the key is pressed again until an element shows `untilText` (an Enter an input
 * box does not take while it is still checking what was typed); with `untilGone`, until that
 * element is no longer shown (the last Enter of a quick input).
 */
export type KeyStep = { waitFor?: string; text?: string; into?: string; type?: string; press?: string; until?: string; untilText?: string; untilGone?: string };

/**
 * Presses keys in the editor's page as a person would, wherever the focus is: the keyboard-only
 * path through a quick input. False where no launcher can press keys.
 */
export async function pressKeys(name: string, steps: KeyStep[], timeoutMs = 60_000): Promise<boolean> {
  const dir = resultsDir();
  if (!fs.existsSync(path.join(dir, 'screenshots-enabled'))) return false;
  const requests = path.join(dir, 'screenshot-requests');
  fs.mkdirSync(requests, { recursive: true });
  const req = path.join(requests, `${name}.keys`);
  const answer = path.join(requests, `${name}.pressed`);
  fs.rmSync(answer, { force: true });
  fs.writeFileSync(req, JSON.stringify(steps));
  const started = Date.now();
  while (fs.existsSync(req)) {
    if (Date.now() - started > timeoutMs) throw new Error(`the launcher did not press the keys of "${name}" within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const outcome = JSON.parse(fs.readFileSync(answer, 'utf8'));
  fs.rmSync(answer, { force: true });
  if (!outcome.ok) throw new Error(`keys of "${name}": ${outcome.error}`);
  return true;
}

/**
 * A picture of the editor with a webview on screen, and that webview's page measured where
 * it is drawn (test/browser/layout.ts): one Layout per webview. Undefined where the launcher
 * cannot take pictures.
 */
export async function measureWebviews(name: string, opts: { width?: number; height?: number } = {}): Promise<Layout[] | undefined> {
  const shot = await saveScreenshot(name, { ...opts, webview: true, measure: true });
  if (!shot) return undefined;
  return JSON.parse(fs.readFileSync(path.join(resultsDir(), 'screenshot-requests', `${name}.layout.json`), 'utf8')) as Layout[];
}
