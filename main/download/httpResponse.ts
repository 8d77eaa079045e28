// One GET with the headers of a resumable download, following a bounded number of http/https
// redirects, with a deadline for the answer's headers. node:http rather than fetch so a dropped
// socket, a refused connection and a DNS failure each keep their own error code.
import http from 'node:http';
import https from 'node:https';
import { describeSystemError, type DownloadFailure } from './downloadError';

/** Why a request failed, before the caller adds the address and what is left on disk. */
export class RequestFailure extends Error {
  override readonly name = 'RequestFailure';
  constructor(
    readonly failure: DownloadFailure,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export interface OpenResponseOptions {
  /** Byte offset to ask for with `Range: bytes=N-`; 0 asks for the whole file. */
  readonly rangeStart: number;
  readonly connectTimeoutMs: number;
  readonly maxRedirects: number;
  readonly signal?: AbortSignal;
}

export interface OpenedResponse {
  readonly response: http.IncomingMessage;
  /** The address that answered, after redirects. */
  readonly url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'convboard';

function httpUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RequestFailure(what === 'address' ? 'network' : 'redirect', `${what} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RequestFailure(what === 'address' ? 'network' : 'redirect', `${what} is a ${url.protocol} address, not http or https`);
  }
  return url;
}

function requestOnce(url: URL, o: OpenResponseOptions): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    // identity: the MD5 is of the bytes on the server, and a Range offset counts those bytes.
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT, 'Accept-Encoding': 'identity' };
    if (o.rangeStart > 0) headers.Range = `bytes=${o.rangeStart}-`;
    const request = (url.protocol === 'https:' ? https : http).request(url, { method: 'GET', headers, agent: false });
    const timer = setTimeout(() => {
      request.destroy(new RequestFailure('timeout', `no answer within ${Math.round(o.connectTimeoutMs / 1000)} s`));
    }, o.connectTimeoutMs);
    const onAbort = () => request.destroy(new RequestFailure('cancelled', 'cancelled'));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
    };
    request.on('response', (response) => {
      settle();
      resolve(response);
    });
    request.on('error', (error) => {
      settle();
      reject(error instanceof RequestFailure ? error : new RequestFailure('network', `cannot connect to ${url.host} (${describeSystemError(error)})`));
    });
    request.end();
  });
}

/** The first non-redirect answer to GET `address`; the caller must consume or destroy its body. */
export async function openHttpResponse(address: string, o: OpenResponseOptions): Promise<OpenedResponse> {
  if (o.signal?.aborted) throw new RequestFailure('cancelled', 'cancelled');
  let url = httpUrl(address, 'address');
  for (let hops = 0; ; hops++) {
    const response = await requestOnce(url, o);
    const status = response.statusCode ?? 0;
    if (!REDIRECTS.has(status)) return { response, url: url.href };
    response.destroy();
    const location = response.headers.location;
    if (!location) throw new RequestFailure('http', `HTTP ${status} redirect without a Location header`);
    if (hops >= o.maxRedirects) throw new RequestFailure('redirect', `more than ${o.maxRedirects} redirects`);
    let next: string;
    try {
      next = new URL(location, url).href;
    } catch {
      throw new RequestFailure('redirect', 'redirect Location is not a valid URL');
    }
    url = httpUrl(next, 'redirect target');
  }
}
