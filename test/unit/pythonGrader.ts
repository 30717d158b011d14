import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/**
 * Runs the exported RFT grader (Python) the way the tests check it: `driver`'s lines run in a
 * fresh `python3 -I` with the grader's source exec'd into `scope`, the cases on stdin as
 * JSON, and what the driver prints read back as JSON. python3 is required: CI installs it
 * (.ci/run), and a missing one fails the test rather than leaving the grader unchecked.
 */
export function runPythonGrader<T>(graderSource: string, driver: readonly string[], input: unknown): T {
  const version = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error('python3 is not installed, so the exported RFT grader cannot be checked; .ci/run installs it (apt-get install python3)');
  const program = ['import json, sys', 'scope = {}', 'exec(compile(sys.argv[1], "grader.py", "exec"), scope)', ...driver].join('\n');
  const r = spawnSync('python3', ['-I', '-c', program, graderSource], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}
