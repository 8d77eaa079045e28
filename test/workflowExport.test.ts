import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2d } from '../core/conv2d';
import { defaultConv2dWeights } from '../core/conv2dInit';
import { DEFAULT_LAYER } from '../core/hostContract';
import { parseNpy } from '../core/npy';
import { tensor } from '../core/tensor';
import { bytesToTensorData } from '../core/toTensor';
import { runCli } from './helpers/runCli';

// Fixtures: tools/fixtures/makeWorkflowFixtures.py ran the README's workflow with real
// torchvision (CIFAR10 + ToTensor + DataLoader), nn.Conv2d after manual_seed(0), and
// TensorBoard's make_grid/image() conversion, on the embedded sample.
const FIX = join(__dirname, 'fixtures/workflow');
const workflow = JSON.parse(readFileSync(join(FIX, 'workflow.json'), 'utf8')) as {
  images: number; steps: { step: number; images: number; labels: number[] }[];
};

function rgbOf(path: string): { width: number; height: number; rgb: number[] } {
  const png = PNG.sync.read(readFileSync(path));
  const rgb: number[] = [];
  for (let i = 0; i < png.data.length; i += 4) rgb.push(png.data[i]!, png.data[i + 1]!, png.data[i + 2]!);
  return { width: png.width, height: png.height, rgb };
}

function firstDifference(a: number[], b: number[]): string | null {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `pixel ${Math.floor(i / 3)} channel ${i % 3}: ${a[i]} vs ${b[i]}`;
  return null;
}

describe('convboard export with no options is the workflow as TensorBoard shows it', () => {
  let out = '';
  let status: number | null = null;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'convboard-workflow-'));
    status = runCli(['export', '--out', out]).status;
  });

  it('writes input/NNNNNN.png and output/NNNNNN.png for every step of the sample', () => {
    expect(status).toBe(0);
    const names = workflow.steps.map((s) => `${String(s.step).padStart(6, '0')}.png`);
    expect(readdirSync(join(out, 'input')).sort()).toEqual(names);
    expect(readdirSync(join(out, 'output')).sort()).toEqual(names);
  });

  for (const s of workflow.steps) {
    it(`step ${s.step}: input and output grids equal add_images' pixels`, () => {
      const n = String(s.step).padStart(6, '0');
      for (const card of ['input', 'output']) {
        const ours = rgbOf(join(out, card, `${n}.png`));
        const theirs = rgbOf(join(FIX, `${card}-${n}.png`));
        expect([ours.width, ours.height], card).toEqual([theirs.width, theirs.height]);
        expect(firstDifference(ours.rgb, theirs.rgb), card).toBeNull();
      }
    });
  }

  it('has the grid sizes docs/semantics.md gives: 256x256 input, 240x480 output', () => {
    const input = rgbOf(join(out, 'input', '000000.png'));
    const output = rgbOf(join(out, 'output', '000000.png'));
    expect([input.width, input.height]).toEqual([256, 256]);
    expect([output.width, output.height]).toEqual([240, 480]);
  });

  it('computes the activations of torch.manual_seed(0); nn.Conv2d(3, 6, 3) within float32 rounding', async () => {
    const { openDataset } = await import('../main/datasets/datasetSource');
    const { gatherBatch } = await import('../core/cifarBinary');
    const ds = await openDataset(null);
    const pixels = new Uint8Array(4 * 3072);
    gatherBatch(ds.records.test!, Uint32Array.from([0, 1, 2, 3]), pixels, new Uint16Array(4));
    const x = tensor([4, 3, 32, 32]);
    bytesToTensorData(pixels, x.data);
    const w = defaultConv2dWeights(DEFAULT_LAYER, 3, 0);
    const y = conv2d(x, w.weight, w.bias);
    const ref = parseNpy(new Uint8Array(readFileSync(join(FIX, 'output-000000-first4.npy'))), 'ref');
    expect(y.shape).toEqual(ref.shape);
    let worst = 0;
    for (let i = 0; i < y.data.length; i++) worst = Math.max(worst, Math.abs(y.data[i]! - ref.data[i]!));
    expect(worst).toBeLessThan(1e-6);
  });
});
