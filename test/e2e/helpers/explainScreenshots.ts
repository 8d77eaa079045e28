import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/**
 * Screenshots of the trace panel, the layer geometry, two lessons (the sliding kernel, part way through) and the A/B
 * view into `dir`, from a page that already shows a painted step with the explain views mounted.
 * A/B needs two layers: it pins the current one and, when `changeLayer` is given, calls it and
 * waits for the comparison; otherwise it shows A against itself. Returns the files written.
 */
export async function takeExplainScreenshots(page: Page, dir: string, changeLayer?: () => Promise<void>): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const shoot = async (testId: string, name: string) => {
    const path = join(dir, name);
    // The app bar is sticky: scroll the element below it, then clip the page to the element.
    await page.getByTestId(testId).evaluate((el) => {
      el.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -(document.querySelector('.appbar')?.getBoundingClientRect().height ?? 0) - 8);
    });
    const box = await page.getByTestId(testId).boundingBox();
    if (!box) throw new Error(`screenshots: ${testId} is not visible`);
    await page.screenshot({ path, clip: box });
    files.push(path);
  };

  const tab = (name: string) => page.getByTestId(`explain-tab-${name}`).click();
  await page.waitForSelector('[data-testid="trace-panel"][data-state="ready"]');
  await tab('trace');
  await page.locator('[data-testid="trace-taps"] tbody tr').nth(4).hover();
  await shoot('trace-panel', 'explain-trace.png');

  await tab('geometry');
  await shoot('layer-geometry', 'explain-geometry.png');

  await tab('ab');
  await page.getByTestId('ab-pin').click();
  if (changeLayer) await changeLayer();
  await page.waitForSelector('[data-testid="ab-compare"][data-state="ready"]');
  await shoot('ab-compare', 'explain-ab.png');
  await page.getByTestId('ab-unpin').click();
  await tab('trace');

  await page.getByTestId('tab-lessons').click();
  await page.getByTestId('lesson-tab-convolution').click();
  await page.getByTestId('lesson-scrub').fill('5');
  await shoot('lesson-convolution', 'lesson-convolution.png');
  await page.getByTestId('lesson-tab-pool').click();
  await shoot('lesson-pool', 'lesson-pool.png');
  await page.getByTestId('tab-images').click();
  return files;
}
