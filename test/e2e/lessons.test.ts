// The lessons view in Chromium against browser mode: the 5x5 example prints PyTorch's tensors, the
// shapes lesson its output sizes, the pooling lesson follows its fields and shows PyTorch's refusals.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolationsIn } from './helpers/axe';
import { launchChromium, type LaunchedChromium } from './helpers/chromium';
import { waitForStepPainted } from './helpers/pageCanvas';
import { startServer, type RunningServer } from './helpers/server';

const SCREENSHOTS = join(resolve(__dirname, '..', '..'), 'out', 'screenshots');

let server: RunningServer;
let chromium: LaunchedChromium;
let page: Page;
const pageErrors: string[] = [];

async function text(testId: string): Promise<string> {
  return (await page.getByTestId(testId).first().textContent()) ?? '';
}

async function setField(testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).fill(value);
  await page.getByTestId(testId).press('Tab');
}

interface LessonFixtures {
  conv: Record<'stride1' | 'stride2' | 'padding1' | 'edited00', string>;
  shapes: Record<'s1p1' | 's2p2' | 'none' | 's2p0', number[]>;
  pool: Record<string, { shape?: number[]; error?: string }>;
}
// What PyTorch 1.13 prints and answers (tools/fixtures/makeLessonFixtures.py).
const FIXTURES = JSON.parse(readFileSync(join(resolve(__dirname, '..', 'fixtures', 'lessons'), 'lessons.json'), 'utf8')) as LessonFixtures;
const STRIDE_1 = FIXTURES.conv.stride1;
const STRIDE_2 = FIXTURES.conv.stride2;
const PADDING_1 = FIXTURES.conv.padding1;
const poolShape = (name: string) => `(${FIXTURES.pool[name]!.shape!.join(', ')})`;
const mapSize = (shape: number[]) => `${shape[2]}×${shape[3]}`;

describe('lessons in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startServer(null);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.url);
    await waitForStepPainted(page, 0);
    await page.getByTestId('tab-lessons').click();
    await page.getByTestId('lessons-view').waitFor();
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('prints the 5x5 example as PyTorch does for stride 1, stride 2 and padding 1', async () => {
    expect(await text('lesson-result')).toBe(STRIDE_1);
    await setField('lesson-stride', '2');
    expect(await text('lesson-result')).toBe(STRIDE_2);
    await setField('lesson-stride', '1');
    await setField('lesson-padding', '1');
    expect(await text('lesson-result')).toBe(PADDING_1);
    await setField('lesson-padding', '0');
    expect(await text('lesson-result')).toBe(STRIDE_1);
  });

  it('steps the kernel over the input, showing the nine products of each cell', async () => {
    await page.getByTestId('lesson-scrub').fill('0');
    expect(await page.locator('[data-testid="lesson-output"] td.done').count()).toBe(0);
    await page.getByTestId('lesson-step').click();
    expect(await text('lesson-products')).toBe('y[0, 0] = 1×1 + 2×2 + 0×1 + 0×0 + 1×1 + 2×0 + 1×2 + 2×1 + 1×0 = 10');
    expect(await page.locator('[data-testid="lesson-input"] td.active').count()).toBe(9);
    await page.getByTestId('lesson-step').click();
    expect(await text('lesson-products')).toMatch(/^y\[0, 1\] = .* = 12$/);
  });

  it('recomputes when an input cell is edited', async () => {
    const cell = page.getByLabel('input row 0 column 0');
    await cell.fill('2');
    await cell.press('Tab');
    expect(await text('lesson-result')).toBe(FIXTURES.conv.edited00);
    await page.getByLabel('input row 0 column 0').fill('1');
    await page.getByLabel('input row 0 column 0').press('Tab');
    expect(await text('lesson-result')).toBe(STRIDE_1);
    await page.getByTestId('lesson-convolution').screenshot({ path: join(SCREENSHOTS, 'lesson-convolution.png') });
  });

  it('shows 26x26, 14x14 and 24x24 for (1, 3, 28, 28) through (16, 3, 5, 5)', async () => {
    await page.getByTestId('lesson-tab-shapes').click();
    await page.getByTestId('shapes-preset-1-1').click();
    expect(mapSize(FIXTURES.shapes.s1p1)).toBe('26×26');
    expect(await text('shapes-size')).toBe('26×26');
    expect(await text('shapes-output')).toBe(`(${FIXTURES.shapes.s1p1.join(', ')})`);
    expect(await text('shapes-formula')).toContain('floor((28 + 1 + 1 - 1*(5-1) - 1) / 1) + 1 = 26');
    await page.getByTestId('shapes-preset-2-2').click();
    expect(await text('shapes-size')).toBe(mapSize(FIXTURES.shapes.s2p2));
    expect(await text('shapes-size')).toBe('14×14');
    await page.getByTestId('shapes-preset-1-0').click();
    expect(await text('shapes-size')).toBe(mapSize(FIXTURES.shapes.none));
    expect(await text('shapes-size')).toBe('24×24');
    await setField('shapes-stride', '2');
    // floor((28 - 5) / 2) + 1 = 12 windows reach row 26 at most: row 27 is dropped.
    expect(await text('shapes-size')).toBe(mapSize(FIXTURES.shapes.s2p0));
    expect(await text('shapes-dropped')).toContain('rows 27;');
  });

  it('pooling: the shape follows the fields, ceil_mode keeps the overhanging window, refusals sit next to the field', async () => {
    await page.getByTestId('lesson-tab-pool').click();
    expect(await text('pool-shape')).toBe(poolShape('k2'));
    await setField('pool-kernel', '3');
    // stride defaults to the kernel: floor((8 - 3) / 3) + 1 = 2.
    expect(await text('pool-shape')).toBe(poolShape('k3'));
    await page.getByTestId('pool-ceil').check();
    expect(await text('pool-shape')).toBe(poolShape('k3ceil'));
    await page.getByTestId('pool-ceil').uncheck();
    await setField('pool-stride', '1');
    await setField('pool-dilation', '2');
    expect(await text('pool-shape')).toBe(poolShape('k3s1d2'));
    await setField('pool-padding', '2');
    const refusal = page.getByTestId('pool-padding').locator('xpath=..').locator('.field-error');
    expect(await refusal.textContent()).toBe(`PyTorch: ${FIXTURES.pool['k3s1d2p2']!.error}`);
    expect(await text('pool-shape')).toBe('—');
    await setField('pool-padding', '1');
    expect(await refusal.textContent()).toBe('');
    expect(await text('pool-shape')).toBe(poolShape('k3s1d2p1'));
  });

  it('the real-image lessons draw once the step arrives', async () => {
    await page.getByTestId('lesson-tab-dilation').click();
    await page.getByTestId('dilation-3').waitFor();
    expect(await page.getByTestId('dilation-3').evaluate((c) => (c as HTMLCanvasElement).width)).toBe(32);
    await page.getByTestId('lesson-tab-depthwise').click();
    await page.getByTestId('depthwise-groups').locator('.badge').waitFor();
    expect(await page.getByTestId('depthwise-groups').locator('td.on').count()).toBe(3);
  });

  it('the app bar switches between the images and the lessons; a lesson opens its layer in the main view', async () => {
    expect(await page.getByTestId('tab-lessons').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('.layout').isVisible()).toBe(false);
    await page.getByTestId('tab-images').click();
    expect(await page.getByTestId('lessons-root').isVisible()).toBe(false);
    expect(await page.getByTestId('grid-output').isVisible()).toBe(true);
    await page.getByTestId('tab-lessons').click();
    await page.getByTestId('lesson-tab-convolution').click();
    await setField('lesson-stride', '2');
    await page.getByTestId('lesson-convolution').getByTestId('open-layer').click();
    // The controller applies the layer, refills the layer form from it and shows the images.
    await expect.poll(() => page.getByTestId('tab-images').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.locator('#layer-stride-h').inputValue()).toBe('2');
    await page.getByTestId('tab-lessons').click();
    await page.getByTestId('lessons-view').waitFor();
    await setField('lesson-stride', '1');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });

  it('has no serious or critical axe violations in any lesson', async () => {
    for (const id of ['convolution', 'shapes', 'dilation', 'depthwise', 'pool']) {
      await page.getByTestId(`lesson-tab-${id}`).click();
      expect(await seriousViolationsIn(page, '[data-testid="lessons-view"]'), id).toEqual([]);
      await page.getByTestId(`lesson-${id}`).screenshot({ path: join(SCREENSHOTS, `lesson-${id}.png`) });
    }
  });
});
