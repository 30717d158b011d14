import * as assert from 'node:assert/strict';

/**
 * What makes a page of charts and tables readable, measured where it is drawn: in Chromium
 * for the pages the CLI writes (report.layout.test.ts), in the editor's webview for the same
 * pages there (the integration launcher runs measure() in the webview on request).
 */

/** What the page shows that a person could find wrong, measured in the browser. */
export interface Layout {
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

/** Runs in the page (handed to the browser as its source: it may use nothing from outside): everything Layout holds. */
export function measure(): Layout {
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

/** The page fits its window, only tables scroll sideways, and every chart label is legible and apart. */
export function assertReadable(m: Layout, where = ''): void {
  const at = where ? ` (${where})` : '';
  assert.ok(m.pageWidth <= m.viewport, `the page is ${m.pageWidth} px wide in a ${m.viewport} px window${at}`);
  assert.deepEqual(m.scrollers, [], `only a table may scroll sideways, in its own box${at}`);
  assert.deepEqual(m.small, [], `chart text drawn under 11 px${at}`);
  assert.deepEqual(m.outside, [], `chart text outside the window${at}`);
  assert.deepEqual(m.overlaps, [], `chart labels drawn over each other${at}`);
  assert.ok(m.contrast >= 7, `text against its background: contrast ${m.contrast.toFixed(1)}${at}`);
}
