// The dashboard as people use it, in Chromium against browser mode on the embedded sample:
// layout at common window sizes, read-outs, errors in place, export, weights, reset, the sample
// panel, zoom and pan, and accessibility (axe-core, keyboard, dark theme).
import { join, resolve } from 'node:path';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_CONTENT_TYPE, decodeContract, encodeContract } from '../../core/contractCodec';
import { DEFAULT_LAYER } from '../../core/hostContract';
import { receptiveField } from '../../core/receptiveField';
import { axeViolations, seriousOrCritical } from './helpers/axe';
import type { LaunchedChromium } from './helpers/chromium';
import { float32Npy } from './helpers/npyBytes';
import { canvasPixels, paintCount, waitForPaintAfter, waitForStepPainted } from './helpers/pageCanvas';
import { firstDifference } from './helpers/pngPixels';
import type { RunningServer } from './helpers/server';
import { openDashboardPage } from './helpers/dashboardPage';

const SAMPLE_FOLDER = resolve(__dirname, '..', '..', 'assets', 'sample', 'cifar-10-batches-bin');

let server: RunningServer;
let chromium: LaunchedChromium;
let page: Page;
const pageErrors: string[] = [];

const text = async (testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();

async function commit(selector: string, value: string, expectPaint = true): Promise<void> {
  const before = await paintCount(page);
  await page.locator(selector).fill(value);
  await page.locator(selector).press('Tab');
  if (expectPaint) await waitForPaintAfter(page, before);
}

async function painted(action: () => Promise<unknown>): Promise<void> {
  const before = await paintCount(page);
  await action();
  await waitForPaintAfter(page, before);
}

async function box(selector: string) {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not on screen`);
  return b;
}

/** Waits until the fitted zoom has followed a resize (the ResizeObserver runs after layout). */
async function settle(): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

describe('the dashboard in Chromium', () => {
  beforeAll(async () => {
    ({ server, chromium, page } = await openDashboardPage(pageErrors));
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('shows both cards whole and side by side from 1280x720 up, with the step bar kept at the top of the cards area', async () => {
    for (const [width, height] of [[1280, 720], [1440, 900], [1920, 1080]] as const) {
      await page.setViewportSize({ width, height });
      await settle();
      const input = await box('[aria-label="input card"]');
      const output = await box('[aria-label="output card"]');
      const grid = await box('[data-testid="grid-output"]');
      expect(input.x + input.width, `${width}x${height}: input left of output`).toBeLessThanOrEqual(output.x);
      expect(Math.abs(input.y - output.y), `${width}x${height}: same row`).toBeLessThan(2);
      for (const [name, b] of [['input', input], ['output', output]] as const) {
        expect(b.y + b.height, `${width}x${height}: ${name} card bottom`).toBeLessThanOrEqual(height);
        expect(b.x + b.width, `${width}x${height}: ${name} card right`).toBeLessThanOrEqual(width);
      }
      expect(grid.y + grid.height).toBeLessThanOrEqual(height);
    }
    // The page itself never scrolls; the dashboard does, under a step bar that stays put.
    await page.setViewportSize({ width: 1280, height: 720 });
    await settle();
    expect(await page.evaluate(() => document.scrollingElement!.scrollHeight <= window.innerHeight)).toBe(true);
    const toolbarTop = (await box('.toolbar')).y;
    await page.locator('.content').evaluate((c) => (c.scrollTop = 500));
    expect((await box('.toolbar')).y).toBe(toolbarTop);
    expect(await page.locator('.step-controls').isVisible()).toBe(true);
    await page.locator('.content').evaluate((c) => (c.scrollTop = 0));
  });

  it('zoom follows the room until the user picks one; "Actual size" and Fit', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await settle();
    expect(await page.locator('#zoom').inputValue()).toBe('1'); // 480 px tall output at 2x would not fit 1080
    await page.getByRole('button', { name: 'Actual size' }).click();
    expect(await page.getByRole('button', { name: 'Fit', exact: true }).getAttribute('aria-pressed')).toBe('false');
    await page.locator('#zoom').selectOption('3');
    expect((await box('[data-testid="grid-output"]')).width).toBe(720);
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await expect.poll(() => page.locator('#zoom').inputValue()).toBe('1');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('stacks the cards when they do not fit side by side; the output is reached by scrolling the cards area only', async () => {
    await painted(() => commit('#display-columns', '24', false));
    await settle();
    const input = await box('[aria-label="input card"]');
    const output = await box('[aria-label="output card"]');
    expect(output.y).toBeGreaterThan(input.y + input.height - 1);
    expect(await page.evaluate(() => document.scrollingElement!.scrollHeight <= window.innerHeight)).toBe(true);
    await page.locator('[aria-label="output card"]').evaluate((e) => e.scrollIntoView());
    const after = await box('[aria-label="output card"]');
    expect(after.y).toBeGreaterThanOrEqual(0);
    expect(after.y).toBeLessThan(900);
    await painted(() => commit('#display-columns', '8', false));
    await page.locator('.content').evaluate((c) => (c.scrollTop = 0));
    await settle();
  });

  it('says on the output card how many values TensorBoard scaling clips, and offers a display that shows them', async () => {
    const note = await text('grid-output-note');
    const m = /^([\d,]+) of ([\d,]+) values \((\d+)%\) drawn clipped to 0\.\.1$/.exec(note);
    expect(m, note).not.toBeNull();
    expect(Number(m![2]!.replaceAll(',', ''))).toBe(64 * 6 * 30 * 30);
    await painted(() => page.getByRole('button', { name: 'Show per channel' }).click());
    expect(await page.locator('#display-preset').inputValue()).toBe('channels');
    expect(await page.getByTestId('grid-output-note').isVisible()).toBe(false);
    await painted(() => page.locator('#display-preset').selectOption('tensorboard'));
  });

  it('hovering an output pixel: a tooltip by the cursor, a mark on the pixel, and its input image and receptive field outlined', async () => {
    const grid = await box('[data-testid="grid-output"]');
    const scale = grid.width / 240;
    // Tile 9 (second row, second column) is sample 4's channels 3..5; position y 5, x 7.
    const px = { x: 30 + 7, y: 30 + 5 };
    // Chromium reports whole client pixels: aim at a whole pixel inside the image pixel.
    const at = { x: Math.ceil(grid.x + px.x * scale) + 0.25, y: Math.ceil(grid.y + px.y * scale) + 0.25 };
    await page.mouse.move(at.x, at.y);
    await expect.poll(() => page.getByTestId('hover-info').isVisible()).toBe(true);
    const tip = await box('[data-testid="hover-info"]');
    expect(Math.abs(tip.x - at.x)).toBeLessThan(tip.width + 40);
    expect(Math.abs(tip.y - at.y)).toBeLessThan(tip.height + 40);
    expect(await text('hover-position')).toBe('y 5, x 7');
    expect(await page.locator('[aria-label="output card"] [data-mark="pixel"]').getAttribute('data-rect')).toBe(`${px.x},${px.y},1,1`);
    const field = receptiveField(DEFAULT_LAYER, [3, 32, 32], 3, 5, 7);
    // Sample 4 is the fifth input tile: column 4 of row 0, 32 px each.
    expect(await page.locator('[aria-label="input card"] [data-mark="tile"]').getAttribute('data-rect')).toBe('128,0,32,32');
    expect(await page.locator('[aria-label="input card"] [data-mark="field"]').getAttribute('data-rect')).toBe(`${128 + field.x0},${field.y0},${field.x1 - field.x0},${field.y1 - field.y0}`);
    expect(await text('hover-field')).toBe('rows 5–7, columns 7–9 of image 4, all input channels');
    await page.mouse.move(1, 1);
    await expect.poll(() => page.getByTestId('hover-info').isVisible()).toBe(false);
    expect(await page.locator('[data-mark]').count()).toBe(0);
  });

  it('arrow keys move a cursor over a focused grid with the same read-out, without stepping', async () => {
    await page.getByTestId('grid-output').focus();
    await page.keyboard.press('ArrowRight'); // places the cursor at 0,0
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await text('hover-position')).toBe('y 2, x 1');
    expect(await page.getByTestId('hover-info').isVisible()).toBe(true);
    expect(await text('step')).toBe('0');
    expect(await page.locator('[aria-label="input card"] [data-mark="field"]').count()).toBe(1);
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('hover-info').isVisible()).toBe(false);
  });

  it('clicking an image opens it large in a side panel with its channels and class; Escape closes it', async () => {
    const grid = await box('[data-testid="grid-input"]');
    const scale = grid.width / 256;
    await page.mouse.click(grid.x + (32 * 2 + 10) * scale, grid.y + 10 * scale); // sample 2
    await expect.poll(() => page.getByTestId('sample-panel').isVisible()).toBe(true);
    expect(await text('sample-title')).toMatch(/^image 2 of step 0 · \w+ \(class \d\)$/);
    expect(await page.locator('[data-testid="sample-inputs"] canvas').count()).toBe(4);
    expect(await page.locator('[data-testid="sample-outputs"] canvas').count()).toBe(6);
    const shown = await page.locator('[data-testid="sample-outputs"] canvas').first().boundingBox();
    expect(shown!.width).toBeGreaterThanOrEqual(120);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('sample-panel').isVisible()).toBe(false);
  });

  it('Ctrl+wheel zooms the grids; dragging a zoomed grid pans it without opening a sample', async () => {
    const grid = await box('[data-testid="grid-output"]');
    await page.mouse.move(grid.x + 20, grid.y + 20);
    const before = Number(await page.locator('#zoom').inputValue());
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -120);
    await page.keyboard.up('Control');
    await expect.poll(async () => Number(await page.locator('#zoom').inputValue())).toBe(before + 1);
    await page.locator('#zoom').selectOption('6');
    const scroller = page.locator('[aria-label="output card"] .grid-scroll');
    const s = (await scroller.boundingBox())!;
    await page.mouse.move(s.x + 200, s.y + 200);
    await page.mouse.down();
    await page.mouse.move(s.x + 150, s.y + 120, { steps: 5 });
    await page.mouse.move(s.x + 100, s.y + 60, { steps: 5 });
    await page.mouse.up();
    const [left, top] = await scroller.evaluate((e) => [e.scrollLeft, e.scrollTop]);
    expect(left).toBeGreaterThan(80);
    expect(top).toBeGreaterThan(100);
    expect(await page.getByTestId('sample-panel').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
  });

  it('puts dataset and export errors next to their field and clears them once fixed; the banner is for a server that is gone', async () => {
    await page.locator('#data-path').fill('/no/such/folder');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => text('error-datasetPath')).toContain('/no/such/folder');
    expect(await text('error')).toBe('');
    await page.locator('#data-path').fill(SAMPLE_FOLDER);
    await painted(() => page.getByRole('button', { name: 'Open', exact: true }).click());
    expect(await text('error-datasetPath')).toBe('');

    expect(await page.locator('#export-dir').getAttribute('placeholder')).toBeNull();
    await page.getByTestId('export-all').click();
    await expect.poll(() => text('error-exportDir')).toMatch(/^export folder: /);
    expect(await text('error')).toBe('');

    // The server "gone": the banner says so, and the next answer clears it.
    await page.route('**/api/getStep', (route) => route.abort());
    await page.getByRole('button', { name: 'Last step (End)' }).click();
    await expect.poll(() => text('error')).toMatch(/^Cannot reach the ConvBoard server/);
    await page.unroute('**/api/getStep');
    await page.getByRole('button', { name: 'Last step (End)' }).click();
    await expect.poll(() => text('error')).toBe('');
    expect(await page.getByTestId('error').isVisible()).toBe(false);
    await painted(() => page.getByRole('button', { name: 'First step (Home)' }).click());
  });

  it('asks before overwriting an earlier export and sends overwrite: true only after a yes', async () => {
    const bodies: Record<string, unknown>[] = [];
    const refuse = (message: string, field: string | null) => (route: Route) => {
      bodies.push(decodeContract(new Uint8Array(route.request().postDataBuffer()!)) as Record<string, unknown>);
      return route.fulfill({ status: 200, contentType: CONTRACT_CONTENT_TYPE, body: Buffer.from(encodeContract({ ok: false, error: { message, field } })) });
    };
    await page.route('**/api/startExportAll', refuse('export folder /tmp/x already holds PNG files from an earlier export', 'overwrite'));
    await page.locator('#export-dir').fill('/tmp/x');
    await page.getByTestId('export-all').click();
    const dialog = page.getByTestId('confirm-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('already holds PNG files');
    expect(bodies[0]!['overwrite']).toBeUndefined();
    await page.getByTestId('confirm-no').click();
    await expect.poll(() => text('export-status')).toBe('nothing written: the files already there were kept');

    await page.getByTestId('export-all').click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.unroute('**/api/startExportAll');
    await page.route('**/api/startExportAll', refuse('stopped by the test', null));
    await page.getByTestId('confirm-yes').click();
    await expect.poll(() => bodies.length).toBe(3);
    expect(bodies[2]!['overwrite']).toBe(true);
    expect(bodies[2]!['dir']).toBe('/tmp/x');
    await expect.poll(() => text('error-exportDir')).toBe('stopped by the test');
    await page.unroute('**/api/startExportAll');
  });

  it('when a layer change makes loaded .npy weights unusable the source switches visibly and says why; they come back when they fit', async () => {
    await page.locator('#layer-weight-source').selectOption('npy');
    await page.locator('#layer-weight-npy').setInputFiles({ name: 'zeros.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(float32Npy([6, 3, 3, 3], new Float32Array(162))) });
    await painted(() => page.getByRole('button', { name: 'Load .npy' }).click());
    await commit('#layer-kernelSize-h', '5');
    expect(await page.locator('#layer-weight-source').inputValue()).toBe('init');
    expect(await text('weight-note')).toMatch(/^zeros\.npy does not fit this layer \(.*\); using nn\.Conv2d default init with seed 0 until it fits again$/);
    await commit('#layer-kernelSize-h', '3');
    await expect.poll(() => page.locator('#layer-weight-source').inputValue()).toBe('npy');
    expect(await page.getByTestId('weight-note').isVisible()).toBe(false);
    expect(await page.locator('.panel[aria-label="Layer"] .muted').last().textContent()).toContain('zeros.npy');
    await painted(() => page.locator('#layer-weight-source').selectOption('init'));
  });

  it('hides the seed for presets, whose filters are fixed', async () => {
    await painted(() => page.locator('#layer-weight-source').selectOption('preset'));
    expect(await page.locator('#layer-seed').isVisible()).toBe(false);
    await painted(() => page.locator('#layer-weight-source').selectOption('init'));
    expect(await page.locator('#layer-seed').isVisible()).toBe(true);
  });

  it('copies the layer as PyTorch code and resets to the workflow defaults', async () => {
    await commit('#layer-stride-h', '2');
    await commit('#layer-seed', '5');
    await page.getByTestId('layer-copy').click();
    const expected = 'torch.manual_seed(5)\nconv = nn.Conv2d(3, 6, kernel_size=3, stride=(2, 1), padding=0)';
    await expect.poll(() => page.getByTestId('copied-code').textContent()).toBe(expected);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    await painted(() => page.locator('#display-preset').selectOption('diverging'));
    await painted(() => page.getByTestId('layer-reset').click());
    await expect.poll(() => text('output-shape')).toBe('output shape [64, 6, 30, 30]');
    expect(await page.locator('#layer-stride-h').inputValue()).toBe('1');
    expect(await page.locator('#layer-seed').inputValue()).toBe('0');
    expect(await page.locator('#display-preset').inputValue()).toBe('tensorboard');
    expect(await page.locator('.panel[aria-label="Layer"] .muted').last().textContent()).toContain('torch.manual_seed(0)');
  });

  it('shows every option text of the sidebar selects in full', async () => {
    const cut = await page.evaluate(() => {
      const context = document.createElement('canvas').getContext('2d')!;
      const out: string[] = [];
      for (const select of document.querySelectorAll<HTMLSelectElement>('.sidebar select, .toolbar select')) {
        if (!select.offsetParent) continue;
        const style = getComputedStyle(select);
        context.font = `${style.fontSize} ${style.fontFamily}`;
        // The arrow takes about 20 px of the box.
        const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
        for (const o of select.options) if (context.measureText(o.text).width > room) out.push(`${select.id}: "${o.text}"`);
      }
      return out;
    });
    expect(cut).toEqual([]);
  });

  it('axe-core finds no serious or critical WCAG 2.1 A/AA violation, on the main view and with a layer error shown', async () => {
    expect(seriousOrCritical(await axeViolations(page))).toEqual([]);
    await commit('#layer-groups', '4', false);
    await expect.poll(() => text('error-groups')).not.toBe('');
    expect(seriousOrCritical(await axeViolations(page))).toEqual([]);
    await commit('#layer-groups', '1');
  });

  it('the first Tab reaches a skip link to the step controls; focus is visible on what is focused', async () => {
    await page.reload();
    await waitForStepPainted(page, 0);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the step controls');
    const ring = () => page.evaluate(() => {
      const s = getComputedStyle(document.activeElement!);
      return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    });
    expect(await ring()).toBe(true);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('First step (Home)');
    expect(await ring()).toBe(true);
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      expect(await ring(), await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80) ?? '')).toBe(true);
    }
    await page.getByTestId('grid-output').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await ring()).toBe(true);
  });

  it('follows a dark colour scheme everywhere but the grids, whose pixels are data', async () => {
    const before = await canvasPixels(page, 'grid-output');
    await page.emulateMedia({ colorScheme: 'dark' });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const card = await page.evaluate(() => getComputedStyle(document.querySelector('.card')!).backgroundColor);
    expect(background).toBe('rgb(23, 24, 26)');
    expect(card).toBe('rgb(37, 38, 42)');
    expect(firstDifference((await canvasPixels(page, 'grid-output')).data, before.data)).toBe(-1);
    expect(await page.locator('.grid-frame').first().evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(0, 0, 0)');
    expect(seriousOrCritical(await axeViolations(page))).toEqual([]);
    await page.screenshot({ path: join(__dirname, '..', '..', 'out', 'screenshots', 'dark-theme.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('logged no page errors (but the request the test itself aborted)', () => {
    expect(pageErrors.filter((e) => e !== 'Failed to load resource: net::ERR_FAILED')).toEqual([]);
  });
});
