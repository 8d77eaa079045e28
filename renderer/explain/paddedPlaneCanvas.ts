import type { PaddingMode } from '../../core/conv2dOptions';
import { paddedSourceIndex } from '../../core/paddedSourceIndex';
import { paddingModeColor } from './paddingColors';

export interface Pads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export interface PaddedPlane {
  /** One channel, h*w values in [0, 1] (ToTensor floats). */
  plane: Float32Array;
  h: number;
  w: number;
  pads: Pads;
  mode: PaddingMode;
  cell: number;
}

/** The padded-coordinate cell under a canvas point, or null outside the drawing. */
export function paddedCellAt(p: PaddedPlane, canvasX: number, canvasY: number): { iy: number; ix: number } | null {
  const c = Math.floor(canvasX / p.cell);
  const r = Math.floor(canvasY / p.cell);
  if (c < 0 || r < 0 || r >= p.pads.top + p.h + p.pads.bottom || c >= p.pads.left + p.w + p.pads.right) return null;
  return { iy: r - p.pads.top, ix: c - p.pads.left };
}

/**
 * One channel as F.pad(mode) makes it: the copied pixel's grey under the mode's tint, so the three
 * copying modes differ visibly at the border; `pointTo` draws a line from a padding cell to its source.
 */
export function drawPaddedPlane(canvas: HTMLCanvasElement, p: PaddedPlane, pointTo: { iy: number; ix: number } | null = null): void {
  const rows = p.pads.top + p.h + p.pads.bottom;
  const cols = p.pads.left + p.w + p.pads.right;
  canvas.width = cols * p.cell;
  canvas.height = rows * p.cell;
  const g = canvas.getContext('2d');
  if (!g) return;
  const tint = paddingModeColor(p.mode);
  for (let r = 0; r < rows; r++) {
    const sy = paddedSourceIndex(r - p.pads.top, p.h, p.mode);
    for (let c = 0; c < cols; c++) {
      const sx = paddedSourceIndex(c - p.pads.left, p.w, p.mode);
      const v = sy < 0 || sx < 0 ? 0 : Math.round(Math.min(1, Math.max(0, p.plane[sy * p.w + sx]!)) * 255);
      g.fillStyle = `rgb(${v}, ${v}, ${v})`;
      g.fillRect(c * p.cell, r * p.cell, p.cell, p.cell);
      const inside = r >= p.pads.top && r < p.pads.top + p.h && c >= p.pads.left && c < p.pads.left + p.w;
      if (!inside) {
        g.fillStyle = tint.fill;
        g.fillRect(c * p.cell, r * p.cell, p.cell, p.cell);
      }
    }
  }
  g.strokeStyle = '#f57c00';
  g.lineWidth = 1;
  g.strokeRect(p.pads.left * p.cell + 0.5, p.pads.top * p.cell + 0.5, p.w * p.cell - 1, p.h * p.cell - 1);
  if (!pointTo) return;
  const sy = paddedSourceIndex(pointTo.iy, p.h, p.mode);
  const sx = paddedSourceIndex(pointTo.ix, p.w, p.mode);
  const from = { x: (pointTo.ix + p.pads.left + 0.5) * p.cell, y: (pointTo.iy + p.pads.top + 0.5) * p.cell };
  g.strokeStyle = tint.line;
  g.lineWidth = 2;
  g.strokeRect(from.x - p.cell / 2 + 1, from.y - p.cell / 2 + 1, p.cell - 2, p.cell - 2);
  if (sy < 0 || sx < 0) return;
  const to = { x: (sx + p.pads.left + 0.5) * p.cell, y: (sy + p.pads.top + 0.5) * p.cell };
  g.beginPath();
  g.moveTo(from.x, from.y);
  g.lineTo(to.x, to.y);
  g.stroke();
  g.strokeRect(to.x - p.cell / 2 + 1, to.y - p.cell / 2 + 1, p.cell - 2, p.cell - 2);
}
