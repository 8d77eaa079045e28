import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_PATH_PREFIX, API_TOKEN_HEADER, CONTRACT_CONTENT_TYPE, decodeContract, encodeContract } from '../core/contractCodec';
import { DEFAULT_VIEW, type HostRequestName, type HostResponse } from '../core/hostContract';
import { startHttpHost } from '../main/http/httpHost';
import type { RequestHandler } from '../main/host/requestHandler';
import { Session } from '../main/session/session';

const TOKEN = 'test-token-hardening';
const workerPath = resolve(__dirname, '..', 'dist', 'computeWorker.js');
const staticDir = mkdtempSync(join(tmpdir(), 'convboard-static-'));
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');

function post(port: number, name: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((done, reject) => {
    const req = request({
      host: '127.0.0.1', port, method: 'POST', path: `${API_PATH_PREFIX}${name}`,
      headers: { host: `127.0.0.1:${port}`, [API_TOKEN_HEADER]: TOKEN, 'content-type': CONTRACT_CONTENT_TYPE, 'content-length': String(body.length), ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(Buffer.from(body));
  });
}

function get(port: number, path: string): Promise<number> {
  return new Promise((done, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    }).on('error', reject).end();
  });
}

/** Sends a chunked body forever; resolves with the status line the server answers and whether it closed the socket. */
function endlessUpload(port: number, name: string): Promise<{ statusLine: string; closed: boolean; sent: number }> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 1);
    let timer: NodeJS.Timeout;
    socket.on('connect', () => {
      socket.write(`POST ${API_PATH_PREFIX}${name} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n${API_TOKEN_HEADER}: ${TOKEN}\r\ntransfer-encoding: chunked\r\n\r\n`);
      timer = setInterval(() => {
        if (socket.destroyed) return;
        socket.write(`${chunk.length.toString(16)}\r\n`);
        socket.write(chunk);
        socket.write('\r\n');
        sent += chunk.length;
      }, 1);
    });
    socket.on('data', (d) => { answer += d.toString('latin1'); });
    const finish = () => {
      clearInterval(timer);
      done({ statusLine: answer.split('\r\n')[0] ?? '', closed: true, sent });
    };
    socket.on('close', finish);
    socket.on('error', () => undefined);
  });
}

describe('HTTP host limits', () => {
  const echo: RequestHandler = { handle: async () => ({ ok: true, value: { names: [] } }) as HostResponse<HostRequestName> };

  it('refuses a body over the limit from its Content-Length, before reading it', async () => {
    let handled = 0;
    const host = await startHttpHost({ handler: { handle: async (...a) => { handled++; return echo.handle(...a); } }, staticDir, port: 0, token: TOKEN, maxBodyBytes: 1000 });
    try {
      const r = await post(host.port, 'listPresets', new Uint8Array(0), { 'content-length': String(10 * 1024 * 1024 * 1024) }).catch((e: Error) => ({ status: -1, body: Buffer.from(e.message) }));
      expect(r.status).toBe(413);
      expect(handled).toBe(0);
    } finally {
      await host.close();
    }
  });

  it('refuses a streamed body once it passes the limit, answering 413 and closing the connection', async () => {
    const host = await startHttpHost({ handler: echo, staticDir, port: 0, token: TOKEN, maxBodyBytes: 256 * 1024 });
    try {
      const r = await endlessUpload(host.port, 'listPresets');
      expect(r.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
      expect(r.closed).toBe(true);
    } finally {
      await host.close();
    }
  }, 20_000);

  it('answers 503 beyond the requests in flight, and serves again once they finish', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const slow: RequestHandler = { handle: async (...a) => { await gate; return echo.handle(...a); } };
    const host = await startHttpHost({ handler: slow, staticDir, port: 0, token: TOKEN, maxInFlight: 3 });
    try {
      const held = [0, 1, 2].map(() => post(host.port, 'listPresets', new Uint8Array(0)));
      await new Promise((r) => setTimeout(r, 200));
      const extra = await post(host.port, 'listPresets', new Uint8Array(0));
      expect(extra.status).toBe(503);
      release();
      expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200, 200]);
      expect((await post(host.port, 'listPresets', new Uint8Array(0))).status).toBe(200);
    } finally {
      await host.close();
    }
  });
});

describe('the main thread stays free while heavy requests run', () => {
  it('a static file and a small request are answered while a big exportStep is still being rendered', async () => {
    const session = await Session.open({ dataPath: null, workerPath });
    const host = await startHttpHost({ handler: session, staticDir, port: 0, token: TOKEN });
    try {
      // Warm the worker so its start-up is not what is measured.
      await post(host.port, 'getStep', encodeContract({ view: DEFAULT_VIEW, step: 0 }));
      const view = { ...DEFAULT_VIEW, batchSize: 320 };
      const display = { layout: 'channels', normalization: 'channel', colorMap: 'viridis', grid: 'torchvision', columns: 12, padding: 1, padValue: 1 };
      let heavyDone = false;
      const heavy = post(host.port, 'exportStep', encodeContract({ view, step: 0, display })).then((r) => { heavyDone = true; return r; });
      expect(await get(host.port, '/index.html')).toBe(200);
      // Small requests back to back for as long as the heavy one runs: rendering its PNGs (about
      // half a second of work) on the main thread would leave a gap that long between answers.
      const gaps: number[] = [];
      let last = performance.now();
      while (!heavyDone) {
        expect((await post(host.port, 'listPresets', new Uint8Array(0))).status).toBe(200);
        const now = performance.now();
        gaps.push(now - last);
        last = now;
      }
      expect(gaps.length).toBeGreaterThan(5);
      expect(Math.max(...gaps.slice(0, -1))).toBeLessThan(250);
      const answer = decodeContract(new Uint8Array((await heavy).body)) as HostResponse<'exportStep'>;
      expect(answer.ok, JSON.stringify((answer as { error?: unknown }).error)).toBe(true);
    } finally {
      await host.close();
      await session.close();
    }
  }, 60_000);
});

describe('serve shutdown', () => {
  it('SIGTERM in the middle of an export stops within seconds and leaves a complete prefix', async () => {
    const { spawn } = await import('node:child_process');
    const { readdirSync } = await import('node:fs');
    const cwd = mkdtempSync(join(tmpdir(), 'convboard-serve-'));
    const child = spawn(process.execPath, [resolve(__dirname, '..', 'dist', 'cli.js'), 'serve', '--port', '0'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    for (let i = 0; i < 300 && !/running at/.test(out); i++) await new Promise((r) => setTimeout(r, 20));
    const url = new URL(/running at (\S+)/.exec(out)![1]!);
    const port = Number(url.port);
    const token = url.searchParams.get('token')!;
    const start = await new Promise<number>((done, reject) => {
      const body = encodeContract({ view: { ...DEFAULT_VIEW, batchSize: 1 }, display: { layout: 'channels', normalization: 'channel', colorMap: 'viridis', grid: 'torchvision', columns: 12, padding: 1, padValue: 1 }, dir: 'run' });
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: `${API_PATH_PREFIX}startExportAll`, headers: { host: `127.0.0.1:${port}`, [API_TOKEN_HEADER]: token, 'content-length': String(body.length) } }, (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(Buffer.from(body));
    });
    expect(start).toBe(200);
    const outDir = join(cwd, 'convboard-exports', 'run', 'output');
    for (let i = 0; i < 500; i++) {
      try {
        if (readdirSync(outDir).length >= 3) break;
      } catch { /* not there yet */ }
      await new Promise((r) => setTimeout(r, 10));
    }
    const stopped = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
    expect(Date.now() - stopped).toBeLessThan(8000);
    expect(code).toBe(0);
    const left = readdirSync(outDir).sort();
    expect(left.length).toBeGreaterThanOrEqual(3);
    expect(left).toEqual(Array.from({ length: left.length }, (_, i) => `${String(i).padStart(6, '0')}.png`));
    expect(readdirSync(join(cwd, 'convboard-exports', 'run', 'input')).sort()).toEqual(left);
  }, 60_000);
});
