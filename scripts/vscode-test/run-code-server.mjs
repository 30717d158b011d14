// Runs the integration suite inside a real VS Code with no internet: code-server from the
// npm registry (a real VS Code, cached in .cache/ by install.mjs) driven by Debian's headless
// Chromium. Then packages the .vsix, installs it into a fresh code-server and runs a command
// from it. Fails loudly when the suite did not run. Recipe: ../shared/notes/real-vscode-offline.md
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import Mocha from 'mocha';
import { ensureCodeServer, codeServerBin, codeServerDir, chromiumPath, CODE_SERVER_VERSION } from './install.mjs';

const root = resolve(import.meta.dirname, '../..');
const SUITE_TIMEOUT_MS = Number(process.env.EDITSCOPE_SUITE_TIMEOUT_MS ?? 15 * 60_000);
// The suite's first file appears within seconds of the page loading; a suite that has not
// started by then never will (extension host down, tests module not loaded).
const START_TIMEOUT_MS = Number(process.env.EDITSCOPE_START_TIMEOUT_MS ?? 3 * 60_000);
const resultsRoot = join(root, 'test-results');
// Read once code-server is installed: on a fresh clone it is not there yet.
function vscodeVersion() {
  try {
    return JSON.parse(readFileSync(join(codeServerDir, 'lib', 'vscode', 'package.json'), 'utf8')).version;
  } catch {
    return `(code-server ${CODE_SERVER_VERSION}, not installed)`;
  }
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

async function waitForHttp(url, child, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}) before it served ${url}`);
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer at ${url} within ${ms / 1000} s`);
}

/** The frames holding a webview's page. */
const webviewFrames = (page) => page.frames().filter((f) => f.name() === 'active-frame' || f.url().includes('fake.html'));

/**
 * Each webview's page with text on it, measured by test/browser/layout.ts (built into out/),
 * so a test can hold the page it showed to what a person must be able to read.
 */
async function measureWebviews(page) {
  const { measure } = createRequire(import.meta.url)(join(root, 'out', 'test', 'browser', 'layout.js'));
  const layouts = [];
  for (const f of webviewFrames(page)) {
    if (await f.evaluate(() => (document.body?.innerText ?? '').trim().length > 0).catch(() => false)) layouts.push(await f.evaluate(measure));
  }
  return layouts;
}

/**
 * Webviews load their content a while after they are shown (longer on a busy machine): wait,
 * within a limit, until each one on screen has drawn something, so a picture shows what a
 * person would see once the page has settled. With `webview`, the picture is of one (a panel
 * just opened), so wait for one to be there at all.
 */
async function settleWebviews(page, ms = 10_000, webview = false) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const frames = webviewFrames(page);
    const drawn = await Promise.all(frames.map((f) => f.evaluate(() => (document.body?.innerText ?? '').trim().length > 0).catch(() => false)));
    if (drawn.every(Boolean) && (drawn.length > 0 || !webview)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  if (process.env.EDITSCOPE_DEBUG_WEBVIEWS) {
    for (const f of page.frames()) console.log(`[frame] name=${f.name()} url=${f.url().slice(0, 150)} text=${JSON.stringify(await f.evaluate(() => (document.body?.innerText ?? '').slice(0, 80)).catch((e) => 'ERR ' + e.message))}`);
  }
}

/**
 * One editor session: a fresh profile and extensions folder, the workspace, the extension
 * under development and a tests module. Returns the suite's summary from its results folder.
 */
async function session({ name, devPath, testsPath, workspace, extensionsDir, resultsDir, screenshots }) {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  // The same browser answers the tests' questions about the page (test/integration/screenshot.ts).
  if (screenshots) writeFileSync(join(resultsDir, 'screenshots-enabled'), '');
  const userData = mkdtempSync(join(tmpdir(), 'editscope-userdata-'));
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'extensions.autoUpdate': false,
      'extensions.autoCheckUpdates': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'workbench.tips.enabled': false,
    }),
  );
  const port = await freePort();
  const log = [];
  const child = spawn(
    process.execPath,
    // --config in the throwaway profile: code-server otherwise writes ~/.config/code-server.
    [codeServerBin, '--config', join(userData, 'config.yaml'), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--user-data-dir', userData, '--extensions-dir', extensionsDir, workspace],
    { env: { ...process.env, EDITSCOPE_TEST_RESULTS: resultsDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.on('data', (d) => log.push(d.toString()));
  child.stderr.on('data', (d) => log.push(d.toString()));
  let browser;
  const started = Date.now();
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, child, 60_000);
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [['extensionDevelopmentPath', remote(devPath)], ['extensionTestsPath', remote(testsPath)]];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(url);
    const summaryFile = join(resultsDir, 'summary.json');
    const requests = join(resultsDir, 'screenshot-requests');
    const outputFile = join(resultsDir, 'output.txt');
    while (!existsSync(summaryFile)) {
      if (Date.now() - started > SUITE_TIMEOUT_MS) throw new Error(`${name}: no results after ${SUITE_TIMEOUT_MS / 60000} min: the suite did not finish`);
      if (!existsSync(outputFile) && Date.now() - started > START_TIMEOUT_MS) throw new Error(`${name}: the suite did not start within ${START_TIMEOUT_MS / 1000} s of opening the editor (the extension host did not load ${testsPath})`);
      if (child.exitCode !== null) throw new Error(`${name}: code-server exited (${child.exitCode}) before the suite finished`);
      if (existsSync(requests)) {
        for (const f of readdirSync(requests).filter((x) => x.endsWith('.req'))) {
          const shotDir = join(resultsRoot, 'screenshots');
          mkdirSync(shotDir, { recursive: true });
          // A request may ask for another window width (a narrow editor); the page goes back after.
          const opts = JSON.parse(readFileSync(join(requests, f), 'utf8') || '{}');
          const full = page.viewportSize();
          if (opts.width) await page.setViewportSize({ width: opts.width, height: opts.height ?? full.height });
          await settleWebviews(page, 10_000, opts.webview);
          if (process.env.EDITSCOPE_DEBUG_WEBVIEWS) await settleWebviews(page, 0);
          await page.screenshot({ path: join(shotDir, f.replace(/\.req$/, '.png')) });
          if (opts.measure) writeFileSync(join(requests, f.replace(/\.req$/, '.layout.json')), JSON.stringify(await measureWebviews(page)));
          if (opts.width) await page.setViewportSize(full);
          rmSync(join(requests, f), { force: true });
        }
        // What the workbench shows outside any webview (a walkthrough's ticks): the elements a
        // selector matches, with their text and the attributes asked for.
        for (const f of readdirSync(requests).filter((x) => x.endsWith('.probe'))) {
          const { selector, attributes = [] } = JSON.parse(readFileSync(join(requests, f), 'utf8'));
          const found = await page
            .$$eval(selector, (els, names) => els.map((el) => ({ text: (el.textContent ?? '').trim(), attributes: Object.fromEntries(names.map((n) => [n, el.getAttribute(n)])) })), attributes)
            .catch((err) => ({ error: String(err) }));
          writeFileSync(join(requests, f.replace(/\.probe$/, '.found')), JSON.stringify(found));
          rmSync(join(requests, f), { force: true });
        }
        // Keys pressed as a person presses them, where the focus is (a quick input, an editor),
        // each step after the page shows what it waits for.
        for (const f of readdirSync(requests).filter((x) => x.endsWith('.keys'))) {
          let outcome = { ok: true };
          let at = 0;
          try {
            for (const step of JSON.parse(readFileSync(join(requests, f), 'utf8'))) {
              at++;
              const shown = ([sel, text]) => [...document.querySelectorAll(sel)].some((el) => el.checkVisibility() && (el.textContent ?? '').includes(text));
              if (step.waitFor) await page.waitForFunction(shown, [step.waitFor, step.text ?? ''], { timeout: 20_000 });
              // Into an element: it gets the focus first, whatever took it since.
              const into = step.into ? page.locator(step.into).first() : null;
              if (step.type) await (into ? into.fill(step.type) : page.keyboard.type(step.type, { delay: 25 }));
              const press = () => (into ? into.press(step.press) : page.keyboard.press(step.press));
              if (step.press) await press();
              // A key the page may not take yet (an Enter while an input's check is pending), pressed
              // again until what it leads to shows, as a person presses it again.
              for (let tries = 1; step.press && step.until && !(await page.evaluate(shown, [step.until, step.untilText ?? ''])); tries++) {
                if (tries > 7) throw new Error(`${step.press} never led to "${step.untilText ?? step.until}"`);
                await page.waitForFunction(shown, [step.until, step.untilText ?? ''], { timeout: 3000 }).catch(() => press());
              }
              // The same for a key that closes what it was pressed in (the last step of a quick input).
              for (let tries = 1; step.press && step.untilGone && (await page.evaluate(shown, [step.untilGone, ''])); tries++) {
                if (tries > 7) throw new Error(`${step.press} never closed "${step.untilGone}"`);
                await page.waitForFunction(([sel]) => ![...document.querySelectorAll(sel)].some((el) => el.checkVisibility()), [step.untilGone], { timeout: 3000 }).catch(() => press());
              }
            }
          } catch (err) {
            outcome = { ok: false, error: `step ${at}: ${String(err).split('\n')[0]}` };
            await page.screenshot({ path: join(resultsRoot, 'screenshots', f.replace(/\.keys$/, '-failed.png')) }).catch(() => {});
          }
          writeFileSync(join(requests, f.replace(/\.keys$/, '.pressed')), JSON.stringify(outcome));
          rmSync(join(requests, f), { force: true });
        }
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return JSON.parse(readFileSync(summaryFile, 'utf8'));
  } catch (err) {
    console.error(`--- code-server output (${name}) ---\n${log.join('').slice(-8000)}`);
    const out = join(resultsDir, 'output.txt');
    if (existsSync(out)) console.error(`--- suite output so far ---\n${readFileSync(out, 'utf8')}`);
    throw err;
  } finally {
    await browser?.close().catch(() => {});
    child.kill('SIGTERM');
    rmSync(userData, { recursive: true, force: true });
  }
}

/**
 * The pages Edit Scope writes for a browser (the HTML report, the comparison), opened in
 * Chromium as a person opens them: test/browser/*.test.ts, run here because this is where
 * Chromium is installed. Mocha in this process; its report goes to the console.
 */
async function browserTests() {
  const dir = join(root, 'out', 'test', 'browser');
  const grep = process.env.EDITSCOPE_TEST_GREP;
  const mocha = new Mocha({ timeout: 120_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.test.js')).sort()) mocha.addFile(join(dir, f));
  process.env.CHROMIUM_PATH = chromiumPath;
  await mocha.loadFilesAsync();
  return new Promise((res) => {
    const result = { passed: 0, failed: 0, failures: [] };
    const runner = mocha.run();
    runner.on('pass', () => result.passed++);
    runner.on('fail', (test, err) => {
      result.failed++;
      result.failures.push({ title: test.fullTitle(), error: err?.stack ?? String(err) });
    });
    runner.on('end', () => res(result));
  });
}

function workspaceCopy() {
  const ws = mkdtempSync(join(tmpdir(), 'editscope-ws-'));
  cpSync(join(root, 'test', 'integration', 'workspace'), ws, { recursive: true });
  return ws;
}

async function main() {
  ensureCodeServer();
  if (!existsSync(join(root, 'dist', 'extension.js')) || !existsSync(join(root, 'out', 'test', 'integration', 'index.js'))) {
    throw new Error('build first: npm run build && node esbuild.config.mjs --tests (npm test does both)');
  }
  const t0 = Date.now();
  console.log('The HTML report and comparison in Chromium ...');
  const pages = await browserTests();
  const extensionsDir = mkdtempSync(join(tmpdir(), 'editscope-ext-'));
  const ws = workspaceCopy();
  const main = await session({
    name: 'integration suite',
    devPath: root,
    testsPath: join(root, 'out', 'test', 'integration', 'index.js'),
    workspace: ws,
    extensionsDir,
    resultsDir: join(resultsRoot, 'integration'),
    screenshots: true,
  });
  console.log(readFileSync(join(resultsRoot, 'integration', 'output.txt'), 'utf8').trimEnd());

  // The packaged extension, installed the way a user installs it, must work on its own.
  console.log('\nPackaging and installing the .vsix ...');
  execFileSync('npm', ['run', '-s', 'package'], { cwd: root, stdio: 'inherit' });
  const vsixExtensions = mkdtempSync(join(tmpdir(), 'editscope-vsix-'));
  execFileSync(process.execPath, [codeServerBin, '--config', join(vsixExtensions, 'config.yaml'), '--extensions-dir', vsixExtensions, '--install-extension', join(root, 'edit-scope.vsix')], { stdio: 'inherit' });
  const probe = mkdtempSync(join(tmpdir(), 'editscope-probe-'));
  writeFileSync(join(probe, 'package.json'), JSON.stringify({ name: 'vsix-probe', publisher: 'editscope-tests', version: '0.0.0', engines: { vscode: '*' } }));
  const vsix = await session({
    name: 'installed .vsix',
    devPath: probe,
    testsPath: join(root, 'out', 'test', 'integration', 'installed', 'index.js'),
    workspace: workspaceCopy(),
    extensionsDir: vsixExtensions,
    resultsDir: join(resultsRoot, 'integration-vsix'),
    screenshots: false,
  });
  console.log(readFileSync(join(resultsRoot, 'integration-vsix', 'output.txt'), 'utf8').trimEnd());

  const passed = pages.passed + main.passed + vsix.passed;
  const failed = pages.failed + main.failed + vsix.failed;
  for (const f of [...pages.failures, ...main.failures, ...vsix.failures]) console.error(`\nFAILED: ${f.title}\n${f.error}`);
  console.log(`\n(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  if (passed + failed === 0) throw new Error('no tests ran');
  console.log(`real VS Code ${main.vscodeVersion ?? vscodeVersion()}: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(`\nintegration FAILED, the suite did not complete: ${err.message}`);
  console.log(`real VS Code ${vscodeVersion()}: 0 passed, 1 failed`);
  process.exit(1);
});
