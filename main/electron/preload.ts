/**
 * Runs sandboxed, before the page, with contextIsolation: exposes exactly one function,
 * window.convboard.request(name, args), resolving to the HostResponse envelope (Error classes do
 * not cross contextBridge, so errors travel as data). No ipcRenderer, no Node, nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_REQUEST_CHANNEL } from './ipcChannel';

contextBridge.exposeInMainWorld('convboard', {
  request: (name: string, args: unknown): Promise<unknown> => ipcRenderer.invoke(IPC_REQUEST_CHANNEL, String(name), args),
});
