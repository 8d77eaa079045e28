// `convboard download` as registered in the CLI: usage errors exit 2, the default folder is
// ./data under the current folder, and the path it prints opens with `info` and `export --data`.
// The download is served from a local server (the embedded sample packed as CIFAR's archive).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, copyFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from './helpers/runCli';

const SAMPLE = join(__dirname, '..', 'assets', 'sample', 'cifar-10-batches-bin');
const RAW = join(__dirname, 'fixtures', 'idx', 'root', 'FashionMNIST', 'raw');

/** The CLI as a child process that does not block this process (the server must answer it). */
function runCliAsync(args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, CONVBOARD_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function sampleArchive(): Promise<Buffer> {
  const pack = tar.pack();
  for (const name of readdirSync(SAMPLE).sort()) pack.entry({ name: `cifar-10-batches-bin/${name}` }, readFileSync(join(SAMPLE, name)));
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

describe('convboard download in the CLI', () => {
  let server: Server;
  let base: string;
  let archive: Buffer;
  beforeAll(async () => {
    archive = await sampleArchive();
    server = createServer((req, res) => {
      if (req.url === '/cifar-10-binary.tar.gz') {
        res.writeHead(200, { 'content-length': archive.length });
        res.end(archive);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('downloads into ./data by default and prints a path that info and export open', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'convboard-download-'));
    const md5 = createHash('md5').update(archive).digest('hex');
    const r = await runCliAsync(['download', 'cifar-10', '--url', `${base}/cifar-10-binary.tar.gz`, '--md5', md5], cwd);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const path = r.stdout.trimEnd().split('\n').pop()!;
    expect(path).toBe(join(cwd, 'data', 'cifar-10-binary.tar.gz'));
    const info = await runCliAsync(['info', path], cwd);
    expect(info.status).toBe(0);
    expect(info.stdout).toMatch(/^CIFAR-10 \(cifar-10-binary\.tar\.gz\)\nformat:  CIFAR-10 binary, 3073-byte records/);
    const exported = await runCliAsync(['export', '--data', path, '--steps', '0', '--out', 'out'], cwd);
    expect(exported.status).toBe(0);
    expect(existsSync(join(cwd, 'out', 'input', '000000.png'))).toBe(true);
  });

  it('exits 2 for a wrong call (unknown dataset, empty --dir) and lists download in the help', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'convboard-download-'));
    const unknown = await runCliAsync(['download', 'imagenet'], cwd);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/imagenet/);
    expect((await runCliAsync(['download', '--dir', ''], cwd)).status).toBe(2);
    expect((await runCliAsync(['download', '--frobnicate'], cwd)).status).toBe(2);
    const help = await runCliAsync(['--help'], cwd);
    expect(help.stdout).toMatch(/convboard download \[cifar-10\|cifar-100\|mnist\|fashion-mnist\]/);
    expect(help.stdout).toMatch(/DIR defaults to \.\/data under the current folder/);
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  it("opens the download folder of an MNIST-family dataset (./data/fashion-mnist of .gz files) from ./data itself", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'convboard-download-'));
    mkdirSync(join(cwd, 'data', 'fashion-mnist'), { recursive: true });
    for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']) {
      copyFileSync(join(RAW, f), join(cwd, 'data', 'fashion-mnist', f));
    }
    const info = await runCliAsync(['info', 'data'], cwd);
    expect(info.stderr).toBe('');
    expect(info.stdout).toMatch(/^Fashion-MNIST \(fashion-mnist\)\nformat:  Fashion-MNIST idx files \(gzipped\), grey images 1x28x28/);
    expect(info.stdout).toMatch(/names from torchvision's FashionMNIST classes/);
  });
});
