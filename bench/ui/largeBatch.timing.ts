// `npm run bench:ui`: how fast the page follows the user on a 10000-image test batch (step change
// to both grids painted) and how long the all-steps statistics pass takes, in Chromium on this
// machine. Numbers go to out/e2e-timings.json; nothing here asserts a duration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLargeBatch, type LargeBatchPage } from '../../test/e2e/helpers/largeBatch';
import { waitForStepPainted } from '../../test/e2e/helpers/pageCanvas';
import { recordTimings, summarize } from '../../test/e2e/helpers/timings';

let large: LargeBatchPage;

async function timeSteps(from: number, changes: number, dwellMs: number) {
  const { page } = large;
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

describe('10000-image test batch in Chromium: timings', () => {
  beforeAll(async () => {
    large = await openLargeBatch();
  });

  afterAll(async () => {
    await large?.close();
  });

  it('step changes pressed as soon as the last step is painted (each step new to the session)', async () => {
    const summary = summarize('10000-image test batch (157 steps of 64), default layer, next step pressed as soon as the previous one is painted', await timeSteps(0, 60, 0));
    recordTimings('testBatch10000', summary);
    console.log(`10000 images, rapid: step change -> both grids painted: median ${summary.medianMs} ms, p95 ${summary.p95Ms} ms over ${summary.samples} changes (median parts: back end ${summary.medianFetchMs} ms, worker compute ${summary.medianComputeMs} ms, drawing ${summary.medianDrawMs} ms)`);
  });

  it('step changes with 0.6 s spent looking at each step (the next one is prefetched meanwhile)', async () => {
    const summary = summarize('10000-image test batch, default layer, 0.6 s on each step before pressing Right', await timeSteps(60, 30, 600));
    recordTimings('testBatch10000Browsing', summary);
    console.log(`10000 images, browsing: step change -> both grids painted: median ${summary.medianMs} ms, p95 ${summary.p95Ms} ms over ${summary.samples} changes`);
  });

  it('per-channel statistics over all 157 steps (time and memory of the serving process)', async () => {
    const { page } = large;
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
  }, 180_000);
});
