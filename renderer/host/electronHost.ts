import { HostError, type Host, type HostArgs, type HostRequestName, type HostResponse, type HostResult } from '../../core/hostContract';

/** What main/preload.ts exposes through contextBridge: the envelope, since Error classes do not cross it. */
export interface ConvboardBridge {
  request(name: string, args: unknown): Promise<unknown>;
}

declare global {
  interface Window {
    convboard?: ConvboardBridge;
  }
}

export class ElectronHost implements Host {
  readonly kind = 'electron' as const;

  constructor(private readonly bridge: ConvboardBridge) {}

  async request<K extends HostRequestName>(name: K, args: HostArgs<K>): Promise<HostResult<K>> {
    const envelope = (await this.bridge.request(name, args)) as HostResponse<K>;
    if (!envelope.ok) throw new HostError(envelope.error);
    return envelope.value;
  }
}
