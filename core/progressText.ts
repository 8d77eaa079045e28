// The words and bar of a download's progress line, kept apart from any terminal so they can be
// tested and reused by the app. Sizes use powers of 1024 and say so (MiB), because the CIFAR page's
// "162 MB" for 170,052,171 bytes is in fact MiB and users compare the two.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1536` -> `1.5 KiB`; bytes below 1 KiB are exact (`512 B`). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '? B';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${UNITS[unit]}`;
}

/** `2_500_000` -> `2.4 MiB/s`; a rate of zero or unknown prints as `-- /s`. */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '-- /s';
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** `75` -> `1m15s`; unknown -> `--`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A bar `width` cells wide, filled in proportion to `fraction` (clamped to 0..1). */
export function progressBarText(fraction: number, width: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.round(f * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export interface ProgressLineInput {
  /** Shown first, e.g. `cifar-10-binary.tar.gz (1/1)`. */
  readonly label: string;
  readonly bytesDone: number;
  /** Null when the server did not say how big the file is. */
  readonly bytesTotal: number | null;
  readonly bytesPerSecond: number;
}

/**
 * One line: `label [bar] 42% 68.1 MiB/162 MiB 5.2 MiB/s 18s left`, or without bar, percentage and
 * time left when the size is unknown.
 */
export function formatProgressLine(p: ProgressLineInput, barWidth = 24): string {
  const done = formatBytes(p.bytesDone);
  const rate = formatRate(p.bytesPerSecond);
  if (p.bytesTotal === null || p.bytesTotal <= 0) return `${p.label} ${done} ${rate}`;
  const fraction = p.bytesDone / p.bytesTotal;
  const percent = Math.floor(Math.min(1, fraction) * 100);
  const left = p.bytesPerSecond > 0 ? (p.bytesTotal - p.bytesDone) / p.bytesPerSecond : Number.NaN;
  return `${p.label} ${progressBarText(fraction, barWidth)} ${percent}% ${done}/${formatBytes(p.bytesTotal)} ${rate} ${formatSeconds(left)} left`;
}
