// A full-size CIFAR-10 test batch (10000 records, 157 steps of 64) opened in the page from the
// data panel's path field, as a browser-mode user does. The records are the embedded sample's
// images repeated, so nothing is downloaded; conv2d's cost does not depend on pixel values.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedChromium } from './chromium';
import { paintCount, waitForPaintAfter, waitForStepPainted } from './pageCanvas';
import { startServer, type RunningServer } from './server';

const RECORD = 3073;
export const LARGE_BATCH_RECORDS = 10000;
const SAMPLE_BATCH = resolve(__dirname, '..', '..', '..', 'assets', 'sample', 'cifar-10-batches-bin', 'test_batch.bin');

export interface LargeBatchPage {
  /** A temporary folder: the batch file and the server's export root. */
  work: string;
  server: RunningServer;
  page: Page;
  close(): Promise<void>;
}

export async function openLargeBatch(): Promise<LargeBatchPage> {
  const work = mkdtempSync(join(tmpdir(), 'convboard-e2e-large-'));
  const sample = readFileSync(SAMPLE_BATCH);
  const records = sample.length / RECORD;
  const bytes = Buffer.alloc(LARGE_BATCH_RECORDS * RECORD);
  for (let i = 0; i < LARGE_BATCH_RECORDS; i++) sample.copy(bytes, i * RECORD, (i % records) * RECORD, ((i % records) + 1) * RECORD);
  const file = join(work, 'test_batch.bin');
  writeFileSync(file, bytes);
  const server = await startServer(null, work);
  const chromium: LaunchedChromium = await launchChromium();
  const page = await chromium.context.newPage();
  await page.goto(server.url);
  await waitForStepPainted(page, 0);
  const before = await paintCount(page);
  await page.locator('#data-path').fill(file);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await waitForPaintAfter(page, before);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  return {
    work,
    server,
    page,
    async close() {
      await chromium.close();
      await server.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
