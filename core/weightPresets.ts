import type { ConvWeights } from './conv2dInit';
import { weightShapeOf } from './conv2dInit';
import type { LayerConfig } from './layerConfig';
import { tensor } from './tensor';

type Kernel2d = (kH: number, kW: number) => number[][];

const binomialRow = (n: number): number[] => {
  const row = [1];
  for (let i = 1; i < n; i++) row.push((row[i - 1]! * (n - i)) / i);
  return row;
};

const centred = (kH: number, kW: number, small: number[][]): number[][] => {
  const k = Array.from({ length: kH }, () => new Array<number>(kW).fill(0));
  const top = (kH - small.length) / 2;
  const left = (kW - small[0]!.length) / 2;
  small.forEach((row, y) => row.forEach((v, x) => (k[top + y]![left + x] = v)));
  return k;
};

const outer = (a: number[], b: number[]): number[][] => a.map((x) => b.map((y) => x * y));
const sum2d = (k: number[][]): number => k.flat().reduce((s, v) => s + v, 0);
const scale = (k: number[][], f: number): number[][] => k.map((r) => r.map((v) => v * f));

/**
 * Hand-made filters so a user can watch an edge detector without training anything. Each
 * output channel filters one colour channel (o % 3 for groups=1, its group's channel for
 * groups=3), so an RGB-grouped output keeps the input's colours.
 */
const KERNELS: Record<string, { kernel: Kernel2d; oddOnly: boolean; colour?: number }> = {
  identity: { kernel: (h, w) => centred(h, w, [[1]]), oddOnly: true },
  'box-blur': { kernel: (h, w) => scale(outer(new Array(h).fill(1), new Array(w).fill(1)), 1 / (h * w)), oddOnly: false },
  'gaussian-blur': {
    // Binomial weights: the discrete Gaussian that [1, 2, 1] is for 3x3.
    kernel: (h, w) => { const k = outer(binomialRow(h), binomialRow(w)); return scale(k, 1 / sum2d(k)); },
    oddOnly: false,
  },
  'sobel-x': { kernel: (h, w) => centred(h, w, [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]), oddOnly: true },
  'sobel-y': { kernel: (h, w) => centred(h, w, [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]), oddOnly: true },
  laplacian: { kernel: (h, w) => centred(h, w, [[0, 1, 0], [1, -4, 1], [0, 1, 0]]), oddOnly: true },
  sharpen: { kernel: (h, w) => centred(h, w, [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]), oddOnly: true },
  'pass-red': { kernel: (h, w) => centred(h, w, [[1]]), oddOnly: true, colour: 0 },
  'pass-green': { kernel: (h, w) => centred(h, w, [[1]]), oddOnly: true, colour: 1 },
  'pass-blue': { kernel: (h, w) => centred(h, w, [[1]]), oddOnly: true, colour: 2 },
};

const MIN_SIZE: Record<string, number> = { 'sobel-x': 3, 'sobel-y': 3, laplacian: 3, sharpen: 3 };

export const PRESET_NAMES: readonly string[] = Object.keys(KERNELS);

/** Weights of a named preset for a 3-channel input; bias is zero when the layer has one. */
export function presetWeights(name: string, config: LayerConfig, inChannels: number, _seed: number): ConvWeights {
  // Own properties only: 'toString' or 'constructor' must not find Object.prototype's members.
  const preset = Object.hasOwn(KERNELS, name) ? KERNELS[name] : undefined;
  if (!preset) throw new Error(`unknown preset '${name}' (choose one of ${PRESET_NAMES.join(', ')})`);
  if (inChannels !== 3) throw new Error(`preset '${name}' needs 3 input channels, got ${inChannels}`);
  if (config.groups !== 1 && config.groups !== 3) throw new Error(`preset '${name}' needs groups 1 or 3, got groups=${config.groups}`);
  const [kH, kW] = config.kernelSize;
  if (preset.oddOnly && (kH % 2 === 0 || kW % 2 === 0)) {
    throw new Error(`preset '${name}' needs an odd kernel size, got ${kH}x${kW}`);
  }
  const min = (Object.hasOwn(MIN_SIZE, name) ? MIN_SIZE[name] : undefined) ?? 1;
  if (kH < min || kW < min) throw new Error(`preset '${name}' needs a kernel of at least ${min}x${min}, got ${kH}x${kW}`);
  const shape = weightShapeOf(config, inChannels);
  const [cOut, cPerGroup] = shape;
  const weight = tensor(shape);
  const k = preset.kernel(kH, kW).flat();
  for (let o = 0; o < cOut; o++) {
    // The colour this output channel filters, and where that colour sits in the weight's channel axis.
    const colour = config.groups === 1 ? o % 3 : Math.floor(o / (cOut / 3));
    const c = config.groups === 1 ? colour : 0;
    if (preset.colour !== undefined && colour !== preset.colour) continue;
    weight.data.set(k, ((o * cPerGroup + c) * kH) * kW);
  }
  return { weight, bias: config.bias ? new Float32Array(cOut) : null };
}
