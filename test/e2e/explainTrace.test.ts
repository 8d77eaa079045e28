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

async function showExplain(tab: 'trace' | 'geometry' | 'ab'): Promise<void> {
  await page.getByTestId(`explain-tab-${tab}`).click();
  await page.locator(`#explain-panel-${tab}`).waitFor({ state: 'visible' });
}

/** Clicks output pixel (y, x) of tile `tile` in the first row of the output grid (add_images' grid: tiles `size` wide, no gaps). */
async function clickOutputPixel(tile: number, y: number, x: number, size = 30): Promise<void> {
  const canvas = page.getByTestId('grid-output');
  const box = (await canvas.boundingBox())!;
  const width = await canvas.evaluate((c) => (c as HTMLCanvasElement).width);
  const scale = box.width / width;
  const origin = tile * size;
  await canvas.click({ position: { x: (origin + x + 0.5) * scale, y: (y + 0.5) * scale } });
}

/** The input card's trace marks of one kind, as [x, y, width, height] in canvas pixels. */
async function traceRects(kind: string): Promise<number[][]> {
  const rects = await page.locator(`[data-testid="grid-input-trace-marks"] [data-trace-mark="${kind}"]`).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset['rect'] ?? ''));
  return rects.map((r) => r.split(',').map(Number));
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

  it('picks the traced value with a click on the output card and draws its taps on the input card', async () => {
    // Tile 0 (sample 0, channels 0-2 as RGB) sits at the grid's top left, as does image 0 on the input card.
    await clickOutputPixel(0, 7, 4);
    await expect.poll(() => page.locator('.trace-heading').textContent()).toBe('y[0, 0, 7, 4]');
    const panel = page.getByTestId('trace-panel');
    expect(Number(await panel.getAttribute('data-engine-error'))).toBeLessThanOrEqual(Number(await panel.getAttribute('data-error-bound')));
    // 3x3 taps, stride 1, no padding: the field is the 3x3 block at (7, 4) of image 0.
    expect(await traceRects('trace-field')).toEqual([[4, 7, 3, 3]]);
    expect(await traceRects('trace-tap')).toHaveLength(9);
    expect(await traceRects('trace-pad')).toHaveLength(0);
    expect(await traceRects('trace-stride')).toEqual([[5, 7, 3, 3]]);
    expect(await page.locator('[data-testid="grid-output-trace-marks"] [data-trace-mark="trace-pixel"]').count()).toBe(1);
    // Tap row 4 is (ky 1, kx 1) of channel 0: the centre pixel (8, 5) lights up on the input card.
    await page.locator('[data-testid="trace-taps"] tbody tr').nth(4).hover();
    await expect.poll(() => traceRects('trace-active')).toEqual([[5, 8, 1, 1]]);
    await page.mouse.move(1, 1);
    await expect.poll(() => traceRects('trace-active')).toEqual([]);
  });

  it("Enter on the output card's keyboard cursor picks the traced value", async () => {
    await page.getByTestId('grid-output').focus();
    await page.keyboard.press('ArrowRight'); // places the cursor at 0, 0
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    // The read-out names the pixel under the cursor; Enter traces that one.
    const [, y, x] = /^y (\d+), x (\d+)$/.exec(await text('hover-position'))!;
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.trace-heading').textContent()).toBe(`y[0, 0, ${y}, ${x}]`);
    await page.keyboard.press('Escape');
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
    await showExplain('ab');
    await page.getByTestId('ab-pin').click();
    await expect.poll(() => text('ab-max-diff')).toBe('0');
    await openDepthwiseLayer(1);
    await expect.poll(() => text('ab-max-diff')).not.toBe('0');
    expect(Number(await text('ab-max-diff'))).toBeGreaterThan(0);
    await page.getByTestId('ab-swap').click();
    await expect.poll(() => page.getByTestId('ab-compare').locator('figcaption').first().textContent()).toMatch(/^B \(current\)/);
    await page.getByTestId('ab-compare').screenshot({ path: join(SCREENSHOTS, 'explain-ab.png') });
    await page.getByTestId('ab-unpin').click();
    await showExplain('trace');
  });

  it('layer geometry shows the depthwise matrix, counts and the code', async () => {
    expect(await text('depthwise')).toBe('depthwise');
    expect(await text('param-count')).toBe('Parameters: 75 weights + 0 biases = 75');
    expect(await text('layer-code')).toContain("nn.Conv2d(3, 3, kernel_size=5, stride=1, padding='same', groups=3, bias=False, padding_mode='reflect')");
  });

  it('traces a pooled pixel (Conv2d, ReLU, MaxPool2d(2) from the pooling lesson): window, winner, then its conv', async () => {
    await page.getByTestId('tab-lessons').click();
    await page.getByTestId('lesson-tab-pool').click();
    const before = await paintCount(page);
    await page.getByTestId('lesson-pool').getByTestId('open-layer').click();
    await waitForPaintAfter(page, before);
    await expect.poll(() => page.getByTestId('grid-output').evaluate((c) => (c as HTMLCanvasElement).width)).toBeGreaterThan(0);
    // 30x30 conv output pooled by 2: 15x15 tiles; tile 1 of sample 0 holds channels 3-5.
    await clickOutputPixel(1, 6, 9, 15);
    await expect.poll(() => page.locator('.trace-heading').textContent()).toBe('y[0, 3, 6, 9]');
    const winner = await text('trace-pool-winner');
    const [, wy, wx] = /^\((\d+), (\d+)\)$/.exec(winner)!.map(Number);
    expect([12, 13]).toContain(wy);
    expect([18, 19]).toContain(wx);
    expect(await page.locator('[data-testid="trace-pool-window"] tbody tr').count()).toBe(4);
    const pool = page.getByTestId('trace-pool');
    // The pooled value the panel derives is the one the output card shows.
    expect(await pool.getAttribute('data-pooled')).toBe(await pool.getAttribute('data-shown'));
    const conv = await text('trace-value');
    expect(await text('trace-sum')).toBe(conv);
    expect(await pool.getAttribute('data-pooled')).toBe(Number(conv) > 0 ? conv : '0');
    expect(await page.getByTestId('trace-panel').getAttribute('data-tap-count')).toBe('27');
    // The input card shows the winner's 3x3 field on image 0.
    expect(await traceRects('trace-field')).toEqual([[wx!, wy!, 3, 3]]);
    await page.getByTestId('trace-panel').screenshot({ path: join(SCREENSHOTS, 'explain-trace-pooled.png') });
  });

  it('raised no page errors and no CSP violations (before axe, whose own checks trip the CSP)', async () => {
    expect(pageErrors).toEqual([]);
    const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
    expect(violations).toEqual([]);
  });

  it('has no serious or critical axe violations in the trace panel, A/B and geometry views', async () => {
    for (const [tab, id] of [['trace', 'trace-panel'], ['ab', 'ab-compare'], ['geometry', 'layer-geometry']] as const) {
      await showExplain(tab);
      expect(await seriousViolationsIn(page, `[data-testid="${id}"]`), id).toEqual([]);
    }
    expect(await seriousViolationsIn(page, '[data-testid="explain-section"]')).toEqual([]);
    await showExplain('trace');
  });

  it('writes the screenshots npm run screenshots asks for', async () => {
    const files = await takeExplainScreenshots(page, join(SCREENSHOTS, 'explain'), () => openDepthwiseLayer(3));
    expect(files.map((f) => f.split('/').at(-1))).toEqual(['explain-trace.png', 'explain-geometry.png', 'explain-ab.png', 'lesson-convolution.png', 'lesson-pool.png']);
    for (const f of files) expect(statSync(f).size).toBeGreaterThan(2000);
  });
});
