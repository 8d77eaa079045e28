// "Download CIFAR-10" from the app: the catalog download as a session job, then the dataset opened.
import { join } from 'node:path';
import type { DatasetInfo, DownloadResult } from '../../core/hostContract';
import { formatProgressLine } from '../../core/progressText';
import { downloadDataset, DownloadRequestError } from '../download/downloadDataset';
import { DownloadError } from '../download/downloadError';
import { SessionError } from './hostErrors';
import type { JobRegistry } from './jobs';

export interface DownloadSettings {
  /** Where datasets are downloaded to: serve's --data-dir (./data by default), Electron's userData/datasets. */
  dataDir: string;
  /** Replaces the catalog's mirrors (serve's --download-url): a base address ending in '/', or the one file of a one-file dataset. */
  url?: string;
  /** With `url`: the MD5 of that one file (serve's --download-md5). */
  md5?: string;
}

/** The folder `convboard serve` downloads into when not told: ./data, the tutorial's root='./data'. */
export function defaultDataDir(cwd: string = process.cwd()): string {
  return join(cwd, 'data');
}

/**
 * Starts the download of `dataset` as a job: progress in bytes with a one-line progress text, cancel
 * through the job's signal (the partial file is left for the next attempt to resume), and on success
 * `open` is called with what was fetched; the job's result is what it opened.
 */
export function startDownloadJob(
  jobs: JobRegistry,
  dataset: string,
  settings: DownloadSettings,
  open: (path: string) => Promise<DatasetInfo>,
): string {
  return jobs.start<DownloadResult>('download', 0, async (ctx) => {
    let result;
    try {
      result = await downloadDataset({
        dataset,
        dir: settings.dataDir,
        url: settings.url,
        md5: settings.url !== undefined ? settings.md5 : undefined,
        signal: ctx.signal,
        onProgress: (p) => {
          ctx.progress(p.bytesDone, p.bytesTotal ?? 0);
          const label = p.fileCount > 1 ? `${p.fileName} (${p.fileIndex + 1}/${p.fileCount})` : p.fileName;
          ctx.detail(formatProgressLine({ label, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, bytesPerSecond: p.bytesPerSecond }, 16));
        },
        onNote: (line) => ctx.detail(line),
      });
    } catch (e) {
      if (e instanceof DownloadRequestError) throw new SessionError(`download: ${e.message}`, 'dataset');
      if (e instanceof DownloadError && !ctx.signal.aborted) throw new SessionError(e.message, 'dataset');
      throw e;
    }
    ctx.detail(`opening ${result.title}…`);
    return { dataset: await open(result.openPath), openPath: result.openPath };
  });
}
