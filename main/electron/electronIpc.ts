/** Main's side of the preload bridge: every call is checked for its sender, then validated by the session. */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { HostRequestName, HostResponse } from '../../core/hostContract';
import type { RequestHandler } from '../host/requestHandler';
import { IPC_REQUEST_CHANNEL } from './ipcChannel';
import { isAppUrl } from './windowSecurity';

const refused = (message: string): HostResponse<HostRequestName> => ({ ok: false, error: { message, field: null } });

/**
 * Answers one IPC request. Only the app's own page (convboard://app) in a window that has a
 * session may ask; the session validates the arguments (core/hostSchemas.ts) before acting.
 */
export async function answerIpcRequest(senderUrl: string | null, handler: RequestHandler | null, name: unknown, args: unknown): Promise<HostResponse<HostRequestName>> {
  if (senderUrl === null || !isAppUrl(senderUrl)) return refused('request refused: it does not come from the ConvBoard page');
  if (handler === null) return refused('request refused: this window has no session');
  if (typeof name !== 'string') return refused('request: expected a request name');
  return handler.handle(name, args);
}

export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, sessionFor: (webContentsId: number) => RequestHandler | null): void {
  ipcMain.handle(IPC_REQUEST_CHANNEL, (event: IpcMainInvokeEvent, name: unknown, args: unknown) =>
    answerIpcRequest(event.senderFrame?.url ?? null, sessionFor(event.sender.id), name, args),
  );
}
