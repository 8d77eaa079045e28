import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN_HEADER, CONTRACT_CONTENT_TYPE, decodeContract, encodeContract } from '../core/contractCodec';
import { DEFAULT_VIEW, type HostRequestName, type HostResponse, type StepResult } from '../core/hostContract';
import { startHttpHost } from '../main/http/httpHost';
import { runServe } from '../main/http/browserMode';
import { CONTENT_SECURITY_POLICY } from '../main/host/pageSecurity';

const root = resolve(__dirname, '..');
const fixture = JSON.parse(readFileSync(join(root, 'test/fixtures/session/sampleWorkflow.json'), 'utf8'));

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw HTTP request: the path is sent exactly as given (no client-side normalisation of "..") */
function raw(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: Uint8Array): Promise<RawResponse> {
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body ? Buffer.from(body) : undefined);
  });
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host, port });
    socket.setTimeout(2000);
    socket.once('connect', () => { socket.destroy(); resolvePromise(true); });
    socket.once('error', () => resolvePromise(false));
    socket.once('timeout', () => { socket.destroy(); resolvePromise(false); });
  });
}

describe('browser mode HTTP host (runServe)', () => {
  let server: { url: string; close(): Promise<void> };
  let port: number;
  let token: string;
  const log: string[] = [];

  const api = async (name: HostRequestName | string, args: unknown, headers: Record<string, string> = { [API_TOKEN_HEADER]: token }) =>
    raw(port, 'POST', `/api/${name}`, { 'content-type': CONTRACT_CONTENT_TYPE, ...headers }, encodeContract(args));

  beforeAll(async () => {
    server = await runServe({ dataPath: null, port: null, log: (l) => log.push(l) });
    const url = new URL(server.url);
    port = Number(url.port);
    token = url.searchParams.get('token')!;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('prints a 127.0.0.1 URL with a long random token, different on every run', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
    const other = await runServe({ dataPath: null, port: null, log: () => {} });
    try {
      expect(new URL(other.url).searchParams.get('token')).not.toBe(token);
    } finally {
      await other.close();
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(await canConnect('127.0.0.1', port)).toBe(true);
    const external = Object.values(networkInterfaces()).flat().filter((a) => a && !a.internal && a.family === 'IPv4').map((a) => a!.address);
    for (const address of external) expect(await canConnect(address, port), address).toBe(false);
    expect(await canConnect('::1', port)).toBe(false);
  });

  it('refuses API requests without the right token (403), whatever the request', async () => {
    for (const headers of [{} as Record<string, string>, { [API_TOKEN_HEADER]: 'wrong' }, { [API_TOKEN_HEADER]: token.slice(1) }, { [API_TOKEN_HEADER]: `${token}x` }]) {
      const r = await api('getDataset', {}, headers);
      expect(r.status).toBe(403);
      expect(r.body.toString()).toBe('forbidden: missing or wrong token');
    }
    expect((await raw(port, 'POST', '/api/openDataset?token=nope', {}, encodeContract({ path: '/etc' }))).status).toBe(403);
    expect((await raw(port, 'GET', '/api/getDataset')).status).toBe(403);
  });

  it('accepts the token as header or query parameter; refuses foreign Host and Origin headers', async () => {
    expect((await api('getDataset', {})).status).toBe(200);
    const viaQuery = await raw(port, 'POST', `/api/getDataset?token=${token}`, {}, encodeContract({}));
    expect(viaQuery.status).toBe(200);
    expect((decodeContract(viaQuery.body) as HostResponse<'getDataset'>).ok).toBe(true);
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host.
    expect((await api('getDataset', {}, { [API_TOKEN_HEADER]: token, host: `evil.example:${port}` })).status).toBe(403);
    expect((await api('getDataset', {}, { [API_TOKEN_HEADER]: token, origin: 'https://evil.example' })).status).toBe(403);
    expect((await api('getDataset', {}, { [API_TOKEN_HEADER]: token, origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await raw(port, 'GET', `/api/getDataset?token=${token}`)).status).toBe(405);
  });

  it('serves the built page with a strict CSP, and nothing outside dist/renderer', async () => {
    const page = await raw(port, 'GET', '/?token=x');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body.toString()).toBe(readFileSync(join(root, 'dist/renderer/index.html'), 'utf8'));
    const traversals = [
      '/../package.json', '/..%2fpackage.json', '/%2e%2e/package.json', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/..\\package.json', '/%5c..%5cpackage.json', '//etc/passwd', '/.%2e/cli.js', '/../cli.js', '/app.js%00.html',
      '/.hidden', '/%2e%2e/%2e%2e/main/session.ts', '/renderer/../../package.json',
    ];
    for (const path of traversals) {
      const r = await raw(port, 'GET', path);
      expect(r.status, path).toBe(404);
      expect(r.body.toString(), path).toBe('not found');
    }
    // The URL standard folds a bare /.. (or /%2e%2e) into /, which is the page itself.
    for (const path of ['/..', '/%2e%2e']) expect((await raw(port, 'GET', path)).body.toString()).toBe(page.body.toString());
    expect((await raw(port, 'GET', '/no-such-file.js')).status).toBe(404);
    expect((await raw(port, 'DELETE', '/index.html')).status).toBe(405);
  });

  it('answers getStep as one binary message: typed arrays with PyTorch\'s values', async () => {
    const r = await api('getStep', { view: DEFAULT_VIEW, step: 0 });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(CONTRACT_CONTENT_TYPE);
    const answer = decodeContract(r.body) as HostResponse<'getStep'>;
    expect(answer.ok).toBe(true);
    const step = (answer as { value: StepResult }).value;
    expect(step.input).toBeInstanceOf(Uint8Array);
    expect(step.output).toBeInstanceOf(Float32Array);
    expect(step.labels).toBeInstanceOf(Uint16Array);
    expect(step.indices).toBeInstanceOf(Uint32Array);
    expect(step.outputShape).toEqual([64, 6, 30, 30]);
    const expected = fixture.cases[0].steps[0];
    expected.positions.forEach((p: number, i: number) => expect(Math.abs(step.output[p]! - expected.values[i])).toBeLessThan(1e-4));
    step.channelStats.forEach((s, c) => expect(Math.abs(s.mean - expected.mean[c])).toBeLessThan(1e-4));
    // The binary body is about the size of the arrays, not a JSON blow-up.
    expect(r.body.length).toBeLessThan(64 * 3072 + 64 * 6 * 900 * 4 + 64 * 6 + 8192);
  });

  it('answers errors as one-line envelopes: bad arguments, unknown requests, malformed bodies', async () => {
    const bad = decodeContract((await api('getStep', { view: DEFAULT_VIEW, step: -1 })).body);
    expect(bad).toEqual({ ok: false, error: { message: `step: must be from 0 to ${Number.MAX_SAFE_INTEGER}, got -1`, field: 'step' } });
    const unknown = decodeContract((await api('readFile', { path: '/etc/passwd' })).body);
    expect(unknown).toEqual({ ok: false, error: { message: "request: unknown request 'readFile'", field: 'request' } });
    const malformed = await raw(port, 'POST', '/api/getDataset', { [API_TOKEN_HEADER]: token }, new TextEncoder().encode('{"json": true}'));
    expect(malformed.status).toBe(400);
    expect(decodeContract(malformed.body)).toEqual({ ok: false, error: { message: 'bad request body: not a ConvBoard contract message (bad magic)', field: null } });
  });
});

describe('startHttpHost limits', () => {
  it('refuses oversized bodies with 413 before the handler sees them', async () => {
    const seen: string[] = [];
    const host = await startHttpHost({
      handler: { handle: async (name) => { seen.push(name); return { ok: true, value: {} as never }; } },
      staticDir: join(root, 'dist', 'renderer'),
      port: null,
      maxBodyBytes: 1024,
    });
    try {
      const big = await raw(host.port, 'POST', '/api/setWeights', { [API_TOKEN_HEADER]: host.token }, new Uint8Array(4096));
      expect(big.status).toBe(413);
      const small = await raw(host.port, 'POST', '/api/getDataset', { [API_TOKEN_HEADER]: host.token }, encodeContract({}));
      expect(small.status).toBe(200);
      expect(seen).toEqual(['getDataset']);
    } finally {
      await host.close();
    }
  });

  it('a port already in use is a one-line error naming the port', async () => {
    const first = await runServe({ dataPath: null, port: null, log: () => {} });
    try {
      const taken = Number(new URL(first.url).port);
      await expect(runServe({ dataPath: null, port: taken, log: () => {} })).rejects.toThrow(`--port: port ${taken} is already in use on 127.0.0.1`);
    } finally {
      await first.close();
    }
  });

  it('a dataset that cannot be opened is refused before listening', async () => {
    await expect(runServe({ dataPath: '/no/such/cifar', port: null, log: () => {} })).rejects.toThrow(/^\/no\/such\/cifar: /);
  });
});
