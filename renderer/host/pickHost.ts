import type { Host } from '../../core/hostContract';
import { BrowserHost, tokenFromLocation } from './browserHost';
import { ElectronHost } from './electronHost';

/** The preload's bridge means Electron; otherwise the page was served by `convboard serve` with a token. */
export function pickHost(win: Window): Host {
  if (win.convboard) return new ElectronHost(win.convboard);
  const token = tokenFromLocation(win.location);
  if (!token) throw new Error('This page needs the address `convboard serve` printed (it carries the access token).');
  return new BrowserHost(token);
}
