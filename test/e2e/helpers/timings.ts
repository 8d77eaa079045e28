import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface PaintTimingEntry {
  ms: number;
  fetchMs: number;
  computeMs: number;
  drawMs: number;
}

export interface TimingSummary {
  dataset: string;
  samples: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Medians of the parts: waiting for the back end, the worker's compute time as the result reports it (cached results keep theirs), and drawing both grids. */
  medianFetchMs: number;
  medianComputeMs: number;
  medianDrawMs: number;
  measuredAt: string;
}

// Outside the tracked tree (out/ is ignored): a test run must not change committed files.
export const TIMINGS_FILE = resolve(__dirname, '..', '..', '..', 'out', 'e2e-timings.json');

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(dataset: string, entries: PaintTimingEntry[]): TimingSummary {
  const sorted = entries.map((e) => e.ms).sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  const median = (pick: (e: PaintTimingEntry) => number) => round(percentile(entries.map(pick).sort((a, b) => a - b), 50));
  return {
    dataset,
    samples: sorted.length,
    medianMs: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted.at(-1) ?? NaN),
    medianFetchMs: median((e) => e.fetchMs),
    medianComputeMs: median((e) => e.computeMs),
    medianDrawMs: median((e) => e.drawMs),
    measuredAt: new Date().toISOString(),
  };
}

/** Merges one measurement into out/e2e-timings.json under `key` (the README and closing notes quote it). */
export function recordTimings(key: string, summary: object): void {
  const all = existsSync(TIMINGS_FILE) ? (JSON.parse(readFileSync(TIMINGS_FILE, 'utf8')) as Record<string, object>) : {};
  all[key] = summary;
  mkdirSync(dirname(TIMINGS_FILE), { recursive: true });
  writeFileSync(TIMINGS_FILE, JSON.stringify(all, null, 2) + '\n');
}
