import type { PaddingMode } from './conv2dOptions';

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
