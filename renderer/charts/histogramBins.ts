export interface Histogram {
  /** Left edges; bin i covers [edges[i], edges[i] + width). */
  edges: number[];
  width: number;
  counts: number[];
  min: number;
  max: number;
  total: number;
}

/**
 * Equal-width bins over [min, max] of an NCHW tensor, all channels or one. NaN/inf are left out
 * (they have no bin) and the last bin is closed so max lands in it.
 */
export function histogramOf(values: Float32Array, shape: readonly [number, number, number, number], channel: number | null, binCount: number): Histogram {
  const [n, c, hgt, wid] = shape;
  const plane = hgt * wid;
  const each = (visit: (v: number) => void) => {
    for (let s = 0; s < n; s++) {
      for (let ch = 0; ch < c; ch++) {
        if (channel !== null && ch !== channel) continue;
        const base = (s * c + ch) * plane;
        for (let i = 0; i < plane; i++) visit(values[base + i]!);
      }
    }
  };
  let min = Infinity;
  let max = -Infinity;
  each((v) => {
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  });
  if (min > max) return { edges: [], width: 0, counts: [], min: 0, max: 0, total: 0 };
  const width = max > min ? (max - min) / binCount : 1;
  const bins = max > min ? binCount : 1;
  const counts = new Array<number>(bins).fill(0);
  let total = 0;
  each((v) => {
    if (!Number.isFinite(v)) return;
    const i = Math.min(bins - 1, Math.floor((v - min) / width));
    counts[i]! += 1;
    total += 1;
  });
  return { edges: counts.map((_, i) => min + i * width), width, counts, min, max, total };
}
