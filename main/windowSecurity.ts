/**
 * The security settings of the app's windows and pages, as plain data and small functions so the
 * tests can check them without Electron. electronMain.ts applies them; httpHost.ts sends the same CSP.
 * Only Electron *types* are imported here.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/**
 * No remote content, no inline script, no eval. Images may be data:/blob: URLs (canvases exported
 * to PNG, blobs for downloads); the page talks only to its own origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** The scheme the Electron app serves its page from (registered as standard and secure). */
export const APP_SCHEME = 'convboard';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export function secureWebPreferences(preloadPath: string): WebPreferences {
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
    devTools: true,
  };
}

export function windowOptions(preloadPath: string, title: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 600,
    title,
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: secureWebPreferences(preloadPath),
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

/** Response headers for every file of the page. */
export function pageHeaders(contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}
