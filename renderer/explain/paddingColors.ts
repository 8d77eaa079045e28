import type { PaddingMode } from '../../core/conv2dOptions';

export interface PaddingTint {
  /** Laid over the copied pixel, so the band stays recognisable and the copy still shows through. */
  fill: string;
  /** Lines from a padding cell to the pixel it copies, and the legend swatch. */
  line: string;
  label: string;
}

const TINTS: Record<PaddingMode, PaddingTint> = {
  zeros: { fill: 'rgba(95, 99, 104, 0.35)', line: '#5f6368', label: 'zeros: reads 0' },
  reflect: { fill: 'rgba(142, 36, 170, 0.35)', line: '#8e24aa', label: 'reflect: mirrors without repeating the edge' },
  replicate: { fill: 'rgba(0, 137, 123, 0.35)', line: '#00897b', label: 'replicate: repeats the edge pixel' },
  circular: { fill: 'rgba(26, 115, 232, 0.35)', line: '#1a73e8', label: 'circular: wraps to the opposite side' },
};

export function paddingModeColor(mode: PaddingMode): PaddingTint {
  return TINTS[mode];
}
