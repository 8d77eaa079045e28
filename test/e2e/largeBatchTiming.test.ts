// Step-change latency and the all-steps statistics pass on a full-size CIFAR-10 test batch
// (10000 records, 157 steps of 64). The records are the embedded sample's images repeated, so the
// test needs no download; conv2d's cost does not depend on the pixel values.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedChromium } from './helpers/chromium';
import { readPng } from './helpers/pngPixels';
import { paintCount, waitForPaintAfter, waitForStepPainted } from './helpers/pageCanvas';
import { startServer, type RunningServer } from './helpers/server';
import { recordTimings, summarize } from './helpers/timings';

const RECORD = 3073;
const RECORDS = 10000;
const SAMPLE_BATCH = resolve(__dirname, '..', '..', 'assets', 'sample', 'cifar-10-batches-bin', 'test_batch.bin');

let work: string;
let server: RunningServer;
let chromium: LaunchedChromium;
let page: Page;

describe('a 10000-image test batch in Chromium', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'convboard-e2e-large-'));
    const sample = readFileSync(SAMPLE_BATCH);
    const records = sample.length / RECORD;
    const bytes = Buffer.alloc(RECORDS * RECORD);
    for (let i = 0; i < RECORDS; i++) sample.copy(bytes, i * RECORD, (i % records) * RECORD, ((i % records) + 1) * RECORD);
    const file = join(work, 'test_batch.bin');
    writeFileSync(file, bytes);
    server = await startServer(null, work);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await page.goto(server.url);
    await waitForStepPainted(page, 0);
    // Opened from the page, as a user of browser mode does: the path field of the data panel.
    const before = await paintCount(page);
    await page.locator('#data-path').fill(file);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await waitForPaintAfter(page, before);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('opens it from the path field as a real (not synthetic) CIFAR-10 test split of 157 steps', async () => {
    expect(await page.getByTestId('synthetic-badge').count()).toBe(0);
    expect(await page.getByTestId('dataset-title').textContent()).toContain('test_batch.bin');
    expect(await page.getByTestId('error').textContent()).toBe('');
    expect(await page.getByTestId('step').textContent()).toBe('0');
    expect(await page.locator('#data-split option:checked').textContent()).toBe('test (10000 images)');
    expect(await page.locator('.step-count').textContent()).toBe('/ 156');
  });

  async function timeSteps(from: number, changes: number, dwellMs: number) {
    const start = await page.evaluate(() => window.__convboardTimings?.length ?? 0);
    for (let s = from + 1; s <= from + changes; s++) {
      await page.keyboard.press('ArrowRight');
      await waitForStepPainted(page, s);
      if (dwellMs) await page.waitForTimeout(dwellMs);
    }
    const entries = await page.evaluate((first) => (window.__convboardTimings ?? []).slice(first), start);
    expect(entries.length).toBe(changes);
    return entries;
  }

  it('times step changes pressed as soon as the last step is painted (each step new to the session)', async () => {
    const summary = summarize('10000-image test batch (157 steps of 64), default layer, next step pressed as soon as the previous one is painted', await timeSteps(0, 60, 0));
    recordTimings('testBatch10000', summary);
    console.log(`10000 images, rapid: step change -> both grids painted: median ${summary.medianMs} ms, p95 ${summary.p95Ms} ms over ${summary.samples} changes (median parts: back end ${summary.medianFetchMs} ms, worker compute ${summary.medianComputeMs} ms, drawing ${summary.medianDrawMs} ms)`);
  });

  it('times step changes with 0.6 s spent looking at each step (the next one is prefetched meanwhile)', async () => {
    const summary = summarize('10000-image test batch, default layer, 0.6 s on each step before pressing Right', await timeSteps(60, 30, 600));
    recordTimings('testBatch10000Browsing', summary);
    console.log(`10000 images, browsing: step change -> both grids painted: median ${summary.medianMs} ms, p95 ${summary.p95Ms} ms over ${summary.samples} changes`);
  });

  it('cancels an export of all steps midway, leaving only whole PNGs', async () => {
    // Browser mode writes only under the server's export root (here `work`): the page names a sub-folder.
    const dir = join(work, 'cancelled-export');
    await page.locator('#export-dir').fill('cancelled-export');
    await page.getByTestId('export-all').click();
    await expect.poll(async () => Number(await page.getByTestId('export-progress').getAttribute('value')), { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(2);
    await page.locator('.panel[aria-label="Export"]').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('export-status').textContent(), { timeout: 60_000 }).toBe('export cancelled; no partial files were left');
    const files = readdirSync(dir, { recursive: true }).map(String);
    expect(files.filter((f) => !f.endsWith('.png') && !['input', 'output'].includes(f))).toEqual([]);
    const pngs = files.filter((f) => f.endsWith('.png'));
    expect(pngs.length).toBeLessThan(2 * 157);
    for (const f of pngs) expect(() => readPng(join(dir, f)), f).not.toThrow();
    expect(await page.getByTestId('error').textContent()).toBe('');
  }, 120_000);

  it('computes per-channel statistics over all 157 steps (time and memory of the serving process)', async () => {
    let peakRss = process.memoryUsage().rss;
    const baseRss = peakRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const t0 = performance.now();
    await page.getByTestId('stats-start').click();
    await expect.poll(() => page.getByTestId('stats-progress-text').textContent(), { timeout: 120_000, interval: 100 }).toBe('done: 157 steps');
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const mb = (b: number) => Math.round(b / 1048576);
    const record = { dataset: '10000-image test batch, default layer', seconds: Math.round(seconds * 100) / 100, rssBeforeMB: mb(baseRss), rssPeakMB: mb(peakRss), measuredAt: new Date().toISOString() };
    recordTimings('statsPass10000', record);
    console.log(`stats pass over 157 steps: ${record.seconds} s; serving process RSS ${record.rssBeforeMB} MB -> peak ${record.rssPeakMB} MB`);
    expect(seconds).toBeGreaterThan(0);
  }, 180_000);
});
