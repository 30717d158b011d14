import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { resultsDir, writeResult } from './results';

/**
 * Runs mocha on the given compiled test files inside the extension host. The extension
 * host's console is not the launcher's, so a spec-style report and a JSON summary go to
 * files the launcher prints (and to the console, which test-electron shows).
 */
export async function runSuite(files: string[]): Promise<void> {
  fs.mkdirSync(resultsDir(), { recursive: true });
  const outFile = path.join(resultsDir(), 'output.txt');
  fs.writeFileSync(outFile, '');
  const print = (line: string) => {
    fs.appendFileSync(outFile, line + '\n');
    console.log(line);
  };
  const failures: Array<{ title: string; error: string }> = [];
  let passed = 0;
  try {
    if (files.length === 0) throw new Error(`no test files found`);
    // EDITSCOPE_TEST_GREP runs only the tests whose title matches (while working on one).
    const grep = process.env.EDITSCOPE_TEST_GREP;
    const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: specToFile(print), ...(grep ? { grep } : {}) });
    for (const f of files) mocha.addFile(f);
    await new Promise<void>((resolve, reject) => {
      try {
        const runner = mocha.run(() => resolve());
        runner.on('pass', () => passed++);
        runner.on('fail', (test, err: Error) => failures.push({ title: test.fullTitle(), error: err?.stack ?? String(err) }));
      } catch (err) {
        reject(err);
      }
    });
  } catch (err) {
    // A test file that does not load must fail the run now, not leave the launcher waiting.
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    print(`the suite could not run: ${error}`);
    failures.push({ title: 'loading the integration suite', error });
  }
  writeResult('summary.json', JSON.stringify({ passed, failed: failures.length, failures, vscodeVersion: require('vscode').version }, null, 2));
  if (failures.length) throw new Error(`${failures.length} test(s) failed`);
}

/** A spec-like reporter that writes through `print`. */
function specToFile(print: (line: string) => void) {
  return class extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
      super(runner, options);
      let depth = 0;
      let passes = 0;
      const failed: Array<{ title: string; err: Error }> = [];
      const started = Date.now();
      const pad = () => '  '.repeat(depth);
      runner.on('suite', (s) => {
        if (s.title) print(`${pad()}${s.title}`);
        depth++;
      });
      runner.on('suite end', () => depth--);
      runner.on('pass', (t) => {
        passes++;
        print(`${pad()}✔ ${t.title}${t.duration && t.duration > 75 ? ` (${t.duration}ms)` : ''}`);
      });
      runner.on('fail', (t, err) => {
        failed.push({ title: t.fullTitle(), err });
        print(`${pad()}${failed.length}) ${t.title}`);
      });
      runner.on('end', () => {
        print('');
        print(`  ${passes} passing (${((Date.now() - started) / 1000).toFixed(0)}s)`);
        if (failed.length) print(`  ${failed.length} failing`);
        failed.forEach((f, i) => print(`\n  ${i + 1}) ${f.title}:\n     ${(f.err?.stack ?? String(f.err)).split('\n').join('\n     ')}`));
      });
    }
  };
}

export function testFiles(dir: string, pattern = /\.test\.js$/): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}
