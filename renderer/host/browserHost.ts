import { API_PATH_PREFIX, API_TOKEN_HEADER, CONTRACT_CONTENT_TYPE, decodeContract, encodeContract } from '../../core/contractCodec';
import { TransportError } from './transportError';
import { HostError, type Host, type HostArgs, type HostRequestName, type HostResponse, type HostResult } from '../../core/hostContract';

/** Browser mode: the same contract over POST /api/<name>, binary bodies, the per-run token from the page URL. */
export class BrowserHost implements Host {
  readonly kind = 'browser' as const;

  constructor(private readonly token: string) {}

  async request<K extends HostRequestName>(name: K, args: HostArgs<K>): Promise<HostResult<K>> {
    let response: Response;
    try {
      response = await fetch(`${API_PATH_PREFIX}${name}`, {
        method: 'POST',
        headers: { 'content-type': CONTRACT_CONTENT_TYPE, [API_TOKEN_HEADER]: this.token },
        body: encodeContract(args) as Uint8Array<ArrayBuffer>,
      });
    } catch {
      throw new TransportError({ message: 'Cannot reach the ConvBoard server: is `convboard serve` still running?', field: null });
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    let envelope: HostResponse<K>;
    try {
      envelope = decodeContract(bytes) as HostResponse<K>;
    } catch {
      const text = new TextDecoder().decode(bytes.subarray(0, 200)).trim();
      throw new TransportError({ message: `The server answered ${response.status} ${response.statusText}${text ? `: ${text}` : ''}`, field: null });
    }
    if (!envelope.ok) throw new HostError(envelope.error);
    return envelope.value;
  }
}

/** The token the server put in the URL it printed (…/?token=…). */
export function tokenFromLocation(location: Location): string | null {
  return new URLSearchParams(location.search).get('token');
}
