// Downloads one address to one file that appears only once its MD5 is the published one. Bytes go
// to `<file>.part` first; a failure leaves at most that partial file, and the next call resumes it
// with a Range request. The MD5 covers the whole file, resumed prefix included.
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isMd5Hex } from '../../core/datasetCatalog';
import { describeSystemError, DownloadError, errorCode, shown, type DownloadFailure } from './downloadError';
import { openHttpResponse, RequestFailure } from './httpResponse';
import { hashFileInto } from './md5File';

export interface DownloadProgress {
  readonly url: string;
  readonly path: string;
  /** Bytes of the file on disk so far, the resumed prefix included. */
  readonly bytesDone: number;
  /** The file's full size, or null when the server does not say. */
  readonly bytesTotal: number | null;
  /** Average rate of this attempt's transfer (the resumed prefix does not count). */
  readonly bytesPerSecond: number;
  /** Where this attempt started: the size of the partial file it continued, or 0. */
  readonly resumedFrom: number;
}

export interface DownloadFileOptions {
  readonly url: string;
  /** The final file; bytes arrive in `${path}.part` first. */
  readonly path: string;
  /** The published MD5 (32 hex digits); the file is kept only if it matches. */
  readonly md5: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Deadline for the answer's headers, per request (default 30 s). */
  readonly connectTimeoutMs?: number;
  /** Longest wait for the next bytes of the body (default 60 s). */
  readonly idleTimeoutMs?: number;
  /** Default 10. */
  readonly maxRedirects?: number;
  /** Least time between two progress calls (default 100 ms); the first and last are always made. */
  readonly progressIntervalMs?: number;
}

export interface DownloadFileResult {
  readonly path: string;
  readonly bytes: number;
  readonly md5: string;
  /** Size of the partial file this call continued (0 when it started from nothing or had to restart). */
  readonly resumedFrom: number;
  /** True when a partial file existed but could not be continued and was started again from zero. */
  readonly restarted: boolean;
}

export const DOWNLOAD_DEFAULTS = { connectTimeoutMs: 30_000, idleTimeoutMs: 60_000, maxRedirects: 10, progressIntervalMs: 100 } as const;

export function partPathOf(path: string): string {
  return `${path}.part`;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return 0;
    throw e;
  }
}

/** What the failure left: the partial file to resume, or nothing (an empty partial file is removed). */
async function leftOnDisk(partPath: string): Promise<string> {
  let size = 0;
  try {
    size = await sizeOf(partPath);
  } catch {
    return `left ${shown(partPath)} as it was`;
  }
  if (size === 0) {
    await rm(partPath, { force: true }).catch(() => undefined);
    return 'nothing left on disk';
  }
  return `kept ${size} bytes in ${shown(partPath)}, run the same download again to resume`;
}

async function fail(failure: DownloadFailure, what: string, url: string, partPath: string): Promise<never> {
  const left = await leftOnDisk(partPath);
  const message = failure === 'cancelled' ? `download of ${shown(url)} cancelled; ${left}` : `download of ${shown(url)} failed: ${what}; ${left}`;
  throw new DownloadError(message, failure, url, what);
}

/** `bytes START-END/TOTAL` -> start and total (null when `*`); null when it does not parse. */
function contentRange(header: string | undefined): { start: number; total: number | null } | null {
  const m = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(header?.trim() ?? '');
  if (!m) return null;
  return { start: Number(m[1]), total: m[3] === '*' ? null : Number(m[3]) };
}

/** The size a 416 answer gives in `bytes * /TOTAL`, or null. */
function unsatisfiedRangeTotal(header: string | undefined): number | null {
  const m = /^bytes\s+\*\/(\d+)$/i.exec(header?.trim() ?? '');
  return m ? Number(m[1]) : null;
}

function contentLength(response: IncomingMessage): number | null {
  const text = response.headers['content-length'];
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
}

function reasonOf(response: IncomingMessage): string {
  const status = response.statusCode ?? 0;
  return response.statusMessage ? `HTTP ${status} ${shown(response.statusMessage)}` : `HTTP ${status}`;
}

/** Downloads `url` to `path` through `path.part`; see the module comment for what failures leave. */
export async function downloadFile(o: DownloadFileOptions): Promise<DownloadFileResult> {
  if (!isMd5Hex(o.md5)) throw new RangeError(`downloadFile: md5 must be 32 hex digits, got ${shown(o.md5)}`);
  const expected = o.md5.toLowerCase();
  const partPath = partPathOf(o.path);
  const connectTimeoutMs = o.connectTimeoutMs ?? DOWNLOAD_DEFAULTS.connectTimeoutMs;
  const idleTimeoutMs = o.idleTimeoutMs ?? DOWNLOAD_DEFAULTS.idleTimeoutMs;
  const maxRedirects = o.maxRedirects ?? DOWNLOAD_DEFAULTS.maxRedirects;
  const progressIntervalMs = o.progressIntervalMs ?? DOWNLOAD_DEFAULTS.progressIntervalMs;
  const url = o.url;

  if (o.signal?.aborted) return fail('cancelled', 'cancelled', url, partPath);
  const folder = dirname(o.path);
  try {
    await mkdir(folder, { recursive: true });
  } catch (e) {
    throw new DownloadError(`download of ${shown(url)} failed: cannot create folder ${shown(folder)} (${describeSystemError(e)}); nothing written`, 'folder', url, `cannot create folder ${shown(folder)}`);
  }

  let partBytes: number;
  try {
    partBytes = await sizeOf(partPath);
  } catch (e) {
    throw new DownloadError(`download of ${shown(url)} failed: cannot read ${shown(partPath)} (${describeSystemError(e)}); nothing written`, 'disk', url, `cannot read ${shown(partPath)}`);
  }
  let rangeStart = partBytes;
  let restarted = false;

  const verifiedRename = async (md5: string, bytes: number, resumedFrom: number): Promise<DownloadFileResult> => {
    if (md5 !== expected) {
      await rm(partPath, { force: true });
      throw new DownloadError(
        `download of ${shown(url)} failed: checksum mismatch, the ${bytes}-byte file has MD5 ${md5} but the published MD5 is ${expected}; deleted ${shown(partPath)} (a complete but wrong file cannot be resumed), nothing left on disk`,
        'checksum',
        url,
        `checksum mismatch (MD5 ${md5}, published ${expected})`,
      );
    }
    try {
      await rename(partPath, o.path);
    } catch (e) {
      return fail('disk', `verified but cannot rename it to ${shown(o.path)} (${describeSystemError(e)})`, url, partPath);
    }
    return { path: o.path, bytes, md5, resumedFrom, restarted };
  };

  for (;;) {
    let response: IncomingMessage;
    try {
      response = (await openHttpResponse(url, { rangeStart, connectTimeoutMs, maxRedirects, signal: o.signal })).response;
    } catch (e) {
      if (e instanceof RequestFailure) return fail(e.failure, e.detail, url, partPath);
      throw e;
    }
    const status = response.statusCode ?? 0;

    if (status === 416 && rangeStart > 0) {
      // Nothing lies past our partial file: it is either the whole file already, or longer than the file.
      response.destroy();
      const total = unsatisfiedRangeTotal(response.headers['content-range']);
      if (total === null || total === rangeStart) {
        const hash = createHash('md5');
        try {
          await hashFileInto(partPath, hash, o.signal);
        } catch (e) {
          if (o.signal?.aborted) return fail('cancelled', 'cancelled', url, partPath);
          return fail('disk', `cannot read ${shown(partPath)} (${describeSystemError(e)})`, url, partPath);
        }
        const md5 = hash.digest('hex');
        if (md5 === expected || total === rangeStart) return verifiedRename(md5, rangeStart, rangeStart);
      }
      if (restarted) return fail('http', `HTTP 416 even for the whole file`, url, partPath);
      restarted = true;
      rangeStart = 0;
      continue;
    }

    let hash: Hash;
    let flags: 'a' | 'w';
    let total: number | null;
    if (status === 206 && rangeStart > 0) {
      const range = contentRange(response.headers['content-range']);
      if (!range || range.start !== rangeStart) {
        // A range we did not ask for: ask for the whole file instead.
        response.destroy();
        if (restarted) return fail('http', `HTTP 206 with an unusable Content-Range`, url, partPath);
        restarted = true;
        rangeStart = 0;
        continue;
      }
      const length = contentLength(response);
      total = range.total ?? (length !== null ? rangeStart + length : null);
      hash = createHash('md5');
      try {
        await hashFileInto(partPath, hash, o.signal);
      } catch (e) {
        response.destroy();
        if (o.signal?.aborted) return fail('cancelled', 'cancelled', url, partPath);
        return fail('disk', `cannot read ${shown(partPath)} (${describeSystemError(e)})`, url, partPath);
      }
      flags = 'a';
    } else if (status === 200) {
      // Whole body: a server that ignores Range lands here too, and the partial file starts again.
      if (rangeStart > 0) restarted = true;
      rangeStart = 0;
      total = contentLength(response);
      hash = createHash('md5');
      flags = 'w';
    } else {
      response.destroy();
      return fail('http', reasonOf(response), url, partPath);
    }

    const resumedFrom = rangeStart;
    let bytesDone = rangeStart;
    const started = Date.now();
    let lastReport = 0;
    const report = (force: boolean) => {
      if (!o.onProgress) return;
      const now = Date.now();
      if (!force && now - lastReport < progressIntervalMs) return;
      lastReport = now;
      const seconds = (now - started) / 1000;
      const bytesPerSecond = seconds > 0 ? (bytesDone - resumedFrom) / seconds : 0;
      o.onProgress({ url, path: o.path, bytesDone, bytesTotal: total, bytesPerSecond, resumedFrom });
    };

    let idleTimer: NodeJS.Timeout | undefined;
    const armIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        response.destroy(new RequestFailure('timeout', `no data for ${Math.round(idleTimeoutMs / 1000)} s after ${bytesDone} bytes`));
      }, idleTimeoutMs);
    };
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        bytesDone += chunk.length;
        armIdle();
        report(false);
        callback(null, chunk);
      },
    });
    const sink = createWriteStream(partPath, { flags });
    let sinkError: unknown = null;
    sink.on('error', (e) => {
      sinkError = e;
    });
    report(true);
    armIdle();
    try {
      await pipeline(response, counter, sink, o.signal ? { signal: o.signal } : {});
    } catch (e) {
      clearTimeout(idleTimer);
      response.destroy();
      if (o.signal?.aborted) return fail('cancelled', 'cancelled', url, partPath);
      if (sinkError) return fail('disk', `cannot write ${shown(partPath)} (${describeSystemError(sinkError)})`, url, partPath);
      if (e instanceof RequestFailure) return fail(e.failure, e.detail, url, partPath);
      const of = total !== null ? ` of ${total}` : '';
      return fail('dropped', `connection dropped after ${bytesDone}${of} bytes (${describeSystemError(e)})`, url, partPath);
    } finally {
      clearTimeout(idleTimer);
    }
    report(true);

    if (total !== null && bytesDone < total) {
      return fail('dropped', `connection ended after ${bytesDone} of ${total} bytes`, url, partPath);
    }
    const md5 = hash.digest('hex');
    if (md5 !== expected && total === null) {
      // Without a size from the server a short body looks complete; keep it so a Range request can tell.
      return fail('checksum', `MD5 ${md5} is not the published ${expected}, and the server gave no size, so the file may be cut short`, url, partPath);
    }
    return verifiedRename(md5, bytesDone, resumedFrom);
  }
}
