// The benchmark's convolutions, float32 NCHW, zero padding.
export const SHAPES = [
  { id: 'S1', title: 'seed layer 64x3x32x32 -> 6, 3x3', n: 64, cIn: 3, h: 32, w: 32, cOut: 6, k: 3, stride: 1, pad: 0, dilation: 1, groups: 1 },
  { id: 'S2', title: '64x3x32x32 -> 16, 5x5 p2', n: 64, cIn: 3, h: 32, w: 32, cOut: 16, k: 5, stride: 1, pad: 2, dilation: 1, groups: 1 },
  { id: 'S3', title: '64x64x32x32 -> 64, 3x3 p1', n: 64, cIn: 64, h: 32, w: 32, cOut: 64, k: 3, stride: 1, pad: 1, dilation: 1, groups: 1 },
  { id: 'S4', title: 'dilated 64x16x32x32 -> 16, 3x3 p2 d2', n: 64, cIn: 16, h: 32, w: 32, cOut: 16, k: 3, stride: 1, pad: 2, dilation: 2, groups: 1 },
  { id: 'S5', title: 'depthwise 64x32x32x32 -> 32, 3x3 p1 g32', n: 64, cIn: 32, h: 32, w: 32, cOut: 32, k: 3, stride: 1, pad: 1, dilation: 1, groups: 32 },
  // The whole 10000-image test set through the seed layer, as the DataLoader's 157 batches.
  { id: 'S6', title: '10000 images through the seed layer, 157 batches of 64', n: 10000, batch: 64, cIn: 3, h: 32, w: 32, cOut: 6, k: 3, stride: 1, pad: 0, dilation: 1, groups: 1 },
];

export function outSize(s) {
  const eff = s.dilation * (s.k - 1) + 1;
  const hOut = Math.floor((s.h + 2 * s.pad - eff) / s.stride) + 1;
  const wOut = Math.floor((s.w + 2 * s.pad - eff) / s.stride) + 1;
  return { hOut, wOut };
}

/** 2 * N * C_out * H_out * W_out * (C_in / groups) * kH * kW, as the issue defines it. */
export function flops(s) {
  const { hOut, wOut } = outSize(s);
  return 2 * s.n * s.cOut * hOut * wOut * (s.cIn / s.groups) * s.k * s.k;
}

/** [first image, count] of each batch a shape is run as (one batch unless it is S6). */
export function batchesOf(s) {
  const size = s.batch ?? s.n;
  const out = [];
  for (let first = 0; first < s.n; first += size) out.push([first, Math.min(size, s.n - first)]);
  return out;
}

/**
 * The images whose outputs every peer writes for checking: all of them for one batch, the
 * first and the last batch for S6 (216 MB of activations otherwise).
 */
export function checkedBatches(s) {
  const b = batchesOf(s);
  return b.length === 1 ? b : [b[0], b[b.length - 1]];
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
