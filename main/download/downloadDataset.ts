// Fetches every file of one catalog dataset into a folder, trying the mirrors in order as
// torchvision does, and skipping files already there with the published MD5.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { catalogEntry, fileUrls, isMd5Hex, UnknownDatasetError, type CatalogEntry, type DatasetId } from '../../core/datasetCatalog';
import { DownloadError, errorCode, shown } from './downloadError';
import { downloadFile, type DownloadProgress } from './downloadFile';
import { md5OfFile } from './md5File';

/** The request itself is wrong (unknown dataset, --md5 without --url, ...): nothing was fetched. */
export class DownloadRequestError extends Error {
  override readonly name = 'DownloadRequestError';
}

export interface DatasetDownloadOptions {
  /** A catalog name: cifar-10, cifar-100, mnist, fashion-mnist. */
  readonly dataset: string;
  /** The download folder; a dataset with a subfolder goes into dir/subfolder. */
  readonly dir: string;
  /**
   * Replaces the catalog's mirrors. Ending in '/', it is a base address (file = base + name) and
   * the published MD5s still apply; otherwise it is the one file of a one-file dataset.
   */
  readonly url?: string;
  /** Replaces the published MD5 of a one-file dataset; needs `url`. */
  readonly md5?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DatasetProgress) => void;
  /** One line per event worth telling the user: a file already present, a mirror that failed. */
  readonly onNote?: (line: string) => void;
  readonly connectTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
}

export interface DatasetProgress extends DownloadProgress {
  readonly fileName: string;
  /** 0-based. */
  readonly fileIndex: number;
  readonly fileCount: number;
}

export interface PlannedFile {
  readonly name: string;
  readonly path: string;
  readonly md5: string;
  /** Addresses to try in order. */
  readonly urls: readonly string[];
}

export interface DatasetDownloadPlan {
  readonly entry: CatalogEntry;
  readonly folder: string;
  readonly files: readonly PlannedFile[];
  /** What a reader opens afterwards: the archive (CIFAR) or the folder (MNIST family). */
  readonly openPath: string;
}

export interface DatasetDownloadResult {
  readonly dataset: DatasetId;
  readonly title: string;
  readonly openPath: string;
  readonly files: readonly { name: string; path: string; md5: string; status: 'downloaded' | 'present'; bytes: number }[];
}

function checkedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DownloadRequestError(`--url: ${JSON.stringify(shown(text))} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DownloadRequestError(`--url: ${JSON.stringify(shown(text))} is not an http or https address`);
  }
  return url.href;
}

/** Where each file goes and comes from, with no I/O; throws DownloadRequestError for a bad request. */
export function planDatasetDownload(o: Pick<DatasetDownloadOptions, 'dataset' | 'dir' | 'url' | 'md5'>): DatasetDownloadPlan {
  let entry: CatalogEntry;
  try {
    entry = catalogEntry(o.dataset);
  } catch (e) {
    if (e instanceof UnknownDatasetError) throw new DownloadRequestError(e.message);
    throw e;
  }
  if (o.md5 !== undefined && o.url === undefined) throw new DownloadRequestError('--md5 needs --url (the published MD5 applies to the official address)');
  if (o.md5 !== undefined && !isMd5Hex(o.md5)) throw new DownloadRequestError(`--md5: expected 32 hex digits, got ${JSON.stringify(shown(o.md5))}`);
  const url = o.url !== undefined ? checkedUrl(o.url) : null;
  const isBase = url !== null && url.endsWith('/');
  if (url !== null && !isBase && entry.files.length !== 1) {
    throw new DownloadRequestError(`--url: ${entry.id} has ${entry.files.length} files, so give a folder address ending in '/' (each file is fetched as URL + name)`);
  }
  if (o.md5 !== undefined && entry.files.length !== 1) {
    throw new DownloadRequestError(`--md5: ${entry.id} has ${entry.files.length} files, each checked against its published MD5`);
  }
  const folder = entry.subfolder ? join(o.dir, entry.subfolder) : o.dir;
  const files = entry.files.map((f): PlannedFile => ({
    name: f.name,
    path: join(folder, f.name),
    md5: (o.md5 ?? f.md5).toLowerCase(),
    urls: url === null ? fileUrls(entry, f) : isBase ? [url + f.name] : [url],
  }));
  return { entry, folder, files, openPath: entry.opens === 'archive' ? files[0]!.path : folder };
}

async function existingMd5(path: string, signal?: AbortSignal): Promise<string | null> {
  try {
    if (!(await stat(path)).isFile()) return null;
  } catch (e) {
    if (errorCode(e) === 'ENOENT' || errorCode(e) === 'ENOTDIR') return null;
    throw e;
  }
  return md5OfFile(path, signal);
}

// A mirror's own trouble is worth trying the next one for; a full disk, a cancel or an unwritable folder is not.
const TRY_NEXT_MIRROR = new Set(['network', 'http', 'redirect', 'timeout', 'dropped', 'checksum']);

async function fetchOne(file: PlannedFile, index: number, count: number, o: Omit<DatasetDownloadOptions, 'dataset' | 'dir' | 'url' | 'md5'>): Promise<number> {
  const failures: DownloadError[] = [];
  for (const url of file.urls) {
    try {
      const result = await downloadFile({
        url,
        path: file.path,
        md5: file.md5,
        signal: o.signal,
        connectTimeoutMs: o.connectTimeoutMs,
        idleTimeoutMs: o.idleTimeoutMs,
        onProgress: o.onProgress && ((p) => o.onProgress!({ ...p, fileName: file.name, fileIndex: index, fileCount: count })),
      });
      return result.bytes;
    } catch (e) {
      if (!(e instanceof DownloadError) || !TRY_NEXT_MIRROR.has(e.failure) || url === file.urls[file.urls.length - 1]) {
        if (e instanceof DownloadError && failures.length > 0) {
          const earlier = failures.map((f) => `${new URL(f.url).host}: ${f.detail}`).join('; ');
          throw new DownloadError(`${e.message} (earlier mirrors failed too: ${earlier})`, e.failure, e.url, e.detail);
        }
        throw e;
      }
      failures.push(e);
      o.onNote?.(`${file.name}: ${e.detail} at ${new URL(url).host}, trying the next mirror`);
    }
  }
  throw new Error('unreachable: a plan has at least one address per file');
}

/** Fetches the dataset's files that are missing or wrong; returns what to open. */
export async function downloadDataset(o: DatasetDownloadOptions): Promise<DatasetDownloadResult> {
  return fetchPlannedDataset(planDatasetDownload(o), o);
}

/** Fetches the files of a plan that are missing or wrong, trying each file's addresses in order. */
export async function fetchPlannedDataset(plan: DatasetDownloadPlan, o: Omit<DatasetDownloadOptions, 'dataset' | 'dir' | 'url' | 'md5'> = {}): Promise<DatasetDownloadResult> {
  const files: DatasetDownloadResult['files'][number][] = [];
  for (const [index, file] of plan.files.entries()) {
    let md5: string | null;
    try {
      md5 = await existingMd5(file.path, o.signal);
    } catch (e) {
      if (o.signal?.aborted) throw new DownloadError(`download of ${shown(file.urls[0]!)} cancelled; nothing changed on disk`, 'cancelled', file.urls[0]!);
      throw e;
    }
    if (md5 === file.md5) {
      const bytes = (await stat(file.path)).size;
      o.onNote?.(`${file.name}: already present with the published MD5, skipped`);
      files.push({ name: file.name, path: file.path, md5, status: 'present', bytes });
      continue;
    }
    if (md5 !== null) o.onNote?.(`${file.name}: the file there has MD5 ${md5}, not the published ${file.md5}; downloading it again`);
    const bytes = await fetchOne(file, index, plan.files.length, o);
    files.push({ name: file.name, path: file.path, md5: file.md5, status: 'downloaded', bytes });
  }
  return { dataset: plan.entry.id, title: plan.entry.title, openPath: plan.openPath, files };
}
