// The explain views in Chromium against browser mode on the embedded sample, the back end running
// its reference engine (float64 sums rounded once): every traced value's sum then prints exactly as
// the output card's value, for the default layer and for a reflect-padded, dilated, grouped layer.
// A/B shows no difference for the same layer and one after a change.
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolationsIn } from './helpers/axe';
import { takeExplainScreenshots } from './helpers/explainScreenshots';
import { launchChromium, type LaunchedChromium } from './helpers/chromium';
import { paintCount, waitForPaintAfter, waitForStepPainted } from './helpers/pageCanvas';
import { startServer, type RunningServer } from './helpers/server';

const SCREENSHOTS = join(resolve(__dirname, '..', '..'), 'out', 'screenshots');

let server: RunningServer;
let chromium: LaunchedChromium;
let page: Page;
const pageErrors: string[] = [];

async function text(testId: string): Promise<string> {
  return ((await page.getByTestId(testId).first().textContent()) ?? '').trim();
}

/** Picks an output element in the trace panel's own form. */
async function selectTrace(sample: number, channel: number, y: number, x: number): Promise<void> {
  for (const [k, v] of [['sample', sample], ['channel', channel], ['y', y], ['x', x]] as const) {
    await page.getByTestId(`trace-${k}`).fill(String(v));
    await page.getByTestId(`trace-${k}`).press('Tab');
  }
  await expect.poll(() => page.locator('.trace-heading').textContent()).toBe(`y[${sample}, ${channel}, ${y}, ${x}]`);
}

/** The lesson layer "depthwise window" with a dilation, opened in the main view through the lessons' event. */
async function openDepthwiseLayer(dilation: number): Promise<void> {
  await page.getByTestId('tab-lessons').click();
  await page.getByTestId('lesson-tab-depthwise').click();
  await page.getByTestId('depthwise-dilation').fill(String(dilation));
  await page.getByTestId('depthwise-dilation').press('Tab');
  const before = await paintCount(page);
  await page.getByTestId('lesson-depthwise').getByTestId('open-layer').click();
  await waitForPaintAfter(page, before);
  await expect.poll(() => page.getByTestId('trace-panel').getAttribute('data-state')).toBe('ready');
}

/**
 * With the reference engine the output card holds the float64 sum rounded once, so the panel's two
 * texts must be identical; the accumulation bound is what the panel reports for the faster engines.
 */
async function expectSumsMatch(pixels: [number, number, number, number][], taps: number): Promise<void> {
  for (const [s, c, y, x] of pixels) {
    await selectTrace(s, c, y, x);
    const value = await text('trace-value');
    expect(value).toMatch(/^-?\d/);
    const panel = page.getByTestId('trace-panel');
    const ulps = Number(await panel.getAttribute('data-ulps'));
    const error = Number(await panel.getAttribute('data-engine-error'));
    const bound = Number(await panel.getAttribute('data-error-bound'));
    expect(bound).toBeGreaterThan(0);
    expect(error, `y[${s}, ${c}, ${y}, ${x}]`).toBeLessThanOrEqual(bound);
    expect(ulps, `y[${s}, ${c}, ${y}, ${x}]`).toBe(0);
    expect(await text('trace-sum'), `y[${s}, ${c}, ${y}, ${x}]`).toBe(value);
    expect(await page.getByTestId('trace-panel').getAttribute('data-tap-count')).toBe(String(taps));
    expect(await page.locator('[data-testid="trace-taps"] tbody tr').count()).toBe(taps);
  }
}

describe('explain views in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // The compute worker reads this when it starts: the engine whose sums the trace reproduces exactly.
    process.env['CONVBOARD_ENGINE'] = 'reference';
    server = await startServer(null);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __cspViolations: string[] };
      w.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(server.url);
    await waitForStepPainted(page, 0);
    await page.waitForSelector('[data-testid="trace-panel"][data-state="ready"]');
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('traces the default layer: 3 channels x 3x3 taps, the sum equal to the output card', async () => {
    await expectSumsMatch([[0, 0, 0, 0], [0, 5, 29, 29], [3, 2, 14, 7], [63, 4, 1, 28], [10, 1, 7, 4], [20, 3, 22, 11]], 27);
    await page.getByTestId('trace-panel').screenshot({ path: join(SCREENSHOTS, 'explain-trace-default.png') });
  });

  it('picks the traced value with a click on the output card', async () => {
    // Tile 0 (sample 0, channels 0-2 as RGB) sits at the grid's top left; zoom 2 doubles each pixel.
    await page.getByTestId('grid-output').click({ position: { x: 2 * 4 + 1, y: 2 * 7 + 1 } });
    await expect.poll(() => page.locator('.trace-heading').textContent()).toBe('y[0, 0, 7, 4]');
    const panel = page.getByTestId('trace-panel');
    expect(Number(await panel.getAttribute('data-engine-error'))).toBeLessThanOrEqual(Number(await panel.getAttribute('data-error-bound')));
  });

  it('keeps the tap rows keyboard-reachable and names padding reads', async () => {
    await selectTrace(0, 0, 0, 0);
    await page.locator('[data-testid="trace-taps"] tbody tr').first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-tap'))).toBe('1');
  });

  it('traces a reflect-padded, dilated, grouped layer (groups=3: one channel x 5x5 taps)', async () => {
    await openDepthwiseLayer(2);
    await expectSumsMatch([[0, 0, 0, 0], [0, 1, 31, 31], [5, 2, 16, 3], [63, 0, 30, 1], [7, 1, 0, 31], [30, 2, 15, 15]], 25);
    await selectTrace(0, 0, 0, 0);
    // Dilation 2, 'same': 4 cells of reflect padding on each side; (0, 0) reads (-4, -4) -> (4, 4).
    const firstRow = await page.locator('[data-testid="trace-taps"] tbody tr').first().textContent();
    expect(firstRow).toContain('reflect padding → copies (4, 4)');
    await page.getByTestId('trace-panel').screenshot({ path: join(SCREENSHOTS, 'explain-trace-depthwise.png') });
  });

  it('A/B: zero difference for the same layer, non-zero after a change', async () => {
    await page.getByTestId('ab-pin').click();
    await expect.poll(() => text('ab-max-diff')).toBe('0');
    await openDepthwiseLayer(1);
    await expect.poll(() => text('ab-max-diff')).not.toBe('0');
    expect(Number(await text('ab-max-diff'))).toBeGreaterThan(0);
    await page.getByTestId('ab-swap').click();
    await expect.poll(() => page.getByTestId('ab-compare').locator('figcaption').first().textContent()).toMatch(/^B \(current\)/);
    await page.getByTestId('ab-compare').screenshot({ path: join(SCREENSHOTS, 'explain-ab.png') });
  });

  it('layer geometry shows the depthwise matrix, counts and the code', async () => {
    expect(await text('depthwise')).toBe('depthwise');
    expect(await text('param-count')).toBe('Parameters: 75 weights + 0 biases = 75');
    expect(await text('layer-code')).toContain("nn.Conv2d(3, 3, kernel_size=5, stride=1, padding='same', groups=3, bias=False, padding_mode='reflect')");
  });

  it('raised no page errors and no CSP violations (before axe, whose own checks trip the CSP)', async () => {
    expect(pageErrors).toEqual([]);
    // zod probes for eval once when its first schema is built (the page's own, not these views'):
    // that probe is the only violation allowed here.
    const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
    expect(violations.filter((v) => !v.startsWith('script-src eval '))).toEqual([]);
  });

  it('has no serious or critical axe violations in the trace panel, A/B and geometry views', async () => {
    for (const id of ['trace-panel', 'ab-compare', 'layer-geometry']) {
      expect(await seriousViolationsIn(page, `[data-testid="${id}"]`), id).toEqual([]);
    }
  });

  it('writes the screenshots npm run screenshots asks for', async () => {
    const files = await takeExplainScreenshots(page, join(SCREENSHOTS, 'explain'), () => openDepthwiseLayer(3));
    expect(files.map((f) => f.split('/').at(-1))).toEqual(['explain-trace.png', 'explain-geometry.png', 'explain-ab.png', 'lesson-convolution.png', 'lesson-pool.png']);
    for (const f of files) expect(statSync(f).size).toBeGreaterThan(2000);
  });
});
