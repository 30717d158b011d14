import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type * as FsModule from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTask } from '../../src/core/task/createTask';
import { appendRecordLine } from '../../src/core/log/append';
import { appendTaskRun, appendVerdict, readLog } from '../../src/core/log/evalLog';
import { ESCAPES, startMockModelServer, type MockModelServer } from '../fixtures/mockModelServer';
import { cli } from './cliHarness';
import { SAMPLE } from './edit.fanout.test';
import { fakeResult } from './log.evalLog.test';

// The module itself (not an import's read-only view of it), so a test can stand in for a full disk.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs: typeof FsModule = require('node:fs');

const ORIGINAL = 'const a = 1;\n// keep me\nfunction f() {\n  return a;\n}\n';

/** The pid of a process that has exited (and, this soon after, not been reused). */
function deadPid(): number {
  const p = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(p.stdout.toString());
}

/** Runs `fn` with fs.writeSync failing as a full disk does: `allow` bytes get written, then ENOSPC. */
async function withFullDisk<T>(allow: number, fn: () => Promise<T>): Promise<T> {
  const real = fs.writeSync;
  let budget = allow;
  (fs as unknown as { writeSync: unknown }).writeSync = (fd: number, buf: unknown, ...rest: unknown[]) => {
    if (!Buffer.isBuffer(buf)) return (real as (...a: unknown[]) => number)(fd, buf, ...rest);
    const offset = (rest[0] as number) ?? 0;
    const length = (rest[1] as number) ?? buf.length - offset;
    if (budget <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', errno: -28 });
    const n = real(fd, buf, offset, Math.min(length, budget));
    budget -= n;
    return n;
  };
  try {
    return await fn();
  } finally {
    (fs as unknown as { writeSync: unknown }).writeSync = real;
  }
}

describe('eval log under hostile workspaces and full disks', () => {
  const dir = fs.mkdtempSync(join(tmpdir(), 'editscope-logsafe-'));
  let server: MockModelServer;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    server = await startMockModelServer();
    fs.writeFileSync(join(dir, 'sample.ts'), SAMPLE);
    env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-logsafe-key-0001', XDG_CONFIG_HOME: join(dir, 'xdg') };
  });
  after(() => server.close());
  const edit = (log: string, extra: string[] = []) => cli(['edit', '--file', 'sample.ts', '--range', '13-18', '--instruction', 'x', '--model', 'good', '--log', log, ...extra], { cwd: dir, env });

  it('never follows a link planted as the log, for writing or reading, and sends nothing', async () => {
    const victim = join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    fs.mkdirSync(join(dir, '.editscope'));
    fs.symlinkSync(victim, join(dir, '.editscope', 'evals.jsonl'));
    const before = server.requests.length;
    const r = await edit('.editscope/evals.jsonl');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^editscope edit: the eval log .*evals\.jsonl is a symbolic link; Edit Scope writes only a regular file/);
    assert.equal(server.requests.length, before, 'refused before anything was paid for');
    await assert.rejects(appendVerdict(join(dir, '.editscope', 'evals.jsonl'), { taskId: 't', model: 'm', accepted: 'all' }), /is a symbolic link/);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n');
    const rep = await cli(['report'], { cwd: dir, env });
    assert.equal(rep.code, 2);
    assert.match(rep.stderr, /^editscope report: eval log .*evals\.jsonl is a symbolic link; name the real file with --log\n$/);
  });

  it('prints the results, then one line and exit 2, when the log cannot be written', async () => {
    fs.mkdirSync(join(dir, 'folder.jsonl'));
    const folder = await edit('folder.jsonl');
    assert.equal(folder.code, 2);
    assert.equal(folder.stderr, `editscope edit: the eval log ${join(dir, 'folder.jsonl')} is a folder\n`);

    const log = join(dir, 'full.jsonl');
    await appendVerdict(log, { taskId: 'first', model: 'm', accepted: 'all' });
    const before = fs.readFileSync(log);
    const r = await withFullDisk(100, () => edit('full.jsonl', ['--format', 'json']));
    assert.equal(r.code, 2);
    assert.equal(JSON.parse(r.stdout).results[0].ok, true, 'the paid-for results are printed');
    assert.match(r.stderr, /^editscope edit: not logged: cannot write the eval log .*full\.jsonl: ENOSPC \(no space left on the device\); nothing was recorded\n$/);
    assert.deepEqual(fs.readFileSync(log), before, 'the short write was cut back off: no torn record');
    await appendVerdict(log, { taskId: 'after', model: 'm', accepted: 'none' });
    const { records, warnings } = readLog(log);
    assert.deepEqual(warnings, []);
    assert.deepEqual(records.map((x) => (x.kind === 'task' ? x.id : x.taskId)), ['first', 'after']);
  });

  it('takes over a lock left by a dead process at once, and names a live holder when it gives up', async () => {
    const log = join(dir, 'locked.jsonl');
    for (const content of [JSON.stringify({ pid: deadPid(), host: hostname(), time: new Date().toISOString() }), `${deadPid()}\n`]) {
      fs.writeFileSync(`${log}.lock`, content);
      await appendVerdict(log, { taskId: 't', model: 'm', accepted: 'all' });
      assert.ok(!fs.existsSync(`${log}.lock`), 'released after the append');
    }
    assert.equal(readLog(log).records.length, 2);
    // A lock committed to a repository holding a bare pid (1 is always alive) names no writer: taken over at once.
    for (const content of ['1\n', '1', `${process.ppid}\n`]) {
      fs.writeFileSync(`${log}.lock`, content);
      const started = Date.now();
      await appendRecordLine(log, { x: 1 }, [], { lockWaitMs: 3000 });
      assert.ok(Date.now() - started < 1000, `a lock holding ${JSON.stringify(content)} was waited on`);
    }
    // A fresh lock from another host, or from a live process here, is waited for, then named.
    for (const holder of [{ pid: 4242, host: 'build-server-7' }, { pid: process.ppid, host: hostname() }]) {
      fs.writeFileSync(`${log}.lock`, JSON.stringify({ ...holder, time: new Date().toISOString() }));
      await assert.rejects(appendRecordLine(log, { x: 1 }, [], { lockWaitMs: 100 }), new RegExp(`the eval log is locked by process ${holder.pid} on ${holder.host} \\(.*locked\\.jsonl\\.lock\\); if no Edit Scope is running there, remove that file`));
      assert.ok(fs.existsSync(`${log}.lock`), "a live holder's lock is left alone");
    }
    fs.rmSync(`${log}.lock`);
    // Something planted where the lock goes (a folder, a dangling link) is waited on, then named: never a busy loop.
    fs.mkdirSync(`${log}.lock`);
    await assert.rejects(appendRecordLine(log, { x: 1 }, [], { lockWaitMs: 100 }), /the eval log is locked by another process \(.*locked\.jsonl\.lock\)/);
    fs.rmdirSync(`${log}.lock`);
    fs.symlinkSync(join(dir, 'no-such-file'), `${log}.lock`);
    await assert.rejects(appendRecordLine(log, { x: 1 }, [], { lockWaitMs: 100 }), /locked by another process/);
    fs.rmSync(`${log}.lock`);
  });

  it('leaves no lock behind when the lock itself cannot be written', async () => {
    const sub = join(dir, 'nolock');
    fs.mkdirSync(sub);
    const log = join(sub, 'evals.jsonl');
    const real = fs.writeFileSync;
    (fs as unknown as { writeFileSync: unknown }).writeFileSync = (file: FsModule.PathOrFileDescriptor, ...rest: unknown[]) => {
      if (typeof file === 'string' && file.endsWith('.tmp')) {
        (real as (...a: unknown[]) => void)(file, ''); // created, then the disk is full
        throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', syscall: 'write' });
      }
      return (real as (...a: unknown[]) => void)(file, ...rest);
    };
    try {
      await assert.rejects(appendVerdict(log, { taskId: 't', model: 'm', accepted: 'all' }), /cannot lock the eval log \(.*evals\.jsonl\.lock\): ENOSPC \(no space left on the device\)/);
    } finally {
      (fs as unknown as { writeFileSync: unknown }).writeFileSync = real;
    }
    assert.deepEqual(fs.readdirSync(sub), [], 'no empty lock and no temporary file');
    await appendVerdict(log, { taskId: 't', model: 'm', accepted: 'all' });
    assert.equal(readLog(log).records.length, 1);
  });

  it('loses nothing when four processes race to take over a dead lock and then append', async function () {
    this.timeout(60_000);
    const log = join(dir, 'race.jsonl');
    fs.writeFileSync(`${log}.lock`, JSON.stringify({ pid: deadPid(), host: hostname(), time: new Date().toISOString() }));
    const script = join(dir, 'writer.js');
    const evalLog = join(__dirname, '../../src/core/log/evalLog.js');
    fs.writeFileSync(script, `const { appendVerdict } = require(${JSON.stringify(evalLog)});
      (async () => { for (let i = 0; i < 100; i++) await appendVerdict(process.argv[2], { taskId: process.argv[3] + '-' + i + '-' + 'x'.repeat(3000), model: 'm', accepted: 'none' }); })();`);
    const run = (who: string) =>
      new Promise<void>((resolve, reject) => {
        const p = spawn(process.execPath, [script, log, who], { stdio: 'inherit' });
        p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${who} exited ${code}`))));
      });
    await Promise.all(['A', 'B', 'C', 'D'].map(run));
    const { records, warnings } = readLog(log);
    assert.deepEqual(warnings, []);
    for (const who of ['A', 'B', 'C', 'D']) {
      const ids = records.filter((r) => r.kind === 'verdict' && r.taskId.startsWith(who + '-')).map((r) => (r.kind === 'verdict' ? Number(r.taskId.split('-')[1]) : -1));
      assert.deepEqual(ids, Array.from({ length: 100 }, (_, i) => i), `${who}'s records all there, in order`);
    }
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('race.jsonl.')), [], 'no lock or temporary file left');
  });

  it('refuses --out naming the log itself (by any path), and writes a device in place', async () => {
    const log = join(dir, 'out.jsonl');
    const task = createTask({ file: 'a.ts', original: ORIGINAL, range: { start: 3, end: 5 }, instruction: 'x' });
    await appendTaskRun(log, task, [fakeResult('m1', ORIGINAL, ORIGINAL.replace('a;', 'b;'))]);
    await appendVerdict(log, { taskId: task.id, model: 'm1', accepted: 'all' });
    fs.symlinkSync(log, join(dir, 'alias.jsonl'));
    const before = fs.readFileSync(log);
    for (const out of ['out.jsonl', './sub/../out.jsonl', 'alias.jsonl']) {
      const rep = await cli(['report', '--log', 'out.jsonl', '--out', out, '--format', 'html'], { cwd: dir, env });
      assert.equal(rep.code, 2);
      assert.equal(rep.stderr, `editscope report: --out ${out} is the eval log itself; name another file\n`);
      const exp = await cli(['export', '--log', 'out.jsonl', '--to', 'sft', '--out', out], { cwd: dir, env });
      assert.equal(exp.code, 2);
      assert.match(exp.stderr, /is the eval log itself; export to another file\n$/);
    }
    assert.deepEqual(fs.readFileSync(log), before);
    const dev = await cli(['report', '--log', 'out.jsonl', '--out', '/dev/null'], { cwd: dir, env });
    assert.equal(dev.code, 0, dev.stderr);
    assert.ok(fs.statSync('/dev/null').isCharacterDevice(), '/dev/null is still a device');
    const exp = await cli(['export', '--log', 'out.jsonl', '--to', 'sft', '--out', '/dev/null'], { cwd: dir, env });
    assert.equal(exp.code, 0, exp.stderr);
    assert.ok(fs.statSync('/dev/null').isCharacterDevice());
  });

  it('refuses an export whose companion file (.valid.jsonl, .grader.json) is the eval log', async () => {
    for (const [logName, to] of [['pairs.valid.jsonl', 'sft'], ['pairs.grader.json', 'rft']] as const) {
      const log = join(dir, logName);
      const task = createTask({ file: 'a.ts', original: ORIGINAL, range: { start: 3, end: 5 }, instruction: 'x' });
      await appendTaskRun(log, task, [fakeResult('m1', ORIGINAL, ORIGINAL.replace('a;', 'b;'))]);
      await appendVerdict(log, { taskId: task.id, model: 'm1', accepted: 'all' });
      const before = fs.readFileSync(log);
      const r = await cli(['export', '--log', logName, '--to', to, '--out', 'pairs.jsonl', ...(to === 'sft' ? ['--validation', '0.5'] : [])], { cwd: dir, env });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /is the eval log itself; export to another file\n$/);
      assert.deepEqual(fs.readFileSync(log), before, `${logName} is untouched`);
    }
  });

  it('refuses a named pipe planted as the log at once, for reading as for writing', async () => {
    const ws = fs.mkdtempSync(join(tmpdir(), 'editscope-fifo-'));
    fs.mkdirSync(join(ws, '.editscope'));
    // Opened for reading, a pipe with no writer would wait for one forever.
    spawnSync('mkfifo', [join(ws, '.editscope', 'evals.jsonl')]);
    for (const args of [['report'], ['verdict', 't', '--model', 'm', '--accepted', 'all'], ['export', '--to', 'evalset', '--out', 'set.jsonl']]) {
      const r = await cli(args, { cwd: ws, env });
      assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, /evals\.jsonl is not a regular file\n$/);
    }
  });

  it('waits on a named pipe planted as the lock and names it, rather than hang reading it', async () => {
    const log = join(dir, 'piped-lock.jsonl');
    spawnSync('mkfifo', [`${log}.lock`]);
    await assert.rejects(appendRecordLine(log, { schemaVersion: 2, kind: 'verdict' }, [], { lockWaitMs: 200 }), /the eval log is locked by another process \(.*piped-lock\.jsonl\.lock\)/);
    assert.ok(!fs.existsSync(log), 'nothing written');
  });

  it('refuses a --log naming one of the task\'s own files, before sending anything', async () => {
    fs.writeFileSync(join(dir, 'ctx.ts'), 'export const c = 1;\n');
    const before = server.requests.length;
    for (const [log, extra] of [['sample.ts', []], ['./ctx.ts', ['--context', 'ctx.ts']], ['ctx.ts', ['--edit-file', 'ctx.ts']]] as const) {
      const r = await edit(log, [...extra]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /a file of the task; name another file\n$/);
    }
    assert.equal(server.requests.length, before, 'nothing was sent');
    assert.equal(fs.readFileSync(join(dir, 'sample.ts'), 'utf8'), SAMPLE);
    assert.equal(fs.readFileSync(join(dir, 'ctx.ts'), 'utf8'), 'export const c = 1;\n');
  });

  it('never writes the log through a linked folder planted as .editscope', async () => {
    const ws = fs.mkdtempSync(join(tmpdir(), 'editscope-linkdir-'));
    const elsewhere = fs.mkdtempSync(join(tmpdir(), 'editscope-elsewhere-'));
    fs.writeFileSync(join(ws, 'sample.ts'), SAMPLE);
    fs.writeFileSync(join(elsewhere, 'evals.jsonl'), 'precious\n');
    fs.symlinkSync(elsewhere, join(ws, '.editscope'));
    const n = server.requests.length;
    const r = await cli(['edit', '--file', 'sample.ts', '--range', '13-18', '--instruction', 'x', '--model', 'good', '--log'], { cwd: ws, env });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /\.editscope is a symbolic link/);
    assert.equal(server.requests.length, n, 'nothing was sent');
    assert.equal(fs.readFileSync(join(elsewhere, 'evals.jsonl'), 'utf8'), 'precious\n');
    assert.deepEqual(fs.readdirSync(elsewhere), ['evals.jsonl'], 'no lock or temporary file there either');
    const rep = await cli(['report'], { cwd: ws, env });
    assert.equal(rep.code, 2);
    assert.match(rep.stderr, /\.editscope is a symbolic link/);
  });

  it('skips a log line that is not UTF-8 with its line number, rather than read it lossily', async () => {
    const log = join(dir, 'latin1.jsonl');
    const task = createTask({ file: 'a.ts', original: ORIGINAL, range: { start: 3, end: 5 }, instruction: 'make it café' });
    await appendTaskRun(log, task, [fakeResult('m1', ORIGINAL, ORIGINAL.replace('a;', 'b;'))]);
    const other = createTask({ file: 'b.ts', original: ORIGINAL, range: { start: 3, end: 5 }, instruction: 'plain' });
    await appendTaskRun(log, other, [fakeResult('m1', ORIGINAL, ORIGINAL.replace('a;', 'b;'))]);
    // The first line as a Latin-1 editor would save it.
    const lines = fs.readFileSync(log, 'utf8').split('\n');
    fs.writeFileSync(log, Buffer.concat([Buffer.from(lines[0], 'latin1'), Buffer.from('\n' + lines.slice(1).join('\n'), 'utf8')]));
    const { records, warnings } = readLog(log);
    assert.deepEqual(records.map((r) => (r.kind === 'task' ? r.instruction : r.kind)), ['plain']);
    assert.deepEqual(warnings.map((w) => w.line), [1]);
    assert.match(warnings[0].message, /^line 1: not UTF-8/);
  });

  it('prints nothing a terminal would obey from a log holding escape sequences', async () => {
    const log = join(dir, 'escapes.jsonl');
    const task = createTask({ file: `a${ESCAPES}.ts`, original: ORIGINAL, range: { start: 3, end: 5 }, instruction: 'x' });
    await appendTaskRun(log, task, [fakeResult(`evil${ESCAPES}`, ORIGINAL, ORIGINAL.replace('a;', 'b;'))]);
    fs.appendFileSync(log, `not json ${ESCAPES}\n`);
    for (const args of [['report', '--log', log], ['verdict', task.id, '--model', 'nobody', '--accepted', 'all', '--log', log]]) {
      const r = await cli(args, { cwd: dir, env });
      assert.ok(r.stdout.includes('evil') || r.stderr.includes('evil'), r.stdout + r.stderr);
      assert.ok(!/[\x1b\x07\x9b]/.test(r.stdout + r.stderr), JSON.stringify(r.stdout + r.stderr));
    }
  });
});
