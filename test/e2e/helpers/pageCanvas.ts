import type { Page } from 'playwright-core';

export interface CanvasPixels {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The canvas's own pixels (not a screenshot): one canvas pixel per image pixel, whatever the zoom. */
export async function canvasPixels(page: Page, testId: string): Promise<CanvasPixels> {
  // Base64, not a JSON array: half a million numbers through the protocol take seconds.
  const { width, height, base64 } = await page.evaluate((id) => {
    const canvas = document.querySelector(`[data-testid="${id}"]`) as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let binary = '';
    for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return { width: canvas.width, height: canvas.height, base64: btoa(binary) };
  }, testId);
  return { width, height, data: new Uint8Array(Buffer.from(base64, 'base64')) };
}

export async function canvasSize(page: Page, testId: string): Promise<[number, number]> {
  return page.evaluate((id) => {
    const canvas = document.querySelector(`[data-testid="${id}"]`) as HTMLCanvasElement;
    return [canvas.width, canvas.height] as [number, number];
  }, testId);
}

/** Resolves when the page shows `step` and the paint for it has been timed (both grids drawn). */
export async function waitForStepPainted(page: Page, step: number): Promise<void> {
  await page.waitForFunction(
    (s) => document.querySelector('[data-testid="step"]')?.textContent === String(s) && (window as unknown as { __convboardTimings?: { step: number }[] }).__convboardTimings?.at(-1)?.step === s,
    step,
  );
}

export async function paintCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __convboardPaints?: number }).__convboardPaints ?? 0);
}

/** Resolves after the next paint following `before` (from paintCount). */
export async function waitForPaintAfter(page: Page, before: number): Promise<void> {
  await page.waitForFunction((b) => ((window as unknown as { __convboardPaints?: number }).__convboardPaints ?? 0) > b, before);
}
