import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedChromium } from './chromium';
import { waitForStepPainted } from './pageCanvas';
import { startServer, type RunningServer } from './server';

export interface DashboardPage {
  server: RunningServer;
  chromium: LaunchedChromium;
  page: Page;
}

/**
 * Browser mode on the embedded sample, at 1440x900 with the clipboard allowed, step 0 painted.
 * Page errors and console errors are collected into `pageErrors` for the test to check.
 */
export async function openDashboardPage(pageErrors: string[]): Promise<DashboardPage> {
  const server = await startServer(null);
  const chromium = await launchChromium();
  await chromium.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  const page = await chromium.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(server.url);
  await waitForStepPainted(page, 0);
  return { server, chromium, page };
}
