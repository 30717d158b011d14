// The same integration suite through @vscode/test-electron, for machines with internet:
// it downloads a VS Code build matching engines.vscode and runs the suite inside it.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

const root = resolve(import.meta.dirname, '../..');
const resultsDir = join(root, 'test-results', 'integration');
rmSync(resultsDir, { recursive: true, force: true });
const workspace = mkdtempSync(join(tmpdir(), 'editscope-ws-'));
cpSync(join(root, 'test', 'integration', 'workspace'), workspace, { recursive: true });

try {
  await runTests({
    version: process.env.VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out', 'test', 'integration', 'index.js'),
    extensionTestsEnv: { EDITSCOPE_TEST_RESULTS: resultsDir },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (err) {
  console.error(`test-electron: ${err instanceof Error ? err.message : err}`);
}
const summaryFile = join(resultsDir, 'summary.json');
if (!existsSync(summaryFile)) {
  console.error('test-electron: the suite did not run (no results)');
  process.exit(1);
}
const s = JSON.parse(readFileSync(summaryFile, 'utf8'));
console.log(`real VS Code ${s.vscodeVersion}: ${s.passed} passed, ${s.failed} failed`);
process.exit(s.failed || s.passed === 0 ? 1 : 0);
