// `convboard download`: option parsing and the run, printing the path to open at the end.
import { parseArgs } from 'node:util';
import { DATASET_IDS } from '../../core/datasetCatalog';
import { downloadDataset, DownloadRequestError } from '../download/downloadDataset';
import { createDownloadProgressBar } from '../download/downloadProgressBar';

export const DOWNLOAD_USAGE = `convboard download [cifar-10|cifar-100|mnist|fashion-mnist] [--dir DIR] [--url URL [--md5 MD5]]
  Fetches the dataset (default cifar-10, binary version) from its publisher into DIR, checks every
  file against its published MD5 and prints the path to open. An interrupted download resumes
  from DIR/<file>.part; files already in DIR with the published MD5 are skipped.
  --url replaces the official address: a folder address ending in '/' (each file is fetched as
  URL + its name and checked against its published MD5), or for CIFAR the archive's own address;
  --md5 then gives that archive's MD5 if it is not the published one.`;

export interface DownloadCommandOptions {
  readonly dataset: string;
  readonly dir: string;
  readonly url?: string;
  readonly md5?: string;
}

/** Reads argv; throws DownloadRequestError (a usage error) for a wrong call. */
export function parseDownloadOptions(argv: string[], defaultDir: string): DownloadCommandOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { dir: { type: 'string' }, url: { type: 'string' }, md5: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new DownloadRequestError(`download: one dataset at a time, got ${positionals.length} (${DATASET_IDS.join(', ')})`);
  if (values.dir === '') throw new DownloadRequestError('--dir: empty folder name');
  return {
    dataset: positionals[0] ?? 'cifar-10',
    dir: values.dir ?? defaultDir,
    ...(values.url !== undefined ? { url: values.url } : {}),
    ...(values.md5 !== undefined ? { md5: values.md5 } : {}),
  };
}

/**
 * Runs the command. Ctrl-C cancels cleanly (the partial file stays for the next run). Throws
 * DownloadRequestError for a wrong call (exit 2) and DownloadError for a failed download (exit 1).
 */
export async function runDownloadCommand(argv: string[], log: (line: string) => void, defaultDir: string): Promise<void> {
  const options = parseDownloadOptions(argv, defaultDir);
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  const bar = createDownloadProgressBar(process.stderr);
  try {
    const result = await downloadDataset({
      ...options,
      signal: controller.signal,
      onProgress: (p) => bar.update(p),
      onNote: (line) => {
        bar.stop();
        log(line);
      },
    });
    bar.stop();
    const fetched = result.files.filter((f) => f.status === 'downloaded').length;
    const present = result.files.length - fetched;
    log(`${result.title}: ${fetched} file${fetched === 1 ? '' : 's'} downloaded, ${present} already present, MD5 verified`);
    log(result.openPath);
  } finally {
    bar.stop();
    process.removeListener('SIGINT', onInterrupt);
  }
}
