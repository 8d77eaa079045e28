import type { HostRequestName, HostResponse } from '../../core/hostContract';

/**
 * What a transport (Electron IPC or browser mode's HTTP) hands each request to: the session's
 * `handle`. Transport-neutral, so neither transport depends on the other or on the session.
 */
export interface RequestHandler {
  handle(name: string, args: unknown): Promise<HostResponse<HostRequestName>>;
}
