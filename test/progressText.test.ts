import { describe, expect, it } from 'vitest';
import { formatBytes, formatProgressLine, formatRate, formatSeconds, progressBarText } from '../core/progressText';
import { progressLabel } from '../main/download/downloadProgressBar';

describe('progressText', () => {
  it('sizes in powers of 1024: the CIFAR-10 binary archive is the page’s "162 MB"', () => {
    expect(formatBytes(170_052_171)).toBe('162 MiB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(-1)).toBe('? B');
  });

  it('rates and times, with unknowns shown as such', () => {
    expect(formatRate(2.5 * 1024 * 1024)).toBe('2.5 MiB/s');
    expect(formatRate(0)).toBe('-- /s');
    expect(formatSeconds(75)).toBe('1m15s');
    expect(formatSeconds(3 * 3600 + 7 * 60)).toBe('3h07m');
    expect(formatSeconds(Number.NaN)).toBe('--');
  });

  it('a bar of the given width, clamped', () => {
    expect(progressBarText(0.5, 10)).toBe('█████░░░░░');
    expect(progressBarText(2, 4)).toBe('████');
    expect(progressBarText(Number.NaN, 3)).toBe('░░░');
  });

  it('one line with and without a known size', () => {
    const mib = 1024 * 1024;
    expect(formatProgressLine({ label: 'a.tar.gz', bytesDone: 40 * mib, bytesTotal: 160 * mib, bytesPerSecond: 4 * mib }, 8)).toBe(
      'a.tar.gz ██░░░░░░ 25% 40.0 MiB/160 MiB 4.0 MiB/s 30s left',
    );
    expect(formatProgressLine({ label: 'a.tar.gz', bytesDone: 3 * mib, bytesTotal: null, bytesPerSecond: 0 })).toBe('a.tar.gz 3.0 MiB -- /s');
  });

  it('labels a file of several with its place', () => {
    expect(progressLabel({ fileName: 'x.gz', fileIndex: 2, fileCount: 4 })).toBe('x.gz (3/4)');
    expect(progressLabel({ fileName: 'a.tar.gz', fileIndex: 0, fileCount: 1 })).toBe('a.tar.gz');
  });
});
