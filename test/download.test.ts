import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASET_CATALOG } from '../core/datasetCatalog';
import { runDownloadCommand, parseDownloadOptions } from '../main/cli/downloadCommand';
import { fetchPlannedDataset, planDatasetDownload, downloadDataset, DownloadRequestError } from '../main/download/downloadDataset';
import { DownloadError } from '../main/download/downloadError';
import { downloadFile, type DownloadProgress } from '../main/download/downloadFile';
import { md5OfFile } from '../main/download/md5File';
import { tarBytes, caseFolders } from './helpers/datasetTestFiles';

const { newDir } = caseFolders('convboard-download-');

/** Deterministic bytes that gzip cannot shrink, so the archive is a few hundred KB. */
function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

let archive: Buffer;
let archiveMd5: string;
let server: Server;
let base: string;
/** Every request the server saw: path and Range header. */
const requests: { path: string; range: string | undefined }[] = [];
const dropOnce = new Set<string>();
const DROP_AFTER = 100_000;

function sendWithRange(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (!range) {
    res.writeHead(200, { 'Content-Length': body.length });
    res.end(body);
    return;
  }
  const start = Number(range[1]);
  if (start >= body.length) {
    res.writeHead(416, { 'Content-Range': `bytes */${body.length}` });
    res.end();
    return;
  }
  res.writeHead(206, { 'Content-Length': body.length - start, 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` });
  res.end(body.subarray(start));
}

function route(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  requests.push({ path, range: req.headers.range });
  switch (path) {
    case '/archive.tar.gz':
    case '/mirror/cifar-10-binary.tar.gz':
      return sendWithRange(req, res, archive);
    case '/drop.tar.gz':
      if (dropOnce.delete(path)) {
        // Promises the whole file, sends part of it, then the connection dies. end() delivers the
        // part before the close (destroy() could reset the connection before the client read it,
        // so under load the client sometimes saw the drop with no bytes at all).
        res.writeHead(200, { 'Content-Length': archive.length });
        res.write(archive.subarray(0, DROP_AFTER), () => res.socket?.end());
        return;
      }
      return sendWithRange(req, res, archive);
    case '/ignores-range.tar.gz':
      res.writeHead(200, { 'Content-Length': archive.length });
      res.end(archive);
      return;
    case '/no-length.tar.gz':
      res.writeHead(200);
      res.end(archive);
      return;
    case '/redirect':
      res.writeHead(302, { Location: '/redirect2' });
      res.end();
      return;
    case '/redirect2':
      res.writeHead(301, { Location: `${base}/archive.tar.gz` });
      res.end();
      return;
    case '/loop':
      res.writeHead(302, { Location: '/loop' });
      res.end();
      return;
    case '/to-ftp':
      res.writeHead(302, { Location: 'ftp://127.0.0.1/archive.tar.gz' });
      res.end();
      return;
    case '/stall.tar.gz':
      // Some bytes, then silence: the client must time out or be cancelled.
      res.writeHead(200, { 'Content-Length': archive.length });
      res.write(archive.subarray(0, 50_000));
      return;
    case '/no-answer':
      return; // headers never come
    default:
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not here');
  }
}

beforeAll(async () => {
  const tar = await tarBytes([
    { name: 'cifar-10-batches-bin/', type: 'directory' },
    { name: 'cifar-10-batches-bin/test_batch.bin', data: noise(300_000, 7) },
    { name: 'cifar-10-batches-bin/batches.meta.txt', data: 'airplane\nautomobile\n' },
  ]);
  archive = gzipSync(tar);
  archiveMd5 = createHash('md5').update(archive).digest('hex');
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The DownloadError `promise` rejects with, checked to be one line. */
async function downloadFailure(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DownloadError);
  const e = error as DownloadError;
  expect(e.message).not.toContain('\n');
  return e;
}

const FAST = { connectTimeoutMs: 2000, idleTimeoutMs: 2000 };

describe('downloadFile', () => {
  it('the archive is a few hundred KB', () => {
    expect(archive.length).toBeGreaterThan(250_000);
    expect(archive.length).toBeLessThan(1_000_000);
  });

  it('downloads a whole file, keeps no .part, and reports progress up to the total', async () => {
    const path = join(newDir(), 'a.tar.gz');
    const seen: DownloadProgress[] = [];
    const result = await downloadFile({ url: `${base}/archive.tar.gz`, path, md5: archiveMd5, onProgress: (p) => seen.push(p), ...FAST });
    expect(readFileSync(path).equals(archive)).toBe(true);
    expect(existsSync(`${path}.part`)).toBe(false);
    expect(result).toEqual({ path, bytes: archive.length, md5: archiveMd5, resumedFrom: 0, restarted: false });
    expect(seen.at(-1)).toMatchObject({ bytesDone: archive.length, bytesTotal: archive.length, resumedFrom: 0 });
    expect(seen[0]!.bytesDone).toBe(0);
  }, 5000);

  it('accepts the MD5 in upper case', async () => {
    const path = join(newDir(), 'a.tar.gz');
    await downloadFile({ url: `${base}/archive.tar.gz`, path, md5: archiveMd5.toUpperCase(), ...FAST });
    expect(await md5OfFile(path)).toBe(archiveMd5);
  }, 5000);

  it('a connection dropped half way keeps the .part, and the next call resumes it with Range', async () => {
    const path = join(newDir(), 'a.tar.gz');
    const url = `${base}/drop.tar.gz`;
    dropOnce.add('/drop.tar.gz');
    const e = await downloadFailure(downloadFile({ url, path, md5: archiveMd5, ...FAST }));
    expect(e.failure).toBe('dropped');
    const kept = statSync(`${path}.part`).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(DROP_AFTER);
    expect(e.message).toContain(url);
    expect(e.message).toContain(`of ${archive.length} bytes`);
    expect(e.message).toContain(`kept ${kept} bytes in ${path}.part`);
    expect(existsSync(path)).toBe(false);
    // What arrived is the start of the file, not something else.
    expect(readFileSync(`${path}.part`).equals(archive.subarray(0, kept))).toBe(true);

    requests.length = 0;
    const seen: DownloadProgress[] = [];
    const result = await downloadFile({ url, path, md5: archiveMd5, onProgress: (p) => seen.push(p), ...FAST });
    expect(requests).toEqual([{ path: '/drop.tar.gz', range: `bytes=${kept}-` }]);
    expect(result.resumedFrom).toBe(kept);
    expect(result.restarted).toBe(false);
    expect(seen[0]!.bytesDone).toBe(kept);
    expect(readFileSync(path).equals(archive)).toBe(true);
    expect(existsSync(`${path}.part`)).toBe(false);
  }, 5000);

  it('a resumed file whose prefix is wrong fails the checksum over the whole file and leaves nothing', async () => {
    const path = join(newDir(), 'a.tar.gz');
    const prefix = Buffer.from(archive.subarray(0, 1000));
    prefix[10] = prefix[10]! ^ 0xff;
    writeFileSync(`${path}.part`, prefix);
    const e = await downloadFailure(downloadFile({ url: `${base}/archive.tar.gz`, path, md5: archiveMd5, ...FAST }));
    expect(e.failure).toBe('checksum');
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.part`)).toBe(false);
  }, 5000);

  it('a wrong checksum keeps nothing and names both sums', async () => {
    const path = join(newDir(), 'a.tar.gz');
    const wrong = 'ffffffffffffffffffffffffffffffff';
    const e = await downloadFailure(downloadFile({ url: `${base}/archive.tar.gz`, path, md5: wrong, ...FAST }));
    expect(e.failure).toBe('checksum');
    expect(e.message).toMatch(/checksum mismatch/);
    expect(e.message).toContain(archiveMd5);
    expect(e.message).toContain(wrong);
    expect(e.message).toContain('nothing left on disk');
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.part`)).toBe(false);
  }, 5000);

  it('without a size from the server, a checksum mismatch keeps the .part (it may be cut short)', async () => {
    const path = join(newDir(), 'a.tar.gz');
    const e = await downloadFailure(downloadFile({ url: `${base}/no-length.tar.gz`, path, md5: 'f'.repeat(32), ...FAST }));
    expect(e.failure).toBe('checksum');
    expect(statSync(`${path}.part`).size).toBe(archive.length);
    expect(existsSync(path)).toBe(false);
  }, 5000);

  it('a 404 is one line with the status, the address and what is on disk', async () => {
    const path = join(newDir(), 'a.tar.gz');
    const url = `${base}/missing.tar.gz`;
    const e = await downloadFailure(downloadFile({ url, path, md5: archiveMd5, ...FAST }));
    expect(e.failure).toBe('http');
    expect(e.message).toBe(`download of ${url} failed: HTTP 404 Not Found; nothing left on disk`);
    expect(existsSync(`${path}.part`)).toBe(false);
  }, 5000);

  it('a 404 while resuming says the partial file is still there', async () => {
    const path = join(newDir(), 'a.tar.gz');
    writeFileSync(`${path}.part`, archive.subarray(0, 1234));
    const e = await downloadFailure(downloadFile({ url: `${base}/missing.tar.gz`, path, md5: archiveMd5, ...FAST }));
    expect(e.message).toContain(`kept 1234 bytes in ${path}.part`);
    expect(statSync(`${path}.part`).size).toBe(1234);
  }, 5000);

  it('a server that ignores Range answers 200: the .part starts again from zero', async () => {
    const path = join(newDir(), 'a.tar.gz');
    // Garbage, so appending instead of restarting would fail the checksum.
    writeFileSync(`${path}.part`, noise(5000, 99));
    requests.length = 0;
    const result = await downloadFile({ url: `${base}/ignores-range.tar.gz`, path, md5: archiveMd5, ...FAST });
    expect(requests).toEqual([{ path: '/ignores-range.tar.gz', range: 'bytes=5000-' }]);
    expect(result).toMatchObject({ resumedFrom: 0, restarted: true, bytes: archive.length });
    expect(readFileSync(path).equals(archive)).toBe(true);
  }, 5000);

  it('416 on a .part that is already whole: verified and renamed without downloading again', async () => {
    const path = join(newDir(), 'a.tar.gz');
    writeFileSync(`${path}.part`, archive);
    const result = await downloadFile({ url: `${base}/archive.tar.gz`, path, md5: archiveMd5, ...FAST });
    expect(result).toMatchObject({ resumedFrom: archive.length, restarted: false, bytes: archive.length });
    expect(readFileSync(path).equals(archive)).toBe(true);
    expect(existsSync(`${path}.part`)).toBe(false);
  }, 5000);

  it('416 on a .part longer than the file: starts again from zero', async () => {
    const path = join(newDir(), 'a.tar.gz');
    writeFileSync(`${path}.part`, Buffer.concat([archive, Buffer.from('extra')]));
    requests.length = 0;
    const result = await downloadFile({ url: `${base}/archive.tar.gz`, path, md5: archiveMd5, ...FAST });
    expect(requests.map((r) => r.range)).toEqual([`bytes=${archive.length + 5}-`, undefined]);
    expect(result.restarted).toBe(true);
    expect(readFileSync(path).equals(archive)).toBe(true);
  }, 5000);

  it('follows redirects (relative and absolute)', async () => {
    const path = join(newDir(), 'a.tar.gz');
    requests.length = 0;
    await downloadFile({ url: `${base}/redirect`, path, md5: archiveMd5, ...FAST });
    expect(requests.map((r) => r.path)).toEqual(['/redirect', '/redirect2', '/archive.tar.gz']);
    expect(readFileSync(path).equals(archive)).toBe(true);
  }, 5000);

  it('stops a redirect loop, and refuses a redirect to ftp', async () => {
    const path = join(newDir(), 'a.tar.gz');
    requests.length = 0;
    const loop = await downloadFailure(downloadFile({ url: `${base}/loop`, path, md5: archiveMd5, maxRedirects: 3, ...FAST }));
    expect(loop.failure).toBe('redirect');
    expect(loop.message).toContain('more than 3 redirects');
    expect(requests.length).toBe(4);
    const ftp = await downloadFailure(downloadFile({ url: `${base}/to-ftp`, path, md5: archiveMd5, ...FAST }));
    expect(ftp.failure).toBe('redirect');
    expect(ftp.message).toContain('ftp:');
  }, 5000);

  it('a folder that cannot be created: one line, no request made', async () => {
    const blocker = join(newDir(), 'a-file');
    writeFileSync(blocker, 'in the way');
    requests.length = 0;
    const e = await downloadFailure(downloadFile({ url: `${base}/archive.tar.gz`, path: join(blocker, 'sub', 'a.tar.gz'), md5: archiveMd5, ...FAST }));
    expect(e.failure).toBe('folder');
    expect(e.message).toContain(`cannot create folder ${join(blocker, 'sub')}`);
    expect(e.message).toContain('nothing written');
    expect(requests).toEqual([]);
  }, 5000);

  it('cancel mid-body keeps the .part; an already-aborted signal sends nothing', async () => {
    const path = join(newDir(), 'a.tar.gz');
    const controller = new AbortController();
    const started = Date.now();
    const e = await downloadFailure(
      downloadFile({
        url: `${base}/stall.tar.gz`,
        path,
        md5: archiveMd5,
        signal: controller.signal,
        progressIntervalMs: 0,
        onProgress: (p) => {
          // Once the server has gone quiet with 50,000 bytes sent, as a user pressing Ctrl-C would.
          if (p.bytesDone >= 50_000) setTimeout(() => controller.abort(), 100);
        },
        ...FAST,
      }),
    );
    expect(Date.now() - started).toBeLessThan(1500);
    expect(e.failure).toBe('cancelled');
    expect(e.message).toMatch(/^download of .* cancelled; kept 50000 bytes in /);
    expect(statSync(`${path}.part`).size).toBe(50_000);

    requests.length = 0;
    const aborted = AbortSignal.abort();
    const again = await downloadFailure(downloadFile({ url: `${base}/archive.tar.gz`, path, md5: archiveMd5, signal: aborted, ...FAST }));
    expect(again.failure).toBe('cancelled');
    expect(requests).toEqual([]);
    expect(statSync(`${path}.part`).size).toBe(50_000);
  }, 5000);

  it('no bytes for longer than the idle timeout is a timeout that keeps the .part', async () => {
    const path = join(newDir(), 'a.tar.gz');
    const e = await downloadFailure(downloadFile({ url: `${base}/stall.tar.gz`, path, md5: archiveMd5, connectTimeoutMs: 2000, idleTimeoutMs: 300 }));
    expect(e.failure).toBe('timeout');
    expect(e.message).toContain('no data for 0 s after 50000 bytes');
    expect(statSync(`${path}.part`).size).toBe(50_000);
  }, 5000);

  it('no answer within the connect timeout', async () => {
    const path = join(newDir(), 'a.tar.gz');
    const e = await downloadFailure(downloadFile({ url: `${base}/no-answer`, path, md5: archiveMd5, connectTimeoutMs: 300, idleTimeoutMs: 2000 }));
    expect(e.failure).toBe('timeout');
    expect(e.message).toContain('no answer within');
  }, 5000);

  it('connection refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const path = join(newDir(), 'a.tar.gz');
    const e = await downloadFailure(downloadFile({ url: `http://127.0.0.1:${port}/a.tar.gz`, path, md5: archiveMd5, ...FAST }));
    expect(e.failure).toBe('network');
    expect(e.message).toContain('ECONNREFUSED: connection refused');
    expect(e.message).toContain('nothing left on disk');
  }, 5000);

  it.skipIf(!existsSync('/dev/full'))('a full disk (ENOSPC) is a disk failure', async () => {
    const dir = newDir();
    const path = join(dir, 'a.tar.gz');
    symlinkSync('/dev/full', `${path}.part`);
    const e = await downloadFailure(downloadFile({ url: `${base}/archive.tar.gz`, path, md5: archiveMd5, ...FAST }));
    expect(e.failure).toBe('disk');
    expect(e.message).toContain('ENOSPC: disk full');
    expect(existsSync(path)).toBe(false);
  }, 5000);

  it('refuses an MD5 that is not 32 hex digits before doing anything', async () => {
    await expect(downloadFile({ url: `${base}/archive.tar.gz`, path: join(newDir(), 'a'), md5: 'abc' })).rejects.toThrow(RangeError);
  });
});

describe('md5OfFile', () => {
  it('matches the RFC 1321 test suite', async () => {
    const path = join(newDir(), 'abc');
    writeFileSync(path, 'abc');
    expect(await md5OfFile(path)).toBe('900150983cd24fb0d6963f7d28e17f72');
    writeFileSync(path, 'message digest');
    expect(await md5OfFile(path)).toBe('f96b697d7cb7938d525a2f31aaf161d0');
  });
});

describe('planDatasetDownload', () => {
  it('CIFAR opens the archive in DIR; MNIST opens DIR/mnist with its four files from both mirrors', () => {
    const cifar = planDatasetDownload({ dataset: 'cifar-10', dir: '/d' });
    expect(cifar.openPath).toBe('/d/cifar-10-binary.tar.gz');
    expect(cifar.files).toEqual([
      { name: 'cifar-10-binary.tar.gz', path: '/d/cifar-10-binary.tar.gz', md5: 'c32a1d4ab5d03f1284b67883e8d87530', urls: ['https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz'] },
    ]);
    const mnist = planDatasetDownload({ dataset: 'mnist', dir: '/d' });
    expect(mnist.openPath).toBe('/d/mnist');
    expect(mnist.files.map((f) => f.path)).toEqual(DATASET_CATALOG.mnist.files.map((f) => `/d/mnist/${f.name}`));
    expect(mnist.files[2]!.urls).toEqual(['http://yann.lecun.com/exdb/mnist/t10k-images-idx3-ubyte.gz', 'https://ossci-datasets.s3.amazonaws.com/mnist/t10k-images-idx3-ubyte.gz']);
  });

  it('--url ending in / is a mirror base that keeps the published MD5s', () => {
    const plan = planDatasetDownload({ dataset: 'fashion-mnist', dir: '/d', url: 'http://m.example/fm/' });
    expect(plan.files.map((f) => f.urls)).toEqual(DATASET_CATALOG['fashion-mnist'].files.map((f) => [`http://m.example/fm/${f.name}`]));
    expect(plan.files.map((f) => f.md5)).toEqual(DATASET_CATALOG['fashion-mnist'].files.map((f) => f.md5));
  });

  it('refuses requests that cannot be right, each in one line', () => {
    const bad: [Parameters<typeof planDatasetDownload>[0], RegExp][] = [
      [{ dataset: 'imagenet', dir: '/d' }, /unknown dataset "imagenet" \(choose one of cifar-10, cifar-100, mnist, fashion-mnist\)/],
      [{ dataset: 'cifar-10', dir: '/d', md5: archiveMd5 }, /--md5 needs --url/],
      [{ dataset: 'cifar-10', dir: '/d', url: 'http://x/a.tgz', md5: 'xyz' }, /--md5: expected 32 hex digits, got "xyz"/],
      [{ dataset: 'cifar-10', dir: '/d', url: 'file:///etc/passwd' }, /not an http or https address/],
      [{ dataset: 'cifar-10', dir: '/d', url: 'not a url\n' }, /--url: "not a url\\\\n" is not a valid URL/],
      [{ dataset: 'mnist', dir: '/d', url: 'http://x/train.gz' }, /mnist has 4 files, so give a folder address ending in '\/'/],
      [{ dataset: 'mnist', dir: '/d', url: 'http://x/', md5: archiveMd5 }, /--md5: mnist has 4 files/],
    ];
    for (const [options, message] of bad) {
      let error: unknown = null;
      try {
        planDatasetDownload(options);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(options)).toBeInstanceOf(DownloadRequestError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

describe('downloadDataset', () => {
  it('a mirror override with its MD5 fetches the archive once, then finds it present', async () => {
    const dir = newDir();
    requests.length = 0;
    const first = await downloadDataset({ dataset: 'cifar-10', dir, url: `${base}/archive.tar.gz`, md5: archiveMd5, ...FAST });
    expect(first.openPath).toBe(join(dir, 'cifar-10-binary.tar.gz'));
    expect(first.files.map((f) => f.status)).toEqual(['downloaded']);
    expect(readFileSync(first.openPath).equals(archive)).toBe(true);
    requests.length = 0;
    const notes: string[] = [];
    const second = await downloadDataset({ dataset: 'cifar-10', dir, url: `${base}/archive.tar.gz`, md5: archiveMd5, onNote: (l) => notes.push(l) });
    expect(second.files.map((f) => f.status)).toEqual(['present']);
    expect(requests).toEqual([]);
    expect(notes).toEqual(['cifar-10-binary.tar.gz: already present with the published MD5, skipped']);
  }, 5000);

  it('a base-address mirror fetches the file under its catalog name', async () => {
    const dir = newDir();
    // The published MD5 of the real archive does not match ours, so this proves the address and the check.
    const e = await downloadFailure(downloadDataset({ dataset: 'cifar-10', dir, url: `${base}/mirror/`, ...FAST }));
    expect(e.failure).toBe('checksum');
    expect(e.url).toBe(`${base}/mirror/cifar-10-binary.tar.gz`);
    expect(e.message).toContain('c32a1d4ab5d03f1284b67883e8d87530');
  }, 5000);

  it('replaces a file that is there with the wrong MD5', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'cifar-10-binary.tar.gz'), 'old');
    const notes: string[] = [];
    const result = await downloadDataset({ dataset: 'cifar-10', dir, url: `${base}/archive.tar.gz`, md5: archiveMd5, onNote: (l) => notes.push(l), ...FAST });
    const oldMd5 = createHash('md5').update('old').digest('hex');
    expect(notes).toEqual([`cifar-10-binary.tar.gz: the file there has MD5 ${oldMd5}, not the published ${archiveMd5}; downloading it again`]);
    expect(result.files[0]!.status).toBe('downloaded');
    expect(readFileSync(result.openPath).equals(archive)).toBe(true);
  }, 5000);

  it('tries the next mirror after a failing one, and names both when all fail', async () => {
    const entry = DATASET_CATALOG['cifar-10'];
    const file = (urls: string[]) => {
      const dir = newDir();
      return { entry, folder: dir, openPath: join(dir, 'x.tar.gz'), files: [{ name: 'x.tar.gz', path: join(dir, 'x.tar.gz'), md5: archiveMd5, urls }] };
    };
    const notes: string[] = [];
    const ok = await fetchPlannedDataset(file([`${base}/missing.tar.gz`, `${base}/archive.tar.gz`]), { onNote: (l) => notes.push(l), ...FAST });
    expect(ok.files[0]!.status).toBe('downloaded');
    expect(notes).toEqual([`x.tar.gz: HTTP 404 Not Found at 127.0.0.1:${new URL(base).port}, trying the next mirror`]);

    const e = await downloadFailure(fetchPlannedDataset(file([`${base}/missing.tar.gz`, `${base}/gone.tar.gz`]), { ...FAST }));
    expect(e.message).toMatch(/^download of .*\/gone\.tar\.gz failed: HTTP 404 Not Found; nothing left on disk \(earlier mirrors failed too: 127\.0\.0\.1:\d+: HTTP 404 Not Found\)$/);
  }, 5000);
});

describe('convboard download', () => {
  it('parses the dataset, --dir, --url and --md5, defaulting to cifar-10 in the given folder', () => {
    expect(parseDownloadOptions([], '/data')).toEqual({ dataset: 'cifar-10', dir: '/data' });
    expect(parseDownloadOptions(['mnist', '--dir', '/x'], '/data')).toEqual({ dataset: 'mnist', dir: '/x' });
    expect(parseDownloadOptions(['--url', 'http://m/a.tgz', '--md5', archiveMd5], '/d')).toEqual({ dataset: 'cifar-10', dir: '/d', url: 'http://m/a.tgz', md5: archiveMd5 });
    expect(() => parseDownloadOptions(['mnist', 'cifar-10'], '/d')).toThrow(DownloadRequestError);
    expect(() => parseDownloadOptions(['--bogus'], '/d')).toThrow(/Unknown option '--bogus'/);
  });

  it('prints a summary and the path to open', async () => {
    const dir = newDir();
    const lines: string[] = [];
    await runDownloadCommand(['cifar-10', '--dir', dir, '--url', `${base}/archive.tar.gz`, '--md5', archiveMd5], (l) => lines.push(l), '/unused');
    expect(lines).toEqual([
      'CIFAR-10 (binary version): 1 file downloaded, 0 already present, MD5 verified',
      join(dir, 'cifar-10-binary.tar.gz'),
    ]);
    expect(existsSync(join(dir, 'cifar-10-binary.tar.gz'))).toBe(true);
  }, 5000);
});
