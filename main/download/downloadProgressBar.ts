// The terminal line that follows a dataset download. cli-progress does the redrawing and rate
// limiting; the words come from core/progressText so the app can show the same line.
import { SingleBar } from 'cli-progress';
import { formatProgressLine } from '../../core/progressText';
import type { DatasetProgress } from './downloadDataset';

export interface DownloadProgressBar {
  update(progress: DatasetProgress): void;
  stop(): void;
}

/** `cifar-10-binary.tar.gz`, or `t10k-images-idx3-ubyte.gz (3/4)` when the dataset has several files. */
export function progressLabel(p: Pick<DatasetProgress, 'fileName' | 'fileIndex' | 'fileCount'>): string {
  return p.fileCount > 1 ? `${p.fileName} (${p.fileIndex + 1}/${p.fileCount})` : p.fileName;
}

/** A bar on `stream` when it is a terminal; otherwise nothing is drawn (logs stay clean). */
export function createDownloadProgressBar(stream: NodeJS.WriteStream = process.stderr): DownloadProgressBar {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: (_options, _params, payload: { line?: string }) => payload.line ?? '',
    hideCursor: true,
    stream,
    fps: 5,
  });
  let started = false;
  let fileIndex = -1;
  return {
    update(p) {
      const line = formatProgressLine({ label: progressLabel(p), bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, bytesPerSecond: p.bytesPerSecond });
      const total = p.bytesTotal ?? Math.max(1, p.bytesDone);
      if (!started) {
        bar.start(total, p.bytesDone, { line });
        started = true;
      } else {
        if (p.fileIndex !== fileIndex) bar.setTotal(total);
        bar.update(p.bytesDone, { line });
      }
      fileIndex = p.fileIndex;
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
