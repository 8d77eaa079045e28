/**
 * The security settings of the app's windows and pages, as plain data and small functions so the
 * tests can check them without Electron. electronMain.ts applies them; the page's CSP and headers come from host/pageSecurity.ts, shared with browser mode.
 * Only Electron *types* are imported here.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';


/** The scheme the Electron app serves its page from (registered as standard and secure). */
export const APP_SCHEME = 'convboard';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The explicit flag that turns developer tools on (`electron dist/electronMain.js --dev-tools`); off in production. */
export const DEV_TOOLS_FLAG = '--dev-tools';

export function devToolsRequested(argv: readonly string[]): boolean {
  return argv.includes(DEV_TOOLS_FLAG);
}

export function secureWebPreferences(preloadPath: string, devTools = false): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  };
}

export function windowOptions(preloadPath: string, title: string, devTools = false): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 600,
    title,
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: secureWebPreferences(preloadPath, devTools),
  };
}

/** True only for the app's own page; anything else (http:, file:, other hosts) is foreign. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** setWindowOpenHandler: the page never opens windows (window.open, target=_blank). */
export function denyWindowOpen(): { action: 'deny' } {
  return { action: 'deny' };
}

/** will-navigate / will-redirect: the page is a single page; any navigation away is refused. */
export function preventNavigation(event: { preventDefault(): void }, url: string): boolean {
  // Reloading our own page is navigation too, and harmless; everything else is stopped.
  if (isAppUrl(url)) return false;
  event.preventDefault();
  return true;
}

/** Permission requests (camera, notifications, geolocation, ...): the app needs none. */
export function denyPermission(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}
