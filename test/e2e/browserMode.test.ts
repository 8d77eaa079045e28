// The renderer in real Chromium against browser mode (`convboard serve` in-process) on the
// embedded sample: stepping, live layer changes, pixels equal to the CLI's PNGs, export, errors.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepPngNames } from '../../main/output/stepPngs';
import { launchChromium, type LaunchedChromium } from './helpers/chromium';
import { outputGridSize, tensorboardGridSize } from './helpers/gridSize';
import { float32Npy } from './helpers/npyBytes';
import { canvasPixels, canvasSize, paintCount, waitForPaintAfter, waitForStepPainted } from './helpers/pageCanvas';
import { firstDifference, readPng } from './helpers/pngPixels';
import { startServer, type RunningServer } from './helpers/server';
import { recordTimings, summarize } from './helpers/timings';

const ROOT = resolve(__dirname, '..', '..');
// Screenshots of each run go to out/ (never the tracked docs/screenshots: npm run screenshots refreshes those).
const SCREENSHOTS = join(ROOT, 'out', 'screenshots');
const CLI = join(ROOT, 'dist', 'cli.js');

let server: RunningServer;
let chromium: LaunchedChromium;
let page: Page;
let work: string;
let batch = 0;
let stepCount = 0;
const pageErrors: string[] = [];

async function stepText(): Promise<string> {
  return (await page.getByTestId('step').textContent()) ?? '';
}

async function outputShapeText(): Promise<string> {
  return (await page.getByTestId('output-shape').textContent()) ?? '';
}

async function errorText(): Promise<string> {
  return ((await page.getByTestId('error').textContent()) ?? '').trim();
}

/** Types into a layer field and commits it the way a user does (Tab fires 'change'), then waits for the repaint. */
async function setLayerField(selector: string, value: string, expectPaint = true): Promise<void> {
  const before = await paintCount(page);
  await page.locator(selector).fill(value);
  await page.locator(selector).press('Tab');
  if (expectPaint) await waitForPaintAfter(page, before);
}

async function blurControls(): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

describe('browser mode in Chromium', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'convboard-e2e-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startServer(null, work);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __cspViolations: string[] };
      w.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(server.url);
    await waitForStepPainted(page, 0);
    const shape = /\[(\d+), (\d+), (\d+), (\d+)\]/.exec(await outputShapeText());
    batch = Number(shape?.[1]);
    stepCount = Number(((await page.locator('.step-count').textContent()) ?? '').replace(/\D/g, '')) + 1;
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('opens on the embedded sample, marked synthetic, at step 0 with the default layer', async () => {
    expect(await stepText()).toBe('0');
    expect(await page.getByTestId('synthetic-badge').textContent()).toBe('synthetic sample');
    expect(batch).toBe(64);
    expect(stepCount).toBeGreaterThan(2);
    expect(await outputShapeText()).toBe('output shape [64, 6, 30, 30]');
    expect(await page.getByTestId('formula-h').textContent()).toBe('floor((32 + 0 + 0 - 1*(3-1) - 1) / 1) + 1 = 30');
    expect(await canvasSize(page, 'grid-input')).toEqual(tensorboardGridSize(64, 32, 32));
    expect(await canvasSize(page, 'grid-output')).toEqual([240, 480]);
    expect(await errorText()).toBe('');
    await expect.poll(() => page.getByTestId('histogram-summary').textContent()).toMatch(/^345,600 values in \[-?\d/);
    // The README shot shows a hover read-out too.
    await page.getByTestId('grid-output').hover({ position: { x: 150, y: 90 } });
    await expect.poll(() => page.getByTestId('hover-activation').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'main-view.png') });
  });

  it('steps with the keyboard: Right, Left, End, Home, and Space plays', async () => {
    await blurControls();
    await page.keyboard.press('ArrowRight');
    await waitForStepPainted(page, 1);
    await page.keyboard.press('ArrowRight');
    await waitForStepPainted(page, 2);
    await page.keyboard.press('ArrowLeft');
    await waitForStepPainted(page, 1);
    await page.keyboard.press('End');
    await waitForStepPainted(page, stepCount - 1);
    await page.keyboard.press('ArrowRight'); // already at the end: stays
    expect(await stepText()).toBe(String(stepCount - 1));
    await page.keyboard.press('Home');
    await waitForStepPainted(page, 0);
    await page.keyboard.press('ArrowLeft'); // already at the start: stays
    expect(await stepText()).toBe('0');
    await page.keyboard.press(' ');
    await waitForStepPainted(page, 2);
    await page.keyboard.press(' ');
    const stoppedAt = Number(await stepText());
    await page.waitForTimeout(700);
    expect(Number(await stepText())).toBe(stoppedAt);
    await page.keyboard.press('Home');
    await waitForStepPainted(page, 0);
  });

  it('the last, partial step draws a smaller grid (TensorBoard: ncols = min(N, 8))', async () => {
    await blurControls();
    await page.keyboard.press('End');
    await waitForStepPainted(page, stepCount - 1);
    const footer = (await page.locator('.card-footer').first().textContent()) ?? '';
    const n = Number(/^\[(\d+),/.exec(footer)?.[1]);
    expect(n).toBeGreaterThan(0);
    expect(await canvasSize(page, 'grid-input')).toEqual(tensorboardGridSize(n, 32, 32));
    expect(await canvasSize(page, 'grid-output')).toEqual(outputGridSize(n, 6, 30, 30));
    await page.keyboard.press('Home');
    await waitForStepPainted(page, 0);
  });

  it('shows exactly the pixels `convboard export` writes for the same step and default settings', async () => {
    const step = 2;
    await page.getByLabel('Go to step').fill(String(step));
    await page.getByLabel('Go to step').press('Enter');
    await waitForStepPainted(page, step);
    const out = join(work, 'cli-export');
    execFileSync(process.execPath, [CLI, 'export', '--steps', `${step}-${step}`, '--out', out], { stdio: 'pipe' });
    const names = stepPngNames(step);
    for (const [testId, file] of [['grid-input', names.input], ['grid-output', names.output]] as const) {
      const png = readPng(join(out, file));
      const canvas = await canvasPixels(page, testId);
      expect([canvas.width, canvas.height], testId).toEqual([png.width, png.height]);
      expect(firstDifference(canvas.data, png.data), `${testId} vs ${file}: first differing byte`).toBe(-1);
    }
  });

  it('a weight preset and a display preset show what `convboard export --preset --display` writes', async () => {
    const step = Number(await stepText());
    let before = await paintCount(page);
    await page.locator('#layer-weight-source').selectOption('preset');
    await waitForPaintAfter(page, before);
    before = await paintCount(page);
    await page.locator('#layer-preset').selectOption('sobel-x');
    await waitForPaintAfter(page, before);
    before = await paintCount(page);
    await page.locator('#display-preset').selectOption('diverging');
    await waitForPaintAfter(page, before);
    expect(await page.getByTestId('colorbar-title').textContent()).toBe("per tile: each tile's own min..max");
    await page.getByTestId('grid-output').hover({ position: { x: 40, y: 40 } });
    await page.screenshot({ path: join(SCREENSHOTS, 'layer-changed.png') });

    const out = join(work, 'cli-export-presets');
    execFileSync(process.execPath, [CLI, 'export', '--steps', `${step}-${step}`, '--preset', 'sobel-x', '--display', 'diverging', '--out', out], { stdio: 'pipe' });
    const names = stepPngNames(step);
    for (const [testId, file] of [['grid-input', names.input], ['grid-output', names.output]] as const) {
      const png = readPng(join(out, file));
      const canvas = await canvasPixels(page, testId);
      expect([canvas.width, canvas.height], testId).toEqual([png.width, png.height]);
      expect(firstDifference(canvas.data, png.data), `${testId} vs ${file}`).toBe(-1);
    }

    before = await paintCount(page);
    await page.locator('#display-preset').selectOption('tensorboard');
    await waitForPaintAfter(page, before);
    before = await paintCount(page);
    await page.locator('#layer-weight-source').selectOption('init');
    await waitForPaintAfter(page, before);
    expect(await canvasSize(page, 'grid-output')).toEqual([240, 480]);
  });

  it('zooms with CSS only: the canvas keeps one pixel per image pixel', async () => {
    const cssWidth = () => page.getByTestId('grid-output').evaluate((c) => (c as HTMLCanvasElement).getBoundingClientRect().width);
    await page.locator('#zoom').selectOption('4');
    expect(await cssWidth()).toBe(240 * 4);
    expect(await canvasSize(page, 'grid-output')).toEqual([240, 480]);
    expect(await page.getByTestId('grid-output').evaluate((c) => getComputedStyle(c).imageRendering)).toBe('pixelated');
    await page.getByRole('button', { name: 'Actual size' }).click();
    expect(await cssWidth()).toBe(240);
    await page.locator('#zoom').selectOption('2');
    expect(await cssWidth()).toBe(480);
  });

  it('gives every control a label', async () => {
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea, button')]
        .filter((el) => {
          const control = el as HTMLInputElement;
          const named = (control.labels?.length ?? 0) > 0 || control.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent?.trim());
          return !named;
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
  });

  it('reads out pixel bytes, classes and activations on hover; class highlight leaves the grid pixels alone', async () => {
    const input = page.getByTestId('grid-input');
    const box = (await input.boundingBox())!;
    await input.hover({ position: { x: box.width * 0.3, y: box.height * 0.3 } });
    expect(await page.getByTestId('hover-rgb').textContent()).toMatch(/^\d{1,3}, \d{1,3}, \d{1,3}$/);
    expect(await page.getByTestId('hover-class').textContent()).toMatch(/\(\d\)$/);
    const output = page.getByTestId('grid-output');
    await output.hover({ position: { x: 5, y: 5 } });
    expect(await page.getByTestId('hover-activation').textContent()).toMatch(/^c0 = -?\d+\.\d+ · c1 = -?\d+\.\d+ · c2 = -?\d+\.\d+$/);

    const before = await canvasPixels(page, 'grid-output');
    await page.locator('#data-highlight').selectOption('3');
    const after = await canvasPixels(page, 'grid-output');
    expect(firstDifference(before.data, after.data)).toBe(-1);
    await page.locator('#data-highlight').selectOption('');
  });

  it('changing stride, padding, out_channels and groups changes the output shape and the grid', async () => {
    await setLayerField('#layer-stride-h', '2');
    await setLayerField('#layer-stride-w', '2');
    expect(await outputShapeText()).toBe('output shape [64, 6, 15, 15]');
    expect(await page.getByTestId('formula-w').textContent()).toBe('floor((32 + 0 + 0 - 1*(3-1) - 1) / 2) + 1 = 15');
    expect(await canvasSize(page, 'grid-output')).toEqual(outputGridSize(64, 6, 15, 15));

    await setLayerField('#layer-stride-h', '1');
    await setLayerField('#layer-stride-w', '1');
    await setLayerField('#layer-padding-h', '1');
    await setLayerField('#layer-padding-w', '2');
    expect(await outputShapeText()).toBe('output shape [64, 6, 32, 34]');
    expect(await canvasSize(page, 'grid-output')).toEqual(outputGridSize(64, 6, 32, 34));

    let before = await paintCount(page);
    await page.locator('#layer-padding-kind').selectOption('same');
    await waitForPaintAfter(page, before);
    expect(await outputShapeText()).toBe('output shape [64, 6, 32, 32]');

    // 'same' refuses strides: PyTorch's message next to the field, the last valid grid stays.
    const kept = await canvasPixels(page, 'grid-output');
    await setLayerField('#layer-stride-h', '2', false);
    await expect.poll(() => page.getByTestId('error-stride').textContent()).toBe("padding='same' is not supported for strided convolutions");
    expect(await outputShapeText()).toBe('output shape [64, 6, 32, 32]');
    expect(firstDifference((await canvasPixels(page, 'grid-output')).data, kept.data)).toBe(-1);
    await setLayerField('#layer-stride-h', '1');
    expect(await page.getByTestId('error-stride').textContent()).toBe('');

    before = await paintCount(page);
    await page.locator('#layer-padding-kind').selectOption('valid');
    await waitForPaintAfter(page, before);
    await setLayerField('#layer-groups', '3');
    expect(await outputShapeText()).toBe('output shape [64, 6, 30, 30]');
    expect(await page.locator('.panel[aria-label="Layer"] .muted').last().textContent()).toContain('weight [6, 1, 3, 3]');

    await setLayerField('#layer-groups', '4', false);
    await expect.poll(() => page.getByTestId('error-groups').textContent()).toMatch(/divisible by groups|groups=4/);
    expect(await outputShapeText()).toBe('output shape [64, 6, 30, 30]');

    await setLayerField('#layer-groups', '1');
    await setLayerField('#layer-out-channels', '3');
    expect(await outputShapeText()).toBe('output shape [64, 3, 30, 30]');
    expect(await canvasSize(page, 'grid-output')).toEqual(outputGridSize(64, 3, 30, 30));
    await setLayerField('#layer-out-channels', '6');
    expect(await page.getByTestId('error-groups').textContent()).toBe('');
    expect(await errorText()).toBe('');
  });

  it('a smaller batch size gives more steps and smaller grids', async () => {
    let before = await paintCount(page);
    await page.locator('#data-batch-size').fill('16');
    await page.locator('#data-batch-size').press('Enter');
    await waitForPaintAfter(page, before);
    await expect.poll(outputShapeText).toBe('output shape [16, 6, 30, 30]');
    const images = Number(/\((\d+) images\)/.exec((await page.locator('#data-split option:checked').textContent()) ?? '')?.[1]);
    expect(await page.locator('.step-count').textContent()).toBe(`/ ${Math.ceil(images / 16) - 1}`);
    expect(await canvasSize(page, 'grid-input')).toEqual(tensorboardGridSize(16, 32, 32));
    expect(await canvasSize(page, 'grid-output')).toEqual(outputGridSize(16, 6, 30, 30));
    before = await paintCount(page);
    await page.locator('#data-batch-size').fill('64');
    await page.locator('#data-batch-size').press('Enter');
    await waitForPaintAfter(page, before);
    await expect.poll(outputShapeText).toBe('output shape [64, 6, 30, 30]');
  });

  it('a bad .npy shows a readable error; the app keeps working and recovers', async () => {
    await page.locator('#layer-weight-source').selectOption('npy');
    await page.locator('#layer-weight-npy').setInputFiles({ name: 'bad.npy', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not a numpy file') });
    await page.getByRole('button', { name: 'Load .npy' }).click();
    const weightsError = async () => ((await page.getByTestId('error-weights').textContent()) ?? '').trim();
    await expect.poll(weightsError).toContain('bad.npy');
    expect(await weightsError()).not.toMatch(/\bat .*\(|Error:/); // one line, no stack
    expect(await errorText()).toBe(''); // next to the field, not in the banner

    // A real .npy of the wrong shape for the layer is refused with the shapes named.
    await page.locator('#layer-weight-npy').setInputFiles({ name: 'wrong-shape.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(float32Npy([6, 3, 5, 5], new Float32Array(450))) });
    await page.getByRole('button', { name: 'Load .npy' }).click();
    await expect.poll(weightsError).toContain('wrong-shape.npy');

    await blurControls();
    await page.keyboard.press('ArrowRight');
    await waitForStepPainted(page, 3);

    // A valid .npy (all-zero weight, no bias file: bias kept or dropped per the back end) draws a black output.
    const before = await paintCount(page);
    await page.locator('#layer-weight-npy').setInputFiles({ name: 'zeros.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(float32Npy([6, 3, 3, 3], new Float32Array(162))) });
    await page.getByRole('button', { name: 'Load .npy' }).click();
    await waitForPaintAfter(page, before);
    expect(await page.locator('.panel[aria-label="Layer"] .muted').last().textContent()).toContain('zeros.npy');

    const back = await paintCount(page);
    await page.locator('#layer-weight-source').selectOption('init');
    await waitForPaintAfter(page, back);
    expect(await page.getByTestId('error-weights').textContent()).toBe('');
    expect(await errorText()).toBe('');
  });

  it('an unreadable dataset path shows an error and keeps the open dataset', async () => {
    await page.locator('#data-path').fill(join(work, 'no-such-folder'));
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByTestId('error-datasetPath').textContent()).toContain('no-such-folder');
    expect(await errorText()).toBe('');
    expect(await page.getByTestId('synthetic-badge').textContent()).toBe('synthetic sample');
    await blurControls();
    const step = Number(await stepText());
    await page.keyboard.press('ArrowRight');
    await waitForStepPainted(page, step + 1);
  });

  it('exports the current step from the UI as PNGs with the pixels on screen', async () => {
    await page.keyboard.press('Home');
    await waitForStepPainted(page, 0);
    const downloads: { name: string; path: string }[] = [];
    let saved = 0;
    const done = new Promise<void>((resolveDone) => {
      page.on('download', async (d) => {
        // Listed in the order the page started them (the saves may finish in either order).
        const entry = { name: d.suggestedFilename(), path: join(work, `download-${downloads.length}-${d.suggestedFilename()}`) };
        downloads.push(entry);
        await d.saveAs(entry.path);
        if (++saved === 2) resolveDone();
      });
    });
    await page.getByTestId('export-step').click();
    await done;
    // The message names the files as the browser saved them.
    await expect.poll(() => page.getByTestId('export-status').textContent()).toBe(`step 0: downloaded ${downloads[0]!.name} and ${downloads[1]!.name} to your browser's download folder`);
    expect(downloads.map((d) => d.name).sort()).toEqual(['input_000000.png', 'output_000000.png']);
    for (const testId of ['grid-input', 'grid-output'] as const) {
      const kind = testId === 'grid-input' ? 'input' : 'output';
      const file = downloads.find((d) => d.name.includes(kind));
      expect(file, `a downloaded ${kind} PNG among ${downloads.map((d) => d.name).join(', ')}`).toBeDefined();
      const png = readPng(file!.path);
      const canvas = await canvasPixels(page, testId);
      expect(firstDifference(canvas.data, png.data), `${kind} download vs canvas`).toBe(-1);
    }
  });

  it('runs the Electron menu\'s "Export current step" (the convboard-menu event) like the button', async () => {
    const names: string[] = [];
    const done = new Promise<void>((resolveDone) => {
      const onDownload = (d: { suggestedFilename(): string }) => {
        names.push(d.suggestedFilename());
        if (names.length === 2) {
          page.off('download', onDownload);
          resolveDone();
        }
      };
      page.on('download', onDownload);
    });
    await page.evaluate(() => window.dispatchEvent(new CustomEvent('convboard-menu', { detail: 'exportStep' })));
    await done;
    expect(names.some((n) => n.includes('input') && n.includes('000000'))).toBe(true);
    expect(names.some((n) => n.includes('output') && n.includes('000000'))).toBe(true);
  });

  it('exports all steps into a folder with progress, matching the screen', async () => {
    // Browser mode writes only under the server's export root (here `work`): the page names a sub-folder.
    const dir = join(work, 'export-all');
    await page.locator('#export-dir').fill('export-all');
    await page.getByTestId('export-all').click();
    await expect.poll(() => page.getByTestId('export-status').textContent(), { timeout: 60_000 }).toMatch(/^wrote \d+ PNG files .* in /);
    const names = stepPngNames(0);
    expect(existsSync(join(dir, names.output))).toBe(true);
    expect(readdirSync(join(dir, 'output')).filter((f) => f.endsWith('.png')).length).toBe(stepCount);
    const png = readPng(join(dir, names.output));
    const canvas = await canvasPixels(page, 'grid-output');
    expect(firstDifference(canvas.data, png.data)).toBe(-1);
    expect(readdirSync(dir, { recursive: true }).filter((f) => String(f).includes('.tmp'))).toEqual([]);
  });

  it('computes per-channel statistics over all steps; clicking the chart opens that step', async () => {
    await page.getByTestId('stats-start').click();
    await expect.poll(() => page.getByTestId('stats-progress-text').textContent(), { timeout: 60_000 }).toBe(`done: ${stepCount} steps`);
    const chart = page.locator('.chart-box-tall canvas');
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    await page.locator('#histogram-channel').selectOption('0');
    // Sticky bars make full-page captures tear; a tall viewport shows cards and charts in one frame.
    await page.setViewportSize({ width: 1600, height: 1720 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, 'charts.png') });
    await page.setViewportSize({ width: 1600, height: 1000 });
    await chart.scrollIntoViewIfNeeded();
    // The x axis runs over the steps: a click right of centre lands on a later step.
    await chart.click({ position: { x: box.width * 0.75, y: box.height * 0.4 } });
    await expect.poll(async () => Number(await stepText())).toBeGreaterThan(0);
    expect(Number(await stepText())).toBeLessThan(stepCount);
  });

  it('the pixel comparison used above catches a single flipped byte', async () => {
    await blurControls();
    await page.keyboard.press('Home');
    await waitForStepPainted(page, 0);
    const canvas = await canvasPixels(page, 'grid-input');
    const png = readPng(join(work, 'export-all', stepPngNames(0).input));
    expect(firstDifference(canvas.data, png.data)).toBe(-1);
    const changed = png.data.slice();
    changed[changed.length - 2]! ^= 1;
    expect(firstDifference(canvas.data, changed)).toBe(changed.length - 2);
  });

  it('paints every step change while sweeping back and forth (timings go to out/e2e-timings.json)', async () => {
    await blurControls();
    await page.keyboard.press('Home');
    await waitForStepPainted(page, 0);
    const start = await page.evaluate(() => window.__convboardTimings?.length ?? 0);
    // The sample has only a few steps: sweep back and forth (later sweeps hit the session's step cache).
    let step = 0;
    let direction = 1;
    const changes = 40;
    for (let i = 0; i < changes; i++) {
      if (step + direction < 0 || step + direction >= stepCount) direction = -direction;
      step += direction;
      await page.keyboard.press(direction > 0 ? 'ArrowRight' : 'ArrowLeft');
      await waitForStepPainted(page, step);
    }
    const ms = await page.evaluate((from) => (window.__convboardTimings ?? []).slice(from), start);
    expect(ms.length).toBe(changes);
    const summary = summarize(`embedded sample (${stepCount} steps of ${batch}), default layer, ${changes} changes sweeping back and forth`, ms);
    recordTimings('sample', summary);
    console.log(`sample: step change -> both grids painted: median ${summary.medianMs} ms, p95 ${summary.p95Ms} ms over ${summary.samples} changes (median parts: back end ${summary.medianFetchMs} ms, drawing ${summary.medianDrawMs} ms)`);
  });

  it('logged no page errors and no Content-Security-Policy violations under a strict policy', async () => {
    expect(pageErrors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
    const policy = (await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).not.toContain('unsafe');
  });

  it('shows the layer\'s kernels in the weights card: sobel-x as a 6x3 grid of 3x3 tiles, range ±2, hover reads a tap', async () => {
    const caption = () => page.getByTestId('kernel-caption').textContent();
    // The default init: U(-1/sqrt(27), 1/sqrt(27)) for weight and bias, six bias values.
    expect(await caption()).toMatch(/^weight \[6, 3, 3, 3\] · range ±0\.1\d* · bias \[(-?[\d.e-]+, ){5}-?[\d.e-]+\]$/);
    const before = await paintCount(page);
    await page.locator('#layer-weight-source').selectOption('preset');
    await waitForPaintAfter(page, before);
    await page.locator('#layer-preset').selectOption('sobel-x');
    await expect.poll(caption).toBe('weight [6, 3, 3, 3] · range ±2 · bias [0, 0, 0, 0, 0, 0]');
    // 3 tiles of 3 + 2 gaps wide, 6 tiles of 3 + 5 gaps tall; CSS scales it 12x, pixelated.
    expect(await canvasSize(page, 'kernel-weights')).toEqual([11, 23]);
    const kernel = page.getByTestId('kernel-weights');
    expect(await kernel.evaluate((c) => [c.getBoundingClientRect().width, c.getBoundingClientRect().height, getComputedStyle(c).imageRendering])).toEqual([132, 276, 'pixelated']);
    // Output 0 filters input 0 with [[-1,0,1],[-2,0,2],[-1,0,1]]: the +2 tap is the red end, the -2 tap the blue end.
    const pixels = await canvasPixels(page, 'kernel-weights');
    const at = (x: number, y: number) => [...pixels.data.subarray((y * 11 + x) * 4, (y * 11 + x) * 4 + 3)];
    const [r, , b] = at(2, 1);
    expect(r).toBeGreaterThan(b! + 50);
    const [rn, , bn] = at(0, 1);
    expect(bn).toBeGreaterThan(rn! + 50);
    await kernel.hover({ position: { x: 2.5 * 12, y: 1.5 * 12 } });
    expect(await page.getByTestId('kernel-hover').textContent()).toBe('out 0, in 0, (1, 2) = 2');
    await kernel.hover({ position: { x: 5.5 * 12, y: 5.5 * 12 } });
    expect(await page.getByTestId('kernel-hover').textContent()).toBe('out 1, in 1, (1, 1) = 0');

    const back = await paintCount(page);
    await page.locator('#layer-weight-source').selectOption('init');
    await waitForPaintAfter(page, back);
    await expect.poll(caption).toMatch(/range ±0\.1/);
    expect(pageErrors).toEqual([]);
  });
});
