/** Step change -> both grids painted, in ms, newest last; the e2e suite reads it to report median and p95. */
export interface PaintTiming {
  step: number;
  /** Step change to the frame with both grids. */
  ms: number;
  /** Of which: waiting for the back end (request, compute, transfer, decode). */
  fetchMs: number;
  /** Of which: the back end's compute worker, as it reports. */
  computeMs: number;
  /** Of which: rendering both grids and putImageData. */
  drawMs: number;
}

declare global {
  interface Window {
    __convboardTimings?: PaintTiming[];
    /** Bumped on every paint (also repaints of the same step), so tests can wait for the next one. */
    __convboardPaints?: number;
  }
}

const KEEP = 1000;

export function recordPaintTiming(step: number, requestedAt: number, parts: Omit<PaintTiming, 'step' | 'ms'>): void {
  // The rAF callback runs just before the frame that shows the new canvases is produced.
  requestAnimationFrame(() => {
    window.__convboardPaints = (window.__convboardPaints ?? 0) + 1;
    const list = (window.__convboardTimings ??= []);
    list.push({ step, ms: performance.now() - requestedAt, ...parts });
    if (list.length > KEEP) list.splice(0, list.length - KEEP);
  });
}
