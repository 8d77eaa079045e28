// The data panel and the Logged card in real Chromium against browser mode: grey idx datasets
// against torchvision's grid, an image folder with Resize/CenterCrop, a dataset downloaded from a
// local mirror (and a cancelled download), and a TensorBoard logdir written by `convboard export`
// compared pixel by pixel with what the page computes.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServe, type ServeHandle } from '../../main/http/browserMode';
import { tarBytes } from '../helpers/datasetTestFiles';
import { runCli } from '../helpers/runCli';
import { launchChromium, type LaunchedChromium } from './helpers/chromium';
import { canvasPixels, paintCount, waitForPaintAfter, waitForStepPainted } from './helpers/pageCanvas';
import { firstDifference, readPng } from './helpers/pngPixels';

const ROOT = resolve(__dirname, '..', '..');
const SAMPLE = join(ROOT, 'assets', 'sample', 'cifar-10-batches-bin');
const IDX = join(ROOT, 'test', 'fixtures', 'idx');
const IMAGE_FOLDER = join(ROOT, 'test', 'fixtures', 'imagefolder', 'root');

let chromium: LaunchedChromium;
let serve: ServeHandle;
let page: Page;
let mirror: Server;
let mirrorBase = '';
let archive: Buffer;
let archiveMd5 = '';
let stall = false;
let work: string;
const pageErrors: string[] = [];

function mirrorRoute(req: IncomingMessage, res: ServerResponse): void {
  if (new URL(req.url ?? '/', 'http://x').pathname !== '/kriz/cifar-10-binary.tar.gz') {
    res.writeHead(404);
    res.end();
    return;
  }
  if (stall) {
    // Part of the file, then silence: only a cancel ends this download.
    res.writeHead(200, { 'Content-Length': archive.length });
    res.write(archive.subarray(0, 100_000));
    return;
  }
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  if (start > 0 && start < archive.length) {
    res.writeHead(206, { 'Content-Length': archive.length - start, 'Content-Range': `bytes ${start}-${archive.length - 1}/${archive.length}` });
  } else {
    res.writeHead(200, { 'Content-Length': archive.length });
  }
  res.end(archive.subarray(start > 0 && start < archive.length ? start : 0));
}

async function text(testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').trim();
}

async function openPath(path: string, resize = '', centerCrop = ''): Promise<void> {
  await page.locator('#data-resize').fill(resize);
  await page.locator('#data-center-crop').fill(centerCrop);
  await page.locator('#data-path').fill(path);
  await page.locator('#data-path').press('Enter');
}

describe('data panel, downloads and logged runs in Chromium', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'convboard-data-e2e-'));
    const names = readdirSync(SAMPLE).sort();
    archive = gzipSync(await tarBytes(names.map((n) => ({ name: `cifar-10-batches-bin/${n}`, data: readFileSync(join(SAMPLE, n)) }))));
    archiveMd5 = createHash('md5').update(archive).digest('hex');
    mirror = createServer(mirrorRoute);
    await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
    mirrorBase = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}`;
    serve = await runServe({
      dataPath: null, port: 0, log: () => {},
      download: { dataDir: join(work, 'data'), url: `${mirrorBase}/kriz/cifar-10-binary.tar.gz`, md5: archiveMd5 },
    });
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(serve.url);
    await waitForStepPainted(page, 0);
  });

  afterAll(async () => {
    await chromium?.close();
    await serve?.close();
    mirror?.closeAllConnections();
    await new Promise((r) => mirror?.close(r));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('compares a logdir written by convboard export: input and output identical, a changed layer differs', async () => {
    const logdir = join(work, 'logs', 'tutorial');
    const r = runCli(['export', '--steps', '0-1', '--out', join(work, 'pngs'), '--tensorboard', '--tag-input', 'nn_conv2d_input', '--tag-output', 'nn_conv2d_output', '--logdir', logdir]);
    expect(r.status, r.stderr).toBe(0);

    // A folder with no events first: the error says so, next to the field.
    await page.locator('#logdir-path').fill(join(work, 'pngs'));
    await page.locator('#logdir-open').click();
    await expect.poll(() => text('error-logdir')).toMatch(/^log folder: no logged images under /);

    await page.locator('#logdir-path').fill(join(work, 'logs'));
    await page.locator('#logdir-open').click();
    await expect.poll(() => page.locator('#logged-run option').allTextContents()).toEqual(['tutorial']);
    expect(await text('error-logdir')).toBe('');
    expect(await page.locator('#logged-tag option').allTextContents()).toEqual(['nn_conv2d_input (2 steps)', 'nn_conv2d_output (2 steps)']);
    const shown = (key: string) => page.waitForFunction((k) => document.querySelector<HTMLElement>('[data-testid="logged-card"]')?.dataset['shown'] === k, key);

    // The output tag is picked first; with the same default weights it is the page's own grid.
    await shown('tutorial|nn_conv2d_output|0');
    expect(await text('logged-compare')).toMatch(/^output grid, step 0: identical \(all \d+ pixels\)$/);
    await page.locator('#logged-tag').selectOption('nn_conv2d_input');
    await shown('tutorial|nn_conv2d_input|0');
    expect(await text('logged-compare')).toMatch(/^input grid, step 0: identical \(all \d+ pixels\)$/);
    // The logged image is the exported PNG itself, decoded in the page.
    const logged = await canvasPixels(page, 'logged-image');
    const png = readPng(join(work, 'pngs', 'input', '000000.png'));
    expect([logged.width, logged.height]).toEqual([png.width, png.height]);
    expect(firstDifference(logged.data, png.data)).toBe(-1);

    // The next step with the keyboard, as a user steps: the card follows.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('ArrowRight');
    await waitForStepPainted(page, 1);
    await shown('tutorial|nn_conv2d_input|1');
    expect(await text('logged-compare')).toMatch(/^input grid, step 1: identical/);

    // Other weights: the output no longer matches what the run logged, and the card says by how much.
    await page.locator('#logged-tag').selectOption('nn_conv2d_output');
    await shown('tutorial|nn_conv2d_output|1');
    await page.locator('#layer-weight-source').selectOption('preset');
    await page.locator('#layer-preset').selectOption('sobel-x');
    await expect.poll(() => text('logged-compare'), { timeout: 20_000 }).toMatch(/^output grid, step 1: \d+ of \d+ pixels differ \(by up to \d+ of 255\)$/);
    await expect.poll(() => page.locator('.panel').getByText(/^weight \[/).textContent(), { timeout: 20_000 }).toMatch(/preset sobel-x$/);
    await page.waitForFunction(() => !document.querySelector('[data-testid="status"]')?.textContent?.includes('loading'));
    await shown('tutorial|nn_conv2d_output|1');
    // The count and the red pixels of the difference image, read together: they must agree.
    const { said, red } = await page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="logged-diff"]') as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let red = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! >= 128 && data[i + 1] === 0) red++;
      return { said: document.querySelector('[data-testid="logged-compare"]')!.textContent!, red };
    });
    expect(said).toMatch(/^output grid, step 1: \d+ of \d+ pixels differ/);
    expect(red).toBe(Number(/: (\d+) of/.exec(said)![1]));
    // For eyes: the card with a difference shown (out/ is never committed).
    mkdirSync(join(ROOT, 'out', 'screenshots'), { recursive: true });
    await page.getByTestId('logged-card').screenshot({ path: join(ROOT, 'out', 'screenshots', 'logged-card.png') });
    await page.locator('#layer-weight-source').selectOption('init');
    await expect.poll(() => text('logged-compare'), { timeout: 20_000 }).toMatch(/^output grid, step 1: identical/);
  });

  it('names every format and offers a download only for the embedded sample', async () => {
    const hint = await page.locator('.panel[aria-label="Data"]').textContent();
    expect(hint).toContain('CIFAR folder, .bin or .tar.gz');
    expect(hint).toContain('MNIST-family idx file or folder');
    expect(hint).toContain('image folder');
    expect(await text('dataset-title')).toMatch(/synthetic sample/);
    expect(await page.getByTestId('download-row').isVisible()).toBe(true);
    await page.locator('.panel[aria-label="Data"]').screenshot({ path: join(ROOT, 'out', 'screenshots', 'data-panel.png') });
    expect(await page.locator('#download-start').textContent()).toBe('Download CIFAR-10');
    expect(await page.locator('#download-dataset option').allTextContents()).toEqual(['CIFAR-10', 'CIFAR-100', 'MNIST', 'Fashion-MNIST']);
  });

  it('cancels a download, then downloads CIFAR-10 from the mirror and opens it', async () => {
    stall = true;
    await page.locator('#download-start').click();
    await expect.poll(() => text('download-progress-text')).toMatch(/^cifar-10-binary\.tar\.gz .*\d+%/);
    await page.getByTestId('download-row').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => text('download-progress-text')).toBe('cancelled');
    expect(await text('dataset-title')).toMatch(/synthetic sample/);

    stall = false;
    await page.locator('#download-start').click();
    await expect.poll(() => text('download-progress-text'), { timeout: 30_000 }).toMatch(/^opened .*cifar-10-binary\.tar\.gz$/);
    await expect.poll(() => text('dataset-title')).not.toMatch(/synthetic/);
    expect(await page.getByTestId('download-row').isVisible()).toBe(false);
    expect(await page.locator('.dataset-meta').textContent()).toMatch(/^CIFAR-10 binary · 3×32×32 \(RGB, 3 channels\) · .*cifar-10-binary\.tar\.gz$/);
    expect(readFileSync(join(work, 'data', 'cifar-10-binary.tar.gz')).equals(archive)).toBe(true);
  });

  it('shows a grey idx dataset with one channel, its grid equal to torchvision', async () => {
    const before = await paintCount(page);
    await openPath(join(IDX, 'root', 'FashionMNIST', 'raw'));
    await expect.poll(() => page.locator('.dataset-meta').textContent()).toMatch(/^Fashion-MNIST idx · 1×28×28 \(grey, 1 channel\)/);
    await waitForPaintAfter(page, before);
    await waitForStepPainted(page, 0);
    const got = await canvasPixels(page, 'grid-input');
    const want = readPng(join(IDX, 'input-000000.png'));
    expect([got.width, got.height]).toEqual([want.width, want.height]);
    expect(firstDifference(got.data, want.data)).toBe(-1);
    const out = await canvasPixels(page, 'grid-output');
    const wantOut = readPng(join(IDX, 'output-000000.png'));
    expect(firstDifference(out.data, wantOut.data)).toBe(-1);
    await page.getByTestId('grid-input').hover({ position: { x: 20, y: 20 } });
    await expect.poll(() => text('hover-rgb')).toMatch(/^\d{1,3}$/);
    expect(await page.locator('.grid-tooltip').textContent()).toMatch(/grey\s*\d{1,3}/);
    await page.getByTestId('grid-input').click({ position: { x: 20, y: 20 } });
    await expect.poll(() => text('sample-meta')).toMatch(/input \[1, 28, 28\] · output \[6, 26, 26\]$/);
    expect(await page.getByTestId('sample-inputs').locator('figcaption').allTextContents()).toEqual(['as the input card shows it', 'channel 0 (grey)']);
    await page.keyboard.press('Escape');
  });

  it('opens an image folder with Resize and CenterCrop, and refuses a size of 0 next to the field', async () => {
    await openPath(IMAGE_FOLDER, '20', '16');
    await expect.poll(() => page.locator('.dataset-meta').textContent()).toMatch(/^image folder \(ImageFolder\) · 3×16×16 \(RGB, 3 channels\)/);
    await openPath(IMAGE_FOLDER, '0', '');
    await expect.poll(() => text('error-datasetPath')).toMatch(/^Resize: must be from 1 to 8192, got 0$/);
    expect(pageErrors).toEqual([]);
  });
});
