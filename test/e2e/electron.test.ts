// The same scenario as the browser-mode suite, in the Electron app itself (IPC host, preload,
// custom protocol), driven by playwright-core's Electron support. Needs an Electron binary.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepPngNames } from '../../main/output/stepPngs';
import { findElectronBinary } from './helpers/electronBinary';
import { outputGridSize } from './helpers/gridSize';
import { canvasPixels, canvasSize, paintCount, waitForPaintAfter, waitForStepPainted } from './helpers/pageCanvas';
import { firstDifference, readPng } from './helpers/pngPixels';

const ROOT = resolve(__dirname, '..', '..');
const electron = findElectronBinary();
// Said where a CI log shows it, not only in a skipped test's title.
if (electron.path === null) console.log(`Electron end-to-end test SKIPPED: ${electron.why}`);

describe.skipIf(electron.path === null)('Electron app', () => {
  let app: ElectronApplication;
  let page: Page;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'convboard-electron-'));
    app = await _electron.launch({
      executablePath: electron.path!,
      args: [join(ROOT, 'dist', 'electronMain.js'), '--no-sandbox', '--disable-gpu'],
      cwd: ROOT,
      env: { ...process.env, ELECTRON_DISABLE_SECURITY_WARNINGS: '1' },
    });
    page = await app.firstWindow();
    await waitForStepPainted(page, 0);
  });

  afterAll(async () => {
    await app?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('opens on the embedded sample through the IPC host, not HTTP', async () => {
    expect(await page.evaluate(() => typeof (window as unknown as { convboard?: unknown }).convboard)).toBe('object');
    expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await page.getByTestId('synthetic-badge').textContent()).toBe('synthetic sample');
    expect(await canvasSize(page, 'grid-output')).toEqual([240, 480]);
  });

  it('steps with the keyboard', async () => {
    await page.keyboard.press('ArrowRight');
    await waitForStepPainted(page, 1);
    await page.keyboard.press('Home');
    await waitForStepPainted(page, 0);
  });

  it('shows the pixels `convboard export` writes', async () => {
    const out = join(work, 'cli');
    execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'export', '--steps', '0-0', '--out', out], { stdio: 'pipe' });
    const png = readPng(join(out, stepPngNames(0).output));
    expect(firstDifference((await canvasPixels(page, 'grid-output')).data, png.data)).toBe(-1);
  });

  it('changes stride and sees the shape and grid change', async () => {
    for (const id of ['#layer-stride-h', '#layer-stride-w']) {
      const before = await paintCount(page);
      await page.locator(id).fill('2');
      await page.locator(id).press('Tab');
      await waitForPaintAfter(page, before);
    }
    expect(await page.getByTestId('output-shape').textContent()).toBe('output shape [64, 6, 15, 15]');
    expect(await canvasSize(page, 'grid-output')).toEqual(outputGridSize(64, 6, 15, 15));
  });

  it('shows an error for a bad .npy and keeps working', async () => {
    await page.locator('#layer-weight-source').selectOption('npy');
    await page.locator('#layer-weight-npy').setInputFiles({ name: 'bad.npy', mimeType: 'application/octet-stream', buffer: Buffer.from('not numpy') });
    await page.getByRole('button', { name: 'Load .npy' }).click();
    await expect.poll(async () => (await page.getByTestId('error').textContent()) ?? '').toContain('bad.npy');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('ArrowRight');
    await waitForStepPainted(page, 1);
  });
});

describe.skipIf(electron.path !== null)('Electron app (skipped)', () => {
  it.skip(`needs an Electron binary: ${electron.path === null ? electron.why : ''}`, () => {});
});
