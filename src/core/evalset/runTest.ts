import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GradeRecord } from '../log/records';
import { SECRET_NAME } from '../redact';
import { timerMs } from '../timers';
import type { EvalSetTask } from './evalSetTask';

export interface TestRunOptions {
  /** The environment the command inherits, less anything key-shaped. */
  env?: NodeJS.ProcessEnv;
  /** Stops the command (Ctrl+C, Stop). */
  signal?: AbortSignal;
  /** Keys in use: a variable holding one is not passed on, whatever its name. */
  secrets?: readonly string[];
}

/** A path inside the temporary folder: logged paths are relative, but never trust one to stay inside. */
function inside(root: string, rel: string): string {
  const parts = rel.split(/[\\/]+/).filter((p) => p && p !== '.');
  if (path.isAbsolute(rel) || parts.includes('..') || !parts.length) return path.join(root, '_outside', path.basename(rel) || 'file');
  return path.join(root, ...parts);
}

const OUTPUT_TAIL = 2000;
/** How long a finished or killed test's output may take to arrive. */
const EXIT_GRACE_MS = 300;

/**
 * Runs the task's test command in a fresh temporary folder holding the edited file at its
 * workspace path and the context files at theirs, with the time limit the set gives. The
 * command inherits the environment less key-shaped variables and any holding a key in use; on
 * timeout its whole process group is killed.
 */
export async function runTest(
  t: Pick<EvalSetTask, 'file' | 'contextFiles' | 'editFiles'>,
  editedFile: string,
  test: { command: string; timeoutSeconds: number },
  opts: TestRunOptions,
  /** Editable files of a multi-file task, as the model left them. */
  editedFiles: ReadonlyArray<{ path: string; text: string }> = [],
): Promise<NonNullable<GradeRecord['test']>> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'editscope-test-'));
  try {
    // The edited files first, so the model's versions win over the set's; a path given twice
    // keeps the first, and a file that would need another one to be a folder (`a` and `a/b`)
    // is left out and named in the output, rather than ending the replay.
    const placed = new Set<string>();
    const clashes: string[] = [];
    for (const f of [{ path: t.file, text: editedFile }, ...editedFiles, ...(t.editFiles ?? []).map((e) => ({ path: e.path, text: e.text })), ...t.contextFiles]) {
      const p = inside(root, f.path);
      if (placed.has(p)) continue;
      if ([...placed].some((q) => p.startsWith(q + path.sep) || q.startsWith(p + path.sep))) {
        clashes.push(f.path);
        continue;
      }
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, f.text);
      placed.add(p);
    }
    const note = clashes.length ? `(left out of the test folder, each clashing with a file of the same path: ${clashes.join(', ')})\n` : '';
    const env: NodeJS.ProcessEnv = {};
    // Nothing key-shaped, and no variable holding a key in use whatever its name.
    const secrets = new Set(opts.secrets ?? []);
    for (const [k, v] of Object.entries(opts.env ?? process.env)) if (!SECRET_NAME.test(k) && !(v && secrets.has(v.trim()))) env[k] = v;
    return await new Promise((resolve) => {
      const child = spawn(test.command, { shell: true, cwd: root, env, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
      let output = note;
      const take = (b: Buffer) => {
        output = (output + b.toString('utf8')).slice(-OUTPUT_TAIL);
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      let timedOut = false;
      let exitCode: number | null = null;
      let settled = false;
      let grace: NodeJS.Timeout | undefined;
      const kill = () => {
        try {
          if (process.platform === 'win32' || !child.pid) child.kill('SIGKILL');
          else process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      };
      // The result does not wait for the output to close: a process the test left behind
      // (in the background, or in a session of its own out of the group's reach) may hold it
      // open for ever. What the group still runs is killed, and the pipes are let go.
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(grace);
        opts.signal?.removeEventListener('abort', stop);
        kill();
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ passed: !timedOut && exitCode === 0, exitCode: timedOut ? null : exitCode, timedOut, output: timedOut ? `${output}\n(killed after ${test.timeoutSeconds} s)`.trimStart() : output });
      };
      const stop = () => {
        kill();
        grace = setTimeout(finish, EXIT_GRACE_MS);
      };
      const timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, timerMs(test.timeoutSeconds * 1000));
      opts.signal?.addEventListener('abort', stop, { once: true });
      child.on('error', (err) => {
        output += String(err.message);
        finish();
      });
      child.on('exit', (code) => {
        exitCode = code;
        // A moment for the last output to arrive, then done whoever still holds the pipes.
        clearTimeout(grace);
        grace = setTimeout(finish, EXIT_GRACE_MS);
      });
      child.on('close', finish);
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
