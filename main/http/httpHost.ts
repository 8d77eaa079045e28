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
  /** API requests being answered at once; more get 503 (the page makes a few at a time). */
  maxInFlight?: number;
}

/** The weights budget (64 MiB, main/session/layerBudget.ts) plus the bias and the encoding's overhead. */
export const DEFAULT_MAX_BODY_BYTES = 80 * 1024 * 1024;
export const DEFAULT_MAX_IN_FLIGHT = 16;

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

/**
 * Answers, then closes the connection. The rest of the body is read and dropped (never kept) until
 * then: closing a socket with unread bytes makes the kernel send a reset, which can wipe the answer
 * before the client reads it (so no 'connection: close', after which Node closes at once).
 */
function refuseAndClose(req: IncomingMessage, res: ServerResponse, status: number, body: string): void {
  if (status === 503) res.setHeader('retry-after', '1');
  const socket = req.socket;
  send(res, status, body);
  res.once('finish', () => {
    req.resume();
    setTimeout(() => socket?.destroy(), 1000).unref();
  });
}

/**
 * The body, or null once it is known to exceed `limit` (from Content-Length, or while streaming):
 * nothing past the limit is kept. The stream is paused, not destroyed, so the 413 can still be sent.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | null> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && (!/^\d+$/.test(declared) || Number(declared) > limit)) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.off('data', onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

export async function startHttpHost(o: HttpHostOptions): Promise<HttpHost> {
  const token = o.token ?? randomBytes(24).toString('base64url');
  const maxBody = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxInFlight = o.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  let inFlight = 0;
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
        if (inFlight >= maxInFlight) return refuseAndClose(req, res, 503, `busy: ${maxInFlight} requests are being answered; try again`);
        inFlight++;
        try {
          const body = await readBody(req, maxBody);
          if (body === null) return refuseAndClose(req, res, 413, `request body larger than ${maxBody} bytes`);
          let args: unknown;
          try {
            args = body.length === 0 ? {} : decodeContract(body);
          } catch (e) {
            const answer: HostResponse<HostRequestName> = { ok: false, error: { message: `bad request body: ${(e as Error).message}`, field: null } };
            return send(res, 400, encodeContract(answer), CONTRACT_CONTENT_TYPE);
          }
          const answer = await o.handler.handle(name, args);
          return send(res, 200, encodeContract(answer), CONTRACT_CONTENT_TYPE);
        } finally {
          inFlight--;
        }
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

