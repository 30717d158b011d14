import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPORT_MODELS, writeReportWorkspace } from '../fixtures/reportLog';

/**
 * The HTML report and comparison as `editscope report|compare --format html` write them,
 * opened in Chromium in a narrow editor (900 px), a side panel (600 px) and a wide window,
 * light and dark: the page never scrolls sideways (only a table may, inside its own box),
 * every chart's text is drawn at 11 px or more, inside the window, and no two labels of a
 * chart overlap. Run by the integration launcher, which has Chromium (CHROMIUM_PATH).
 */
const CLI = join(__dirname, '../../../dist/cli.js');

/** What the page shows that a person could find wrong, measured in the browser. */
interface Layout {
  pageWidth: number;
  viewport: number;
  scrollers: string[];
  small: string[];
  outside: string[];
  overlaps: string[];
  contrast: number;
  background: number;
  charts: number;
}

/** Runs in the page: everything Layout holds. */
function measure(): Layout {
  const name = (e: Element) => `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''} "${(e.textContent ?? '').trim().slice(0, 40)}"`;
  const visible = (e: Element) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
  };
  // The size text is drawn at: its font size, times any scaling of an SVG's viewBox.
  const drawnSize = (e: Element) => parseFloat(getComputedStyle(e).fontSize) * (e instanceof SVGGraphicsElement ? Math.abs(e.getScreenCTM()?.a ?? 1) : 1);
  const scrollers = Array.from(document.querySelectorAll('body *'))
    .filter((e) => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && !e.classList.contains('table-wrap'))
    .map(name);
  const charts = Array.from(document.querySelectorAll('svg')).map((svg) => svg.closest('section') ?? svg.parentElement!);
  const groups = [...new Set(charts)];
  const small: string[] = [];
  const outside: string[] = [];
  const overlaps: string[] = [];
  for (const g of groups) {
    const texts = Array.from(g.querySelectorAll('svg text, .chart .label, .legend > span')).filter(visible);
    for (const t of texts) {
      if (drawnSize(t) < 11) small.push(`${name(t)} at ${drawnSize(t).toFixed(1)} px`);
      const r = t.getBoundingClientRect();
      if (r.left < -0.5 || r.right > innerWidth + 0.5) outside.push(`${name(t)} spans ${r.left.toFixed(0)}-${r.right.toFixed(0)} px`);
    }
    const boxes = texts.map((t) => [t, t.getBoundingClientRect()] as const);
    boxes.forEach(([a, ra], i) => {
      for (const [b, rb] of boxes.slice(i + 1)) {
        const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        // Glyph boxes include the line's leading: a pixel or two of it may touch the next line's.
        if (w > 1 && h > 2.5 && !a.contains(b) && !b.contains(a)) overlaps.push(`${name(a)} and ${name(b)}`);
      }
    });
  }
  const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  const lum = (c: string) => {
    const [r, g, b] = rgb(c).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const body = getComputedStyle(document.body);
  const [hi, lo] = [lum(body.color), lum(body.backgroundColor)].sort((a, b) => b - a);
  return {
    pageWidth: document.documentElement.scrollWidth, viewport: innerWidth, scrollers, small, outside, overlaps,
    contrast: (hi + 0.05) / (lo + 0.05), background: lum(body.backgroundColor), charts: document.querySelectorAll('svg').length,
  };
}

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
        assert.ok(m.pageWidth <= m.viewport, `the page is ${m.pageWidth} px wide in a ${m.viewport} px window`);
        assert.deepEqual(m.scrollers, [], 'only a table may scroll sideways, in its own box');
        assert.deepEqual(m.small, [], 'chart text drawn under 11 px');
        assert.deepEqual(m.outside, [], 'chart text outside the window');
        assert.deepEqual(m.overlaps, [], 'chart labels drawn over each other');
        assert.ok(m.contrast >= 7, `text against its background: contrast ${m.contrast.toFixed(1)}`);
        assert.ok(scheme === 'dark' ? m.background < 0.1 : m.background > 0.8, `a ${scheme} background under a ${scheme} system setting (luminance ${m.background.toFixed(2)})`);
      });
    }
  }
});
