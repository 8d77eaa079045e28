// core/layerShape and core/receptiveField against nn.Conv2d in PyTorch 1.13
// (tools/fixtures/makeLayerShapeFixtures.py): output shapes per batch size and the input pixels a
// position's gradient reaches.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Conv2dError } from '../core/conv2dOptions';
import { DEFAULT_LAYER, DEFAULT_VIEW, type LayerConfig } from '../core/hostContract';
import { layerShape, stepBatchCount } from '../core/layerShape';
import { receptiveField } from '../core/receptiveField';

interface Case {
  config: LayerConfig;
  shapes: Record<string, number[]>;
  fields: { outChannel: number; y: number; x: number; rows: [number, number]; cols: [number, number]; channels: [number, number] }[];
}
const { cases } = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'layerShape', 'cases.json'), 'utf8')) as { cases: Case[] };

describe('layerShape', () => {
  it.each(cases.map((c) => [JSON.stringify(c.config), c] as const))('gives PyTorch\'s output shape for every batch size: %s', (_, c) => {
    for (const [batch, shape] of Object.entries(c.shapes)) {
      expect(layerShape(c.config, [3, 32, 32], Number(batch)).outputShape).toEqual(shape);
    }
  });

  it('writes the two formula lines with the resolved padding', () => {
    const shape = layerShape({ ...DEFAULT_LAYER, kernelSize: [4, 4], padding: 'same' }, [3, 32, 32], 16);
    expect(shape.formulas.h).toBe('floor((32 + 1 + 2 - 1*(4-1) - 1) / 1) + 1 = 32');
    expect(shape.formulas.w).toBe('floor((32 + 1 + 2 - 1*(4-1) - 1) / 1) + 1 = 32');
  });

  it('refuses what PyTorch refuses, in its words', () => {
    expect(() => layerShape({ ...DEFAULT_LAYER, kernelSize: [40, 3] }, [3, 32, 32], 1)).toThrow(Conv2dError);
  });

  it('counts the images of each step as DataLoader does: the last one smaller, shuffled or not', () => {
    const view = { ...DEFAULT_VIEW, batchSize: 76 };
    expect([0, 1, 2, 3, 4].map((s) => stepBatchCount(320, view, s))).toEqual([76, 76, 76, 76, 16]);
    expect(stepBatchCount(320, { ...DEFAULT_VIEW, batchSize: 1000 }, 0)).toBe(320);
    expect(stepBatchCount(320, { ...view, shuffle: true, shuffleSeed: 3 }, 4)).toBe(16);
    expect(() => stepBatchCount(320, view, 5)).toThrow(RangeError);
  });
});

describe('receptiveField', () => {
  for (const c of cases) {
    it(`covers the pixels PyTorch's gradient reaches: ${JSON.stringify(c.config)}`, () => {
      for (const f of c.fields) {
        const got = receptiveField(c.config, [3, 32, 32], f.outChannel, f.y, f.x);
        expect([got.c0, got.c1], 'channels').toEqual(f.channels);
        if (c.config.paddingMode === 'zeros') {
          expect([[got.y0, got.y1], [got.x0, got.x1]], `position ${f.y}, ${f.x}`).toEqual([f.rows, f.cols]);
        } else {
          // Padded taps read reflected pixels too: the in-image window is part of what is read.
          expect(got.y0).toBeGreaterThanOrEqual(f.rows[0]);
          expect(got.y1).toBeLessThanOrEqual(f.rows[1]);
          expect(got.x0).toBeGreaterThanOrEqual(f.cols[0]);
          expect(got.x1).toBeLessThanOrEqual(f.cols[1]);
        }
      }
    });
  }

  it('refuses a position outside the output', () => {
    expect(() => receptiveField(DEFAULT_LAYER, [3, 32, 32], 0, 30, 0)).toThrow(/outside the 30x30 output/);
  });
});
