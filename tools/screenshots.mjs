// Refreshes the README's screenshots (docs/screenshots/*.png): builds, runs `convboard serve` on the
// embedded sample, and photographs the page in Debian's Chromium at common window sizes.
// Run with `node tools/screenshots.mjs` (CHROMIUM_PATH overrides /usr/bin/chromium). Not a test:
// the e2e suite writes its own shots to out/screenshots and never touches docs/.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { stdio: 'inherit' });
mkdirSync(out, { recursive: true });

/** `convboard serve --port 0` and the URL it prints. */
function startServer() {
  const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolveUrl, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('convboard serve printed no URL within 30 s')), 30_000);
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const match = /https?:\/\/\S+/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolveUrl({ url: match[0], child });
      }
    });
    child.on('exit', (code) => reject(new Error(`convboard serve exited with status ${code} before printing a URL`)));
  });
}

async function waitForStep(page, step) {
  await page.waitForFunction((s) => document.querySelector('[data-testid="step"]')?.textContent === String(s) && window.__convboardTimings?.at(-1)?.step === s, step);
}

async function painted(page, action) {
  const before = await page.evaluate(() => window.__convboardPaints ?? 0);
  await action();
  await page.waitForFunction((b) => (window.__convboardPaints ?? 0) > b, before);
}

const { url, child } = await startServer();
const profile = mkdtempSync(join(tmpdir(), 'convboard-shots-'));
const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, deviceScaleFactor: 1, viewport: { width: 1440, height: 900 } });
try {
  const page = await context.newPage();
  await page.goto(url);
  await waitForStep(page, 0);
  for (const [width, height] of [[1024, 700], [1440, 900], [1920, 1080]]) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300); // the fitted zoom follows the resize
    const output = page.getByTestId('grid-output');
    const box = await output.boundingBox();
    if (box) await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.2);
    await page.screenshot({ path: join(out, `main-view-${width}x${height}.png`) });
    console.log(`wrote docs/screenshots/main-view-${width}x${height}.png`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  await painted(page, () => page.locator('#layer-weight-source').selectOption('preset'));
  await painted(page, () => page.locator('#layer-preset').selectOption('sobel-x'));
  await painted(page, () => page.locator('#display-preset').selectOption('diverging'));
  const output = page.getByTestId('grid-output');
  const box = await output.boundingBox();
  if (box) await page.mouse.move(box.x + 40, box.y + 40);
  await page.screenshot({ path: join(out, 'layer-changed.png') });
  console.log('wrote docs/screenshots/layer-changed.png');

  await page.mouse.move(0, 0);
  await page.getByTestId('stats-start').click();
  await page.waitForFunction(() => /^done/.test(document.querySelector('[data-testid="stats-progress-text"]')?.textContent ?? ''), undefined, { timeout: 60_000 });
  await page.locator('.charts').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(out, 'charts.png') });
  console.log('wrote docs/screenshots/charts.png');

  // The explain views and a lesson, each clipped to its element (the app bar is sticky: scroll the
  // element below it first).
  const shoot = async (testId, name) => {
    await page.getByTestId(testId).evaluate((el) => {
      el.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -(document.querySelector('.appbar')?.getBoundingClientRect().height ?? 0) - 8);
      // In the dashboard the step toolbar sticks to the top of the scrolled content column.
      const content = el.closest('.content');
      const toolbar = document.querySelector('.toolbar');
      if (content && toolbar) content.scrollTop -= toolbar.getBoundingClientRect().height + 8;
    });
    const clip = await page.getByTestId(testId).boundingBox();
    if (!clip) throw new Error(`screenshots: ${testId} is not visible`);
    await page.screenshot({ path: join(out, name), clip });
    console.log(`wrote docs/screenshots/${name}`);
  };
  await page.getByTestId('explain-tab-trace').click();
  const grid = page.getByTestId('grid-output');
  const scale = ((await grid.boundingBox())?.width ?? 1) / (await grid.evaluate((c) => c.width));
  await grid.click({ position: { x: 12.5 * scale, y: 9.5 * scale } });
  await page.waitForSelector('[data-testid="grid-input-trace-marks"] [data-trace-mark="trace-field"]', { state: 'attached', timeout: 10_000 });
  await page.locator('[data-testid="trace-taps"] tbody tr').nth(4).hover();
  await shoot('trace-panel', 'trace-panel.png');

  await page.getByTestId('explain-tab-ab').click();
  await page.getByTestId('ab-pin').click();
  await painted(page, () => page.locator('#layer-preset').selectOption('sobel-y'));
  await page.waitForFunction(() => {
    const ab = document.querySelector('[data-testid="ab-compare"]');
    const diff = document.querySelector('[data-testid="ab-max-diff"]')?.textContent ?? '0';
    return ab?.getAttribute('data-state') === 'ready' && diff !== '0';
  });
  await shoot('ab-compare', 'ab-compare.png');

  await page.getByTestId('tab-lessons').click();
  await page.getByTestId('lesson-tab-convolution').click();
  await page.getByTestId('lesson-scrub').fill('5');
  await shoot('lesson-convolution', 'lesson-convolution.png');
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  child.kill('SIGTERM');
}
