// The page's state in Chromium against browser mode on the embedded sample (320 test images):
// every field shows what is really in use, and every error goes away once the value is fixed.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedChromium } from './helpers/chromium';
import { float32Npy } from './helpers/npyBytes';
import { paintCount, waitForPaintAfter, waitForStepPainted } from './helpers/pageCanvas';
import { startServer, type RunningServer } from './helpers/server';

let server: RunningServer;
let chromium: LaunchedChromium;
let page: Page;
const pageErrors: string[] = [];

const text = async (testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();
const shape = () => text('output-shape');

/** Types into a field and commits it as a user does; waits for the repaint when one is expected. */
async function commit(selector: string, value: string, key: 'Tab' | 'Enter' = 'Tab', expectPaint = true): Promise<void> {
  const before = await paintCount(page);
  await page.locator(selector).fill(value);
  await page.locator(selector).press(key);
  if (expectPaint) await waitForPaintAfter(page, before);
}

async function blurControls(): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

describe('renderer state in Chromium', () => {
  beforeAll(async () => {
    server = await startServer(null);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(server.url);
    await waitForStepPainted(page, 0);
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('after a reload the seed field shows the seed the layer in use was built with', async () => {
    await commit('#layer-seed', '7');
    expect(await page.locator('.panel[aria-label="Layer"] .muted').last().textContent()).toContain('torch.manual_seed(7)');
    await page.reload();
    await waitForStepPainted(page, 0);
    await expect.poll(() => page.locator('#layer-seed').inputValue()).toBe('7');
    expect(await page.locator('#layer-weight-source').inputValue()).toBe('init');
    await commit('#layer-seed', '0');
  });

  it('the output-shape box shows the batch of the step on screen: 16 for the last of 76-image steps, 320 for a 1000-image batch', async () => {
    expect(await shape()).toBe('output shape [64, 6, 30, 30]');
    await commit('#data-batch-size', '76', 'Enter');
    expect(await shape()).toBe('output shape [76, 6, 30, 30]');
    await blurControls();
    await page.keyboard.press('End');
    await waitForStepPainted(page, 4);
    await expect.poll(shape).toBe('output shape [16, 6, 30, 30]');
    expect(await text('formula-h')).toBe('floor((32 + 0 + 0 - 1*(3-1) - 1) / 1) + 1 = 30');
    // A layer change at the last step keeps describing that step.
    await commit('#layer-stride-h', '2');
    expect(await shape()).toBe('output shape [16, 6, 15, 30]');
    await commit('#layer-stride-h', '1');
    await commit('#data-batch-size', '1000', 'Enter');
    await waitForStepPainted(page, 0);
    await expect.poll(shape).toBe('output shape [320, 6, 30, 30]');
    await commit('#data-batch-size', '64', 'Enter');
    await expect.poll(shape).toBe('output shape [64, 6, 30, 30]');
  });

  it('an error next to a field goes away once the value is fixed, and never lingers in the banner', async () => {
    await page.locator('#layer-weight-source').selectOption('npy');
    await page.locator('#layer-weight-npy').setInputFiles({ name: 'bad.npy', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not a numpy file') });
    await page.getByRole('button', { name: 'Load .npy' }).click();
    await expect.poll(() => text('error-weights')).toContain('bad.npy');
    const before = await paintCount(page);
    await page.locator('#layer-weight-npy').setInputFiles({ name: 'zeros.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(float32Npy([6, 3, 3, 3], new Float32Array(162))) });
    await page.getByRole('button', { name: 'Load .npy' }).click();
    await waitForPaintAfter(page, before);
    expect(await text('error-weights')).toBe('');
    expect(await text('error')).toBe('');
    expect(await page.getByTestId('error').isVisible()).toBe(false);

    await commit('#data-batch-size', '0', 'Enter', false);
    await expect.poll(() => text('error-batchSize')).toMatch(/^batch_size: .*got 0$/);
    await commit('#data-batch-size', '64', 'Enter');
    expect(await text('error-batchSize')).toBe('');
    expect(await text('error')).toBe('');

    const back = await paintCount(page);
    await page.locator('#layer-weight-source').selectOption('init');
    await waitForPaintAfter(page, back);
  });

  it('the step field shows the step on screen after a number past the end', async () => {
    await commit('#' + (await page.getByLabel('Go to step').getAttribute('id')), '99', 'Enter');
    await waitForStepPainted(page, 4);
    expect(await page.getByLabel('Go to step').inputValue()).toBe('4');
    // Asking again for a step past the end while the last one is shown changes nothing but the box.
    await page.getByLabel('Go to step').fill('99');
    await page.getByLabel('Go to step').press('Enter');
    expect(await page.getByLabel('Go to step').inputValue()).toBe('4');
    expect(await text('step')).toBe('4');
  });

  it('Play from the last step plays through and then says Play again', async () => {
    await blurControls();
    await page.keyboard.press('End');
    await waitForStepPainted(page, 4);
    const play = page.locator('.play-button');
    await play.click();
    await expect.poll(() => play.getAttribute('aria-pressed')).toBe('true');
    await waitForStepPainted(page, 4);
    await expect.poll(() => play.getAttribute('aria-pressed'), { timeout: 5_000 }).toBe('false');
    expect((await play.textContent())?.trim()).toBe('Play');
    expect(await text('step')).toBe('4');
  });

  it('a fixed range with min > max shows a field error instead of failing, and clears once fixed', async () => {
    let before = await paintCount(page);
    await page.locator('#display-normalization').selectOption('fixed');
    await waitForPaintAfter(page, before);
    await page.locator('#display-range-min').fill('5');
    await page.locator('#display-range-min').press('Tab');
    await page.locator('#display-range-max').fill('1');
    await page.locator('#display-range-max').press('Tab');
    await expect.poll(() => text('error-range')).toBe('range: the minimum (5) must be less than the maximum (1)');
    expect(pageErrors).toEqual([]);
    before = await paintCount(page);
    await commit('#display-range-max', '10');
    expect(await text('error-range')).toBe('');
    before = await paintCount(page);
    await page.locator('#display-preset').selectOption('tensorboard');
    await waitForPaintAfter(page, before);
  });

  it('logged no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
