// A 10000-image test batch in Chromium: opened from the path field, and an export of all 157
// steps cancelled midway. Speed on the same batch is measured by `npm run bench:ui`, not here.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLargeBatch, type LargeBatchPage } from './helpers/largeBatch';
import { readPng } from './helpers/pngPixels';

let large: LargeBatchPage;

describe('a 10000-image test batch in Chromium', () => {
  beforeAll(async () => {
    large = await openLargeBatch();
  });

  afterAll(async () => {
    await large?.close();
  });

  it('opens it from the path field as a real (not synthetic) CIFAR-10 test split of 157 steps', async () => {
    const { page } = large;
    expect(await page.getByTestId('synthetic-badge').count()).toBe(0);
    expect(await page.getByTestId('dataset-title').textContent()).toContain('test_batch.bin');
    expect(await page.getByTestId('error').textContent()).toBe('');
    expect(await page.getByTestId('step').textContent()).toBe('0');
    expect(await page.locator('#data-split option:checked').textContent()).toBe('test (10000 images)');
    expect(await page.locator('.step-count').textContent()).toBe('/ 156');
  });

  it('cancels an export of all steps midway, leaving exactly the complete prefix of steps its message names', async () => {
    const { page, work } = large;
    // Browser mode writes only under the server's export root (here `work`): the page names a sub-folder.
    const dir = join(work, 'cancelled-export');
    await page.locator('#export-dir').fill('cancelled-export');
    await page.getByTestId('export-all').click();
    await expect.poll(async () => Number(await page.getByTestId('export-progress').getAttribute('value')), { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(2);
    await page.locator('.panel[aria-label="Export"]').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('export-status').textContent(), { timeout: 60_000 }).toMatch(/^export cancelled/);
    const status = (await page.getByTestId('export-status').textContent()) ?? '';
    const m = /after steps 0-(\d+); files for steps 0-(\d+) are complete/.exec(status);
    expect(m, status).not.toBeNull();
    const last = Number(m![1]);
    expect(last).toBeLessThan(156);
    const names = (sub: string) => readdirSync(join(dir, sub)).sort();
    const expected = Array.from({ length: last + 1 }, (_, k) => `${String(k).padStart(6, '0')}.png`);
    // No hole, nothing past the prefix, no temporary file.
    expect(names('input')).toEqual(expected);
    expect(names('output')).toEqual(expected);
    for (const f of expected) {
      expect(() => readPng(join(dir, 'input', f)), f).not.toThrow();
      expect(() => readPng(join(dir, 'output', f)), f).not.toThrow();
    }
    expect(await page.getByTestId('error').textContent()).toBe('');
  }, 120_000);
});
