import type { Conv2dPlan, PaddingMode } from './conv2dOptions';

/**
 * Where padded coordinate i (in [-before, length + after)) reads from, as F.pad's modes define it.
 * Returns -1 for zero padding. The plan has already refused paddings PyTorch refuses, so reflect
 * never reaches past one bounce and circular never wraps twice.
 */
export function paddedSourceIndex(i: number, length: number, mode: PaddingMode): number {
  if (i >= 0 && i < length) return i;
  switch (mode) {
    case 'zeros':
      return -1;
    case 'reflect':
      return i < 0 ? -i : 2 * (length - 1) - i;
    case 'replicate':
      return i < 0 ? 0 : length - 1;
    case 'circular':
      return i < 0 ? i + length : i - length;
  }
}

/**
 * Materialises the padded input [N, C_in, H + pads, W + pads] the way nn.Conv2d does for
 * non-zero padding modes (F.pad first, then an unpadded convolution).
 */
export function padInput(plan: Conv2dPlan, input: Float32Array): { data: Float32Array; h: number; w: number } {
  const { n, cIn, h, w, padTop, padBottom, padLeft, padRight, paddingMode } = plan;
  const ph = h + padTop + padBottom;
  const pw = w + padLeft + padRight;
  const out = new Float32Array(n * cIn * ph * pw);
  const colSource = new Int32Array(pw);
  for (let x = 0; x < pw; x++) colSource[x] = paddedSourceIndex(x - padLeft, w, paddingMode);
  for (let plane = 0; plane < n * cIn; plane++) {
    const src = plane * h * w;
    const dst = plane * ph * pw;
    for (let y = 0; y < ph; y++) {
      const sy = paddedSourceIndex(y - padTop, h, paddingMode);
      if (sy < 0) continue;
      const row = src + sy * w;
      const outRow = dst + y * pw;
      for (let x = 0; x < pw; x++) {
        const sx = colSource[x]!;
        if (sx >= 0) out[outRow + x] = input[row + sx]!;
      }
    }
  }
  return { data: out, h: ph, w: pw };
}
