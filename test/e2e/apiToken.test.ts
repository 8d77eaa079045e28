// Browser mode must not let other local users or web pages drive the session: every API request
// needs the per-run token from the printed URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN_HEADER, CONTRACT_CONTENT_TYPE, decodeContract, encodeContract } from '../../core/contractCodec';
import { startServer, type RunningServer } from './helpers/server';

let server: RunningServer;

async function post(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.origin}${path}`, { method: 'POST', headers: { 'content-type': CONTRACT_CONTENT_TYPE, ...headers }, body: encodeContract({}) as Uint8Array<ArrayBuffer> });
}

describe('browser mode API token', () => {
  beforeAll(async () => {
    server = await startServer(null);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('binds to 127.0.0.1 and prints a URL with a long random token', () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    expect(server.token.length).toBeGreaterThanOrEqual(20);
  });

  it('answers with the token (header or query)', async () => {
    const viaHeader = await post('/api/getDataset', { [API_TOKEN_HEADER]: server.token });
    expect(viaHeader.status).toBe(200);
    const body = decodeContract(new Uint8Array(await viaHeader.arrayBuffer())) as { ok: boolean; value: { synthetic: boolean } };
    expect(body.ok).toBe(true);
    expect(body.value.synthetic).toBe(true);
    const viaQuery = await post(`/api/getDataset?token=${encodeURIComponent(server.token)}`);
    expect(viaQuery.status).toBe(200);
  });

  it('refuses requests without the token or with a wrong one (403)', async () => {
    expect((await post('/api/getDataset')).status).toBe(403);
    expect((await post('/api/getDataset', { [API_TOKEN_HEADER]: 'x'.repeat(server.token.length) })).status).toBe(403);
    expect((await post(`/api/openDataset?token=${server.token.slice(0, -1)}`)).status).toBe(403);
    expect((await post('/api/getStep?token=')).status).toBe(403);
  });
});
