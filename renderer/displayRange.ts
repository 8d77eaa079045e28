import type { DisplayConfig } from '../core/displayConfig';

/** A fixed range the core would refuse, in words for the field; null when the display can be drawn. */
export function displayRangeError(display: DisplayConfig): string | null {
  if (display.normalization !== 'fixed') return null;
  const [lo, hi] = display.range ?? [NaN, NaN];
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return 'range: type a number in both fields';
  if (!(lo < hi)) return `range: the minimum (${lo}) must be less than the maximum (${hi})`;
  return null;
}
