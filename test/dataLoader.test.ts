import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shuffledOrder, stepCount, stepIndices, torchRandperm } from '../core/dataLoader';
import { DEFAULT_VIEW, type ViewConfig } from '../core/hostContract';

interface PermCase { n: number; seed: number; randperm: number[] | null; randpermSha256: string; loaderOrder: number[] | null; head: number[]; tail: number[]; loaderSha256: string }
interface LoaderCase { n: number; batchSize: number; dropLast: boolean; shuffleSeed: number | null; steps: number; first: number[]; last: number[] }
// From PyTorch 1.13 (tools/fixtures/makeDataFixtures.py).
const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'data', 'randperm.json'), 'utf8')) as { randperm: PermCase[]; loaders: LoaderCase[] };

const view = (v: Partial<ViewConfig>): ViewConfig => ({ ...DEFAULT_VIEW, ...v });
const sha = (a: Uint32Array) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
const allSteps = (n: number, v: ViewConfig) => Array.from({ length: stepCount(n, v) }, (_, k) => [...stepIndices(n, v, k)]);

describe('stepCount / stepIndices without shuffle (SequentialSampler)', () => {
  it('splits the 10000-image test set into 157 steps of 64, the last of 16', () => {
    expect(stepCount(10000, DEFAULT_VIEW)).toBe(157);
    const last = stepIndices(10000, DEFAULT_VIEW, 156);
    expect(last.length).toBe(16);
    expect(last[0]).toBe(9984);
    expect(last[15]).toBe(9999);
    const k = stepIndices(10000, DEFAULT_VIEW, 3);
    expect([...k]).toEqual(Array.from({ length: 64 }, (_, i) => 192 + i));
  });

  it('drops the short last batch with drop_last', () => {
    const v = view({ dropLast: true });
    expect(stepCount(10000, v)).toBe(156);
    expect(() => stepIndices(10000, v, 156)).toThrow(/step 156 is outside 0..155/);
    expect(stepCount(10, view({ batchSize: 64, dropLast: true }))).toBe(0);
    expect(stepCount(128, view({ dropLast: true }))).toBe(2);
    expect(stepCount(0, DEFAULT_VIEW)).toBe(0);
  });

  it('agrees with PyTorch DataLoaders batch for batch (first and last batch, step count)', () => {
    for (const c of fixture.loaders) {
      const v = view({ batchSize: c.batchSize, dropLast: c.dropLast, shuffle: c.shuffleSeed !== null, shuffleSeed: c.shuffleSeed ?? 0 });
      expect(stepCount(c.n, v), JSON.stringify(c)).toBe(c.steps);
      expect([...stepIndices(c.n, v, 0)]).toEqual(c.first);
      expect([...stepIndices(c.n, v, c.steps - 1)]).toEqual(c.last);
    }
  });

  it('refuses bad batch sizes, counts and steps', () => {
    expect(() => stepCount(10, view({ batchSize: 0 }))).toThrow(/batch size must be a whole number >= 1, got 0/);
    expect(() => stepCount(10, view({ batchSize: 2.5 }))).toThrow(/batch size/);
    expect(() => stepCount(-1, DEFAULT_VIEW)).toThrow(/dataset size/);
    expect(() => stepIndices(100, DEFAULT_VIEW, -1)).toThrow(/step -1 is outside 0..1/);
    expect(() => stepIndices(100, DEFAULT_VIEW, 1.5)).toThrow(/step 1.5/);
    expect(() => stepIndices(100, view({ shuffle: true, shuffleSeed: 0.5 }), 0)).toThrow(/seed must be a whole number/);
  });
});

describe('shuffle: PyTorch generator, same order on every machine', () => {
  it('torchRandperm equals torch.randperm(n, generator=torch.Generator().manual_seed(seed))', () => {
    for (const c of fixture.randperm) {
      const ours = torchRandperm(c.n, c.seed);
      if (c.randperm) expect([...ours], `n=${c.n} seed=${c.seed}`).toEqual(c.randperm);
      expect(sha(ours), `n=${c.n} seed=${c.seed}`).toBe(c.randpermSha256);
    }
  });

  it('the shuffled epoch equals DataLoader(shuffle=True, generator=Generator().manual_seed(seed))', () => {
    for (const c of fixture.randperm) {
      const order = shuffledOrder(c.n, c.seed);
      if (c.loaderOrder) expect([...order]).toEqual(c.loaderOrder);
      expect([...order.subarray(0, 20)]).toEqual(c.head);
      expect([...order.subarray(order.length - 20)]).toEqual(c.tail.slice(-Math.min(20, c.n)));
      expect(sha(order), `n=${c.n} seed=${c.seed}`).toBe(c.loaderSha256);
    }
  });

  it('steps of a shuffled loader are consecutive slices of one permutation', () => {
    const v = view({ shuffle: true, shuffleSeed: 42, batchSize: 64 });
    const steps = allSteps(320, v);
    expect(steps).toHaveLength(5);
    expect(steps.flat()).toEqual([...shuffledOrder(320, 42)]);
    expect([...steps.flat()].sort((a, b) => a - b)).toEqual(Array.from({ length: 320 }, (_, i) => i));
    expect(allSteps(320, v)).toEqual(steps);
    expect(allSteps(320, view({ shuffle: true, shuffleSeed: 43 }))).not.toEqual(steps);
  });

  it('shuffledOrder hands out a copy, so callers cannot disturb later steps', () => {
    const a = shuffledOrder(100, 1);
    a.fill(0);
    expect([...shuffledOrder(100, 1)].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
