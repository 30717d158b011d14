import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPORT_MODELS, writeReportWorkspace } from '../fixtures/reportLog';
import { assertReadable, measure } from './layout';

/**
 * The HTML report and comparison as `editscope report|compare --format html` write them,
 * opened in Chromium in a narrow editor (900 px), a side panel (600 px) and a wide window,
 * light and dark: the page never scrolls sideways (only a table may, inside its own box),
 * every chart's text is drawn at 11 px or more, inside the window, and no two labels of a
 * chart overlap. Run by the integration launcher, which has Chromium (CHROMIUM_PATH).
 */
const CLI = join(__dirname, '../../../dist/cli.js');

describe('the HTML report and comparison in a browser', function () {
  this.timeout(120_000);
  let browser: Browser;
  // One tab for every case: a new one costs a second or two on a busy machine.
  let tab: Page;
  let dir: string;
  const pages: Record<string, string> = {};
  before(async () => {
    const chromiumPath = process.env.CHROMIUM_PATH;
    if (!chromiumPath) throw new Error('CHROMIUM_PATH is not set: these tests run from the integration launcher (npm run test:integration), which installs Chromium');
    dir = mkdtempSync(join(tmpdir(), 'editscope-layout-'));
    writeReportWorkspace(dir);
    const run = (args: string[]) => execFileSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
    run(['report', '--log', 'evals.jsonl', '--set', 'set.jsonl', '--format', 'html', '--out', 'report.html']);
    run(['compare', '--log', 'evals.jsonl', '--model', REPORT_MODELS[0], '--model', REPORT_MODELS[2], '--format', 'html', '--out', 'compare.html']);
    pages.report = join(dir, 'report.html');
    pages.comparison = join(dir, 'compare.html');
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
    tab = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const page of ['report', 'comparison']) {
    for (const [width, scheme] of [[900, 'light'], [900, 'dark'], [600, 'dark'], [1600, 'light']] as const) {
      it(`the ${page} reflows at ${width} px (${scheme}): no sideways scrolling, chart labels legible and apart`, async () => {
        await tab.setViewportSize({ width, height: 900 });
        await tab.emulateMedia({ colorScheme: scheme });
        await tab.goto('file://' + pages[page]);
        const m = await tab.evaluate(measure);
        assert.ok(m.charts >= (page === 'report' ? 3 : 1), `${m.charts} charts drawn`);
        assertReadable(m);
        assert.ok(scheme === 'dark' ? m.background < 0.1 : m.background > 0.8, `a ${scheme} background under a ${scheme} system setting (luminance ${m.background.toFixed(2)})`);
      });
    }
  }
});
