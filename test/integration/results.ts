import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where a suite running inside the editor leaves its results for the launcher outside it:
 * the extension host's console is not the launcher's, so results travel through files.
 */
export function resultsDir(): string {
  return process.env.EDITSCOPE_TEST_RESULTS || path.resolve(__dirname, '../../../test-results/integration');
}

export function writeResult(name: string, content: string): void {
  const dir = resultsDir();
  fs.mkdirSync(dir, { recursive: true });
  // Written whole, then renamed, so the launcher polling for it never reads half a file.
  const tmp = path.join(dir, `.${name}.tmp`);
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, path.join(dir, name));
}
