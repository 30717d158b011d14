import * as fs from 'node:fs';
import * as path from 'node:path';
import { resultsDir } from './results';

/**
 * Asks the launcher for a picture of the editor as a person sees it. Only the code-server
 * launcher drives a browser it can photograph; elsewhere this notes that and goes on.
 */
export async function saveScreenshot(name: string, opts: { width?: number; height?: number; webview?: boolean } = {}, timeoutMs = 30_000): Promise<string | undefined> {
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
