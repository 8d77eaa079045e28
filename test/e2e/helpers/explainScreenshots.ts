import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/**
 * Screenshots of the trace panel, one lesson (the sliding kernel, part way through) and the A/B
 * view into `dir`, from a page that already shows a painted step with the explain views mounted.
 * A/B needs two layers: it pins the current one and, when `changeLayer` is given, calls it and
 * waits for the comparison; otherwise it shows A against itself. Returns the files written.
 */
export async function takeExplainScreenshots(page: Page, dir: string, changeLayer?: () => Promise<void>): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const shoot = async (testId: string, name: string) => {
    const path = join(dir, name);
    const target = page.getByTestId(testId);
    await target.scrollIntoViewIfNeeded();
    await target.screenshot({ path });
    files.push(path);
  };

  await page.waitForSelector('[data-testid="trace-panel"][data-state="ready"]');
  await page.locator('[data-testid="trace-taps"] tbody tr').nth(4).hover();
  await shoot('trace-panel', 'explain-trace.png');

  await page.getByTestId('ab-pin').click();
  if (changeLayer) await changeLayer();
  await page.waitForSelector('[data-testid="ab-compare"][data-state="ready"]');
  await shoot('ab-compare', 'explain-ab.png');
  await page.getByTestId('ab-unpin').click();

  await page.getByTestId('tab-lessons').click();
  await page.getByTestId('lesson-tab-convolution').click();
  await page.getByTestId('lesson-scrub').fill('5');
  await shoot('lesson-convolution', 'lesson-convolution.png');
  await page.getByTestId('lesson-tab-pool').click();
  await shoot('lesson-pool', 'lesson-pool.png');
  await page.getByTestId('tab-lessons').click();
  return files;
}
