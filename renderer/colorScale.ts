import type { NormalizationInfo, ValueRange } from '../core/activationScaling';
import { COLOR_MAP_LABELS, colorMapTable } from '../core/colorMaps';
import type { StepResult } from '../core/hostContract';
import type { ColorScale } from './views/colorBar';

const SCOPE_TITLES: Record<NormalizationInfo['mode'], string> = {
  tensorboard: 'TensorBoard: value × 255, clipped to 0..255, truncated',
  batch: 'whole step: one min..max',
  channel: 'per channel: its min..max over the batch',
  tile: "per tile: each tile's own min..max",
  fixed: 'fixed range',
};

function fmt(v: number): string {
  return String(Number(v.toPrecision(3)));
}

function span(ranges: ValueRange[]): ValueRange {
  return { lo: Math.min(...ranges.map((r) => r.lo)), hi: Math.max(...ranges.map((r) => r.hi)) };
}

/** What the output card's colours mean: the normalisation the grid was drawn with, so the legend cannot drift from it. */
export function colorScaleFor(info: NormalizationInfo, result: StepResult): ColorScale {
  const table = colorMapTable(info.colorMap);
  const color = (t: number): [number, number, number] => {
    const i = Math.min(255, Math.max(0, Math.round(t * 255))) * 3;
    return [table[i]!, table[i + 1]!, table[i + 2]!];
  };
  const whole = span(info.ranges);
  const colours = info.rgbTiles ? 'RGB tiles: each colour channel is one output channel' : `colour map ${COLOR_MAP_LABELS[info.colorMap]}`;
  const notes = [colours];
  if (info.mode === 'tensorboard') {
    const stats = result.channelStats;
    const lo = Math.min(...stats.map((s) => s.min));
    const hi = Math.max(...stats.map((s) => s.max));
    notes.push(`this step spans ${fmt(lo)}..${fmt(hi)}${lo < 0 || hi > 1 ? ': values outside 0..1 are clipped' : ''}`);
  } else if (info.scope === 'channel') {
    notes.push(info.ranges.map((r, c) => `c${c} ${fmt(r.lo)}..${fmt(r.hi)}`).join(', '));
  } else if (info.scope === 'tile') {
    notes.push(`${info.ranges.length} tiles; the bar spans all of them`);
  }
  if (info.symmetric) notes.push('symmetric around 0');
  return { title: SCOPE_TITLES[info.mode], min: whole.lo, max: whole.hi, color, note: notes.join(' · ') };
}
