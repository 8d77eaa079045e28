/**
 * Browser mode's transport: the built page and the Host contract over HTTP, on 127.0.0.1 only.
 * Every API call must carry the per-run token (header x-convboard-token, or ?token=): other local
 * users and web pages in the user's browser cannot learn it, so they cannot drive the session
 * (which opens and writes files). The Host header is checked too, against DNS rebinding.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_PATH_PREFIX, API_TOKEN_HEADER, API_TOKEN_QUERY, CONTRACT_CONTENT_TYPE, decodeContract, encodeContract } from '../../core/contractCodec';
import type { HostRequestName, HostResponse } from '../../core/hostContract';
import type { RequestHandler } from '../host/requestHandler';
import { contentTypeFor, resolveStaticPath } from '../host/staticFiles';
import { pageHeaders } from '../host/pageSecurity';


export interface HttpHostOptions {
  handler: RequestHandler;
  /** dist/renderer/ */
  staticDir: string;
  /** null or 0: any free port. */
  port: number | null;
  /** Random by default; fixed only in tests. */
  token?: string;
  log?: (line: string) => void;
  /** Request bodies above this are refused (413); .npy weights are the largest legitimate ones. */
  maxBodyBytes?: number;
}

export interface HttpHost {
  /** The page's address, token included. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const HOST_ADDRESS = '127.0.0.1';

function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, body: string | Uint8Array, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...pageHeaders(contentType), 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startHttpHost(o: HttpHostOptions): Promise<HttpHost> {
  const token = o.token ?? randomBytes(24).toString('base64url');
  const maxBody = o.maxBodyBytes ?? 160 * 1024 * 1024;
  let port = 0;
  const allowedHosts = () => new Set([`${HOST_ADDRESS}:${port}`, `localhost:${port}`]);

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://${HOST_ADDRESS}`);
      if (!allowedHosts().has(req.headers.host ?? '')) return send(res, 403, 'forbidden: unexpected Host header');
      if (url.pathname.startsWith(API_PATH_PREFIX)) {
        const given = (req.headers[API_TOKEN_HEADER] as string | undefined) ?? url.searchParams.get(API_TOKEN_QUERY);
        if (!sameToken(given ?? null, token)) return send(res, 403, 'forbidden: missing or wrong token');
        if (req.method !== 'POST') {
          res.setHeader('allow', 'POST');
          return send(res, 405, 'method not allowed: use POST');
        }
        const origin = req.headers.origin;
        if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, ''))) return send(res, 403, 'forbidden: foreign origin');
        const name = url.pathname.slice(API_PATH_PREFIX.length);
        const body = await readBody(req, maxBody);
        if (body === null) return send(res, 413, `request body larger than ${maxBody} bytes`);
        let args: unknown;
        try {
          args = body.length === 0 ? {} : decodeContract(body);
        } catch (e) {
          const answer: HostResponse<HostRequestName> = { ok: false, error: { message: `bad request body: ${(e as Error).message}`, field: null } };
          return send(res, 400, encodeContract(answer), CONTRACT_CONTENT_TYPE);
        }
        const answer = await o.handler.handle(name, args);
        return send(res, 200, encodeContract(answer), CONTRACT_CONTENT_TYPE);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        return send(res, 405, 'method not allowed');
      }
      const file = resolveStaticPath(o.staticDir, url.pathname);
      if (file === null) return send(res, 404, 'not found');
      const bytes = await readFile(file);
      if (req.method === 'HEAD') {
        res.writeHead(200, { ...pageHeaders(contentTypeFor(file)), 'content-length': String(bytes.length) });
        return res.end();
      }
      return send(res, 200, bytes, contentTypeFor(file));
    })().catch((e: unknown) => {
      o.log?.(`http host error: ${e instanceof Error ? e.stack : String(e)}`);
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  });
  // Requests are small and local; a stalled client must not hold a socket forever.
  server.requestTimeout = 5 * 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, HOST_ADDRESS, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${HOST_ADDRESS}:${port}`;
  return {
    url: `${origin}/?${API_TOKEN_QUERY}=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

