// The layer panel in Chromium against browser mode on the embedded sample: ReLU and MaxPool2d after
// the conv (shapes on the card and in the shape box, PyTorch's refusals next to the pool fields),
// weights from a model file (tensors that fit and why the others do not), and the weight fields
// filled from the layer's structured source after a reload.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_CONTENT_TYPE, decodeContract, encodeContract } from '../../core/contractCodec';
import type { LaunchedChromium } from './helpers/chromium';
import { paintCount, waitForPaintAfter, waitForStepPainted } from './helpers/pageCanvas';
import type { RunningServer } from './helpers/server';
import { openDashboardPage } from './helpers/dashboardPage';

const MODELS = join(__dirname, '..', 'fixtures', 'models');

let server: RunningServer;
let chromium: LaunchedChromium;
let page: Page;
const pageErrors: string[] = [];

const text = async (testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();
const outputCard = () => page.locator('[aria-label="output card"]');
const outputFooter = async () => ((await outputCard().locator('.card-footer').textContent()) ?? '').trim();
const outputDescription = async () => ((await outputCard().locator('.card-description').textContent()) ?? '').trim();

async function painted(action: () => Promise<unknown>): Promise<void> {
  const before = await paintCount(page);
  await action();
  await waitForPaintAfter(page, before);
}

async function commit(selector: string, value: string, expectPaint = true): Promise<void> {
  const act = async () => {
    await page.locator(selector).fill(value);
    await page.locator(selector).press('Tab');
  };
  if (expectPaint) await painted(act);
  else await act();
}

describe('the layer panel in Chromium', () => {
  beforeAll(async () => {
    ({ server, chromium, page } = await openDashboardPage(pageErrors));
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('MaxPool2d(2) after the conv: the card and the shape box show [64, 6, 15, 15], with both formulas', async () => {
    expect(await outputDescription()).toMatch(/^the Conv2d output/);
    await painted(() => page.getByTestId('pool-enabled').check());
    expect(await outputFooter()).toMatch(/^\[64, 6, 15, 15\] float32/);
    expect(await outputDescription()).toMatch(/^the Conv2d -> MaxPool2d output/);
    expect(await text('output-shape')).toBe('Conv2d output [64, 6, 30, 30]');
    expect(await text('formula-h')).toBe('floor((32 + 0 + 0 - 1*(3-1) - 1) / 1) + 1 = 30');
    expect(await text('layer-pool-shape')).toBe('MaxPool2d output [64, 6, 15, 15]');
    expect(await text('pool-formula-h')).toBe('floor((30 + 2*0 - 1*(2-1) - 1) / 2) + 1 = 15');
    // stride=None follows the kernel; an explicit stride and ceil_mode change the pooled shape.
    await commit('#layer-pool-kernel-h', '3');
    expect(await page.locator('#layer-pool-stride-h').inputValue()).toBe('3');
    expect(await outputFooter()).toMatch(/^\[64, 6, 10, 15\] float32/);
    await page.getByTestId('pool-stride-default').uncheck();
    await commit('#layer-pool-stride-h', '4');
    await painted(() => page.locator('#layer-pool-ceil-mode').check());
    expect(await text('layer-pool-shape')).toBe('MaxPool2d output [64, 6, 8, 15]');
    expect(await text('pool-formula-h')).toBe('ceil((30 + 2*0 - 1*(3-1) - 1) / 4) + 1 = 8');
  });

  it('ReLU shows in the caption and in "Copy as PyTorch", and survives other layer edits', async () => {
    await painted(() => page.getByTestId('layer-relu').check());
    expect(await outputDescription()).toMatch(/^the Conv2d -> ReLU -> MaxPool2d output/);
    await commit('#layer-out-channels', '4');
    expect(await page.getByTestId('layer-relu').isChecked()).toBe(true);
    expect(await page.getByTestId('pool-enabled').isChecked()).toBe(true);
    expect(await outputFooter()).toMatch(/^\[64, 4, 8, 15\] float32/);
    await page.getByTestId('layer-copy').click();
    const expected = 'torch.manual_seed(0)\nconv = nn.Conv2d(3, 4, kernel_size=3, stride=1, padding=0)\nrelu = nn.ReLU()\npool = nn.MaxPool2d(kernel_size=(3, 2), stride=(4, 2), ceil_mode=True)';
    await expect.poll(() => page.getByTestId('copied-code').textContent()).toBe(expected);
    await painted(() => page.getByTestId('layer-reset').click());
    expect(await page.getByTestId('pool-enabled').isChecked()).toBe(false);
    expect(await page.getByTestId('layer-relu').isChecked()).toBe(false);
    expect(await text('output-shape')).toBe('output shape [64, 6, 30, 30]');
    expect(await outputDescription()).toMatch(/^the Conv2d output/);
  });

  it('a pool PyTorch refuses shows its message next to the pool fields; the last output stays', async () => {
    await painted(() => page.getByTestId('pool-enabled').check());
    await commit('#layer-pool-padding-h', '2', false);
    await expect.poll(() => text('error-pool')).toBe('pool: pad should be at most half of kernel size, but got pad=2 and kernel_size=2');
    expect(await text('error-layer')).toBe('');
    expect(await outputFooter()).toMatch(/^\[64, 6, 15, 15\] float32/);
    await commit('#layer-pool-padding-h', '1');
    expect(await text('error-pool')).toBe('');
    expect(await outputFooter()).toMatch(/^\[64, 6, 16, 15\] float32/);
    await painted(() => page.getByTestId('layer-reset').click());
  });

  it('loads a tensor of a model file: only tensors that fit can be chosen, the layer follows it, the weights card names it', async () => {
    await commit('#layer-kernelSize-h', '5');
    await page.locator('#layer-weight-source').selectOption('model');
    await page.getByTestId('model-file').setInputFiles({ name: 'convnet.onnx', mimeType: 'application/octet-stream', buffer: readFileSync(join(MODELS, 'convnet.onnx')) });
    const list = page.getByTestId('model-tensors');
    await expect.poll(() => list.locator('li').count()).toBe(2);
    const conv1 = list.locator('li[data-tensor="conv1.weight"]');
    const conv2 = list.locator('li[data-tensor="conv2.weight"]');
    expect(((await conv1.textContent()) ?? '').trim()).toBe('conv1.weight [6, 3, 3, 3] float32');
    expect(await conv1.locator('input').isDisabled()).toBe(false);
    expect(await conv2.locator('input').isDisabled()).toBe(true);
    expect(await conv2.locator('.why').textContent()).toMatch(/takes 6 input channels \(groups=2\) but the images have 3/);
    await painted(() => conv1.locator('input').check());
    // The layer takes the file's kernel and the ONNX Conv's padding.
    expect(await page.locator('#layer-kernelSize-h').inputValue()).toBe('3');
    expect(await page.locator('#layer-padding-h').inputValue()).toBe('1');
    expect(await text('output-shape')).toBe('output shape [64, 6, 32, 32]');
    expect(await text('kernel-source')).toBe('from convnet.onnx : conv1.weight + conv1.bias');
    expect(await page.getByTestId('model-bias').inputValue()).toBe('conv1.bias');
    await painted(() => page.getByTestId('model-bias').selectOption({ label: 'none' }));
    expect(await text('kernel-source')).toBe('from convnet.onnx : conv1.weight');
    expect(await page.locator('#layer-bias').isChecked()).toBe(false);
  });

  it('a layer change that does not fit the file\'s weight switches the source visibly; choosing the file again reloads it', async () => {
    await commit('#layer-out-channels', '8');
    expect(await page.locator('#layer-weight-source').inputValue()).toBe('init');
    expect(await text('weight-note')).toMatch(/^convnet\.onnx : conv1\.weight does not fit this layer \(.*\); using nn\.Conv2d default init with seed 0 until it fits again$/);
    expect(await text('kernel-source')).toMatch(/^from nn\.Conv2d default init, torch\.manual_seed\(0\)/);
    // Fitting again brings the file's weight back by itself.
    await commit('#layer-out-channels', '6');
    await expect.poll(() => page.locator('#layer-weight-source').inputValue()).toBe('model');
    await expect.poll(() => text('kernel-source')).toBe('from convnet.onnx : conv1.weight');
    // Or choose it again: the layer takes the file's shape back.
    await commit('#layer-kernelSize-w', '5');
    expect(await page.locator('#layer-weight-source').inputValue()).toBe('init');
    await painted(() => page.locator('#layer-weight-source').selectOption('model'));
    expect(await page.locator('#layer-kernelSize-w').inputValue()).toBe('3');
    expect(await page.locator('#layer-padding-w').inputValue()).toBe('1');
    expect(await text('kernel-source')).toBe('from convnet.onnx : conv1.weight');
    await painted(() => page.getByTestId('layer-reset').click());
  });

  it('after a reload the seed comes from the layer\'s structured source, not from its description', async () => {
    await commit('#layer-seed', '7');
    const bodies: string[] = [];
    // The description is rewritten to words that name no seed: the fields must still say 7.
    await page.route('**/api/getLayer', async (route: Route) => {
      const response = await route.fetch();
      const decoded = decodeContract(new Uint8Array(await response.body())) as { ok: boolean; value: { weightDescription: string; source: unknown } };
      bodies.push(JSON.stringify(decoded.value.source));
      decoded.value.weightDescription = 'weights';
      await route.fulfill({ status: 200, contentType: CONTRACT_CONTENT_TYPE, body: Buffer.from(encodeContract(decoded)) });
    });
    await page.reload();
    await waitForStepPainted(page, 0);
    await page.unroute('**/api/getLayer');
    expect(bodies).toEqual([JSON.stringify({ kind: 'init', seed: 7, name: null, fallback: null })]);
    expect(await page.locator('#layer-seed').inputValue()).toBe('7');
    expect(await page.locator('#layer-weight-source').inputValue()).toBe('init');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
