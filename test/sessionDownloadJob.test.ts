// startDownload as a session job against a local mirror: a wrong MD5 fails in one line and leaves
// the open dataset alone; the right one downloads, opens the archive, and answers with it.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadResult, HostResult } from '../core/hostContract';
import { Session } from '../main/session/session';
import { tarBytes } from './helpers/datasetTestFiles';

const root = resolve(__dirname, '..');
const workerPath = join(root, 'dist', 'computeWorker.js');
const SAMPLE = join(root, 'assets', 'sample', 'cifar-10-batches-bin');

let server: Server;
let url = '';
let archive: Buffer;
let md5 = '';
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'convboard-download-job-'));
  archive = gzipSync(await tarBytes(readdirSync(SAMPLE).sort().map((n) => ({ name: `cifar-10-batches-bin/${n}`, data: readFileSync(join(SAMPLE, n)) }))));
  md5 = createHash('md5').update(archive).digest('hex');
  server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Length': archive.length });
    res.end(archive);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cifar-10-binary.tar.gz`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  if (work) rmSync(work, { recursive: true, force: true });
});

async function runDownload(session: Session): Promise<HostResult<'getJob'>> {
  const started = await session.handle('startDownload', { dataset: 'cifar-10' });
  if (!started.ok) throw new Error(started.error.message);
  const { jobId } = started.value as HostResult<'startDownload'>;
  await session.settled(jobId);
  const status = await session.handle('getJob', { jobId });
  if (!status.ok) throw new Error(status.error.message);
  return status.value as HostResult<'getJob'>;
}

describe('startDownload', () => {
  it('fails in one line on a wrong MD5 and keeps the embedded sample open', async () => {
    const session = await Session.open({ dataPath: null, workerPath, download: { dataDir: join(work, 'bad'), url, md5: '0'.repeat(32) } });
    try {
      const status = await runDownload(session);
      expect(status.state).toBe('failed');
      expect(status.kind).toBe('download');
      expect(status.error).toMatch(/MD5/);
      expect(status.error).not.toContain('\n');
      expect(session.datasetInfo.synthetic).toBe(true);
    } finally {
      await session.close();
    }
  });

  it('downloads into the data folder, reports bytes, and opens what it fetched', async () => {
    const dataDir = join(work, 'good');
    const session = await Session.open({ dataPath: null, workerPath, download: { dataDir, url, md5 } });
    try {
      const status = await runDownload(session);
      expect(status.state, status.error ?? '').toBe('finished');
      expect([status.done, status.total]).toEqual([archive.length, archive.length]);
      expect(status.detail).toMatch(/^opening CIFAR-10/);
      const result = status.result as DownloadResult;
      expect(result.openPath).toBe(join(dataDir, 'cifar-10-binary.tar.gz'));
      expect(result.dataset).toEqual(session.datasetInfo);
      expect(result.dataset.synthetic).toBe(false);
      expect(result.dataset.format).toBe('cifar-10');
      expect(readFileSync(result.openPath).equals(archive)).toBe(true);
    } finally {
      await session.close();
    }
  });
});
