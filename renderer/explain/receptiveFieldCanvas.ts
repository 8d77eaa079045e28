import type { Conv2dPlan } from '../../core/conv2dOptions';
import type { ConvTap } from '../../core/convTrace';
import { receptiveField } from '../../core/convTrace';
import { paddedSourceIndex } from '../../core/paddedSourceIndex';
import { paddingModeColor } from './paddingColors';

/** Largest CSS width of the drawing; cells shrink to fit bigger padded inputs. */
const MAX_WIDTH = 320;

export interface FieldDrawing {
  plan: Conv2dPlan;
  /** ToTensor floats of the whole step, NCHW. */
  input: Float32Array;
  sample: number;
  /** The input channels shown: three draw as RGB, otherwise the first one as grey. */
  channels: readonly number[];
  y: number;
  x: number;
  taps: readonly ConvTap[];
  highlighted: ConvTap | null;
}

function pixelColor(d: FieldDrawing, sy: number, sx: number): [number, number, number] {
  const { plan, input, sample } = d;
  const at = (c: number) => Math.round(Math.min(1, Math.max(0, input[((sample * plan.cIn + c) * plan.h + sy) * plan.w + sx]!)) * 255);
  if (d.channels.length === 3) return [at(d.channels[0]!), at(d.channels[1]!), at(d.channels[2]!)];
  const g = at(d.channels[0]!);
  return [g, g, g];
}

/**
 * The padded input of one image with the taps of one output value: every tap cell outlined (so
 * dilation gaps show as untouched cells), padding as a tinted band of its real width on each side
 * (so 'same' with an even kernel shows one side wider), and the next output's field to the right
 * dashed, which shows the stride.
 */
export function drawReceptiveField(canvas: HTMLCanvasElement, d: FieldDrawing): void {
  const { plan } = d;
  const rows = plan.padTop + plan.h + plan.padBottom;
  const cols = plan.padLeft + plan.w + plan.padRight;
  const cell = Math.max(2, Math.min(12, Math.floor(MAX_WIDTH / Math.max(rows, cols))));
  canvas.width = cols * cell;
  canvas.height = rows * cell;
  const g = canvas.getContext('2d');
  if (!g) return;
  const tint = paddingModeColor(plan.paddingMode);
  for (let r = 0; r < rows; r++) {
    const iy = r - plan.padTop;
    const sy = paddedSourceIndex(iy, plan.h, plan.paddingMode);
    for (let c = 0; c < cols; c++) {
      const ix = c - plan.padLeft;
      const sx = paddedSourceIndex(ix, plan.w, plan.paddingMode);
      const inside = iy >= 0 && iy < plan.h && ix >= 0 && ix < plan.w;
      if (sy < 0 || sx < 0) g.fillStyle = '#e8eaed';
      else {
        const [rr, gg, bb] = pixelColor(d, sy, sx);
        g.fillStyle = `rgb(${rr}, ${gg}, ${bb})`;
      }
      g.fillRect(c * cell, r * cell, cell, cell);
      if (!inside) {
        g.fillStyle = tint.fill;
        g.fillRect(c * cell, r * cell, cell, cell);
      }
    }
  }
  // The real image's border, so the padding band reads as outside it.
  g.strokeStyle = '#202124';
  g.lineWidth = 1;
  g.strokeRect(plan.padLeft * cell + 0.5, plan.padTop * cell + 0.5, plan.w * cell - 1, plan.h * cell - 1);

  if (d.x + 1 < plan.wOut) {
    const next = receptiveField(plan, d.y, d.x + 1);
    g.setLineDash([4, 3]);
    g.strokeStyle = '#1a73e8';
    g.strokeRect((next.left + plan.padLeft) * cell + 0.5, (next.top + plan.padTop) * cell + 0.5, (next.right - next.left + 1) * cell - 1, (next.bottom - next.top + 1) * cell - 1);
    g.setLineDash([]);
  }
  const field = receptiveField(plan, d.y, d.x);
  g.strokeStyle = '#e65100';
  g.lineWidth = Math.max(1, Math.min(2, cell / 4));
  for (const r of field.rows) {
    for (const c of field.cols) g.strokeRect((c + plan.padLeft) * cell + 1, (r + plan.padTop) * cell + 1, cell - 2, cell - 2);
  }
  const hi = d.highlighted;
  if (hi) {
    const hx = (hi.ix + plan.padLeft) * cell;
    const hy = (hi.iy + plan.padTop) * cell;
    g.fillStyle = 'rgba(230, 81, 0, 0.55)';
    g.fillRect(hx, hy, cell, cell);
    if (hi.mode !== 'inside' && hi.sourceY !== null && hi.sourceX !== null) {
      // A padding tap: a line to the real pixel it copies.
      const sx = (hi.sourceX + plan.padLeft) * cell;
      const sy = (hi.sourceY + plan.padTop) * cell;
      g.strokeStyle = tint.line;
      g.lineWidth = 2;
      g.beginPath();
      g.moveTo(hx + cell / 2, hy + cell / 2);
      g.lineTo(sx + cell / 2, sy + cell / 2);
      g.stroke();
      g.strokeRect(sx + 1, sy + 1, cell - 2, cell - 2);
    }
  }
}
