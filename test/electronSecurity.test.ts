import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_VIEW } from '../core/hostContract';
import { answerIpcRequest, registerIpc } from '../main/electron/electronIpc';
import { menuTemplate, type MenuActions } from '../main/electron/electronMenu';
import { IPC_REQUEST_CHANNEL } from '../main/electron/ipcChannel';
import { Session } from '../main/session/session';
import { resolveStaticPath } from '../main/host/staticFiles';
import {
  APP_ENTRY_URL, denyPermission, denyWindowOpen, devToolsRequested, isAppUrl, preventNavigation, secureWebPreferences, windowOptions,
} from '../main/electron/windowSecurity';
import { CONTENT_SECURITY_POLICY } from '../main/host/pageSecurity';
import { runElectronBundle } from './helpers/electronBundle';

const root = resolve(__dirname, '..');
const dist = join(root, 'dist');


describe('window security settings', () => {
  it('isolates, sandboxes and strips Node from every window', () => {
    const prefs = secureWebPreferences('/app/dist/preload.js');
    expect(prefs).toMatchObject({
      preload: '/app/dist/preload.js', contextIsolation: true, sandbox: true, nodeIntegration: false,
      nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true,
      allowRunningInsecureContent: false, webviewTag: false, experimentalFeatures: false, navigateOnDragDrop: false,
    });
    expect(windowOptions('/p.js', 'ConvBoard').webPreferences).toEqual(secureWebPreferences('/p.js'));
  });

  it('developer tools are off unless the explicit --dev-tools flag is given', () => {
    expect(secureWebPreferences('/p.js').devTools).toBe(false);
    expect(windowOptions('/p.js', 'ConvBoard').webPreferences!.devTools).toBe(false);
    expect(devToolsRequested(['electron', 'dist/electronMain.js', 'data.bin'])).toBe(false);
    expect(devToolsRequested(['electron', 'dist/electronMain.js', '--dev-tools'])).toBe(true);
    expect(windowOptions('/p.js', 'ConvBoard', true).webPreferences!.devTools).toBe(true);
  });

  it('the CSP allows only the app itself: no remote content, no inline or eval script', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('only the app page counts as the app; navigation elsewhere and new windows are denied', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'convboard://evil/index.html', 'http://127.0.0.1/', 'not a url', 'javascript:alert(1)']) {
      expect(isAppUrl(url), url).toBe(false);
      let prevented = false;
      expect(preventNavigation({ preventDefault: () => { prevented = true; } }, url)).toBe(true);
      expect(prevented, url).toBe(true);
    }
    let prevented = false;
    preventNavigation({ preventDefault: () => { prevented = true; } }, APP_ENTRY_URL);
    expect(prevented).toBe(false);
    expect(denyWindowOpen()).toEqual({ action: 'deny' });
    let granted: boolean | null = null;
    denyPermission(null, 'media', (g) => { granted = g; });
    expect(granted).toBe(false);
  });
});

describe('page files (protocol handler and HTTP host)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'convboard-static-'));
  const pageRoot = join(tmp, 'renderer');
  beforeAll(() => {
    mkdirSync(join(pageRoot, 'views'), { recursive: true });
    writeFileSync(join(pageRoot, 'index.html'), '<!doctype html>');
    writeFileSync(join(pageRoot, 'views', 'a.js'), '');
    writeFileSync(join(tmp, 'secret.txt'), 'secret');
    writeFileSync(join(pageRoot, '.env'), 'x');
    symlinkSync(join(tmp, 'secret.txt'), join(pageRoot, 'link.txt'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('resolves files inside the root only', () => {
    expect(resolveStaticPath(pageRoot, '/')).toBe(join(pageRoot, 'index.html'));
    expect(resolveStaticPath(pageRoot, '/views/a.js')).toBe(join(pageRoot, 'views', 'a.js'));
    for (const p of ['/../secret.txt', '/views/../../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/..\\secret.txt',
      '/link.txt', '/.env', '/views', '/index.html%00', '/%E0%A4%A', 'index.html', '/nothing']) {
      expect(resolveStaticPath(pageRoot, p), p).toBeNull();
    }
  });
});

describe('IPC requests', () => {
  let session: Session;
  beforeAll(async () => {
    session = await Session.open({ dataPath: null, workerPath: join(dist, 'computeWorker.js') });
  });
  afterAll(async () => session?.close());

  it('answers only the app page, and validates the arguments with the contract schemas', async () => {
    expect(await answerIpcRequest('https://evil.example/', session, 'getDataset', {})).toEqual({
      ok: false, error: { message: 'request refused: it does not come from the ConvBoard page', field: null },
    });
    expect((await answerIpcRequest(null, session, 'getDataset', {})).ok).toBe(false);
    expect((await answerIpcRequest(APP_ENTRY_URL, null, 'getDataset', {})).ok).toBe(false);
    expect(await answerIpcRequest(APP_ENTRY_URL, session, 'getStep', { view: DEFAULT_VIEW, step: 'x' })).toEqual({
      ok: false, error: { message: 'step: expected an integer, got "x"', field: 'step' },
    });
    const info = await answerIpcRequest(APP_ENTRY_URL, session, 'getDataset', {});
    expect(info.ok && (info.value as { synthetic: boolean }).synthetic).toBe(true);
  });

  it('registers one handler on one channel, keyed by the sending window', async () => {
    const handlers = new Map<string, (...a: unknown[]) => unknown>();
    registerIpc({ handle: (channel: string, fn: (...a: unknown[]) => unknown) => void handlers.set(channel, fn) } as never, (id) => (id === 7 ? session : null));
    expect([...handlers.keys()]).toEqual([IPC_REQUEST_CHANNEL]);
    const invoke = handlers.get(IPC_REQUEST_CHANNEL)!;
    const fromApp = await invoke({ senderFrame: { url: APP_ENTRY_URL }, sender: { id: 7 } }, 'listPresets', {});
    expect((fromApp as { ok: boolean }).ok).toBe(true);
    const otherWindow = await invoke({ senderFrame: { url: APP_ENTRY_URL }, sender: { id: 8 } }, 'listPresets', {});
    expect(otherWindow).toEqual({ ok: false, error: { message: 'request refused: this window has no session', field: null } });
  });
});

describe('menu', () => {
  const calls: string[] = [];
  const actions: MenuActions = {
    openDatasetFile: () => calls.push('file'), openDatasetFolder: () => calls.push('folder'), openRecent: (p) => calls.push(`recent ${p}`),
    clearRecent: () => calls.push('clear'), exportStep: () => calls.push('exportStep'), exportAll: () => calls.push('exportAll'),
  };
  type Item = { label?: string; role?: string; accelerator?: string; click?: () => void; submenu?: Item[]; enabled?: boolean };
  const find = (items: Item[], label: string): Item => {
    for (const i of items) {
      if (i.label === label) return i;
      const inner = i.submenu ? (() => { try { return find(i.submenu!, label); } catch { return null; } })() : null;
      if (inner) return inner;
    }
    throw new Error(`no menu item ${label}`);
  };

  it('has Open dataset (file, folder), Open recent, Export current step, Export all steps and Quit, with shortcuts', () => {
    const t = menuTemplate(actions, ['/data/cifar-10-batches-bin', '/data/test_batch.bin'], 'linux') as Item[];
    const file = t.find((i) => i.label === '&File')!.submenu!;
    expect(find(file, 'Open Dataset…').accelerator).toBe('CmdOrCtrl+O');
    expect(find(file, 'Open Dataset Folder…').accelerator).toBe('CmdOrCtrl+Shift+O');
    expect(find(file, 'Export Current Step…').accelerator).toBe('CmdOrCtrl+E');
    expect(find(file, 'Export All Steps…').accelerator).toBe('CmdOrCtrl+Shift+E');
    expect(file.some((i) => i.role === 'quit' && i.accelerator === 'CmdOrCtrl+Q')).toBe(true);
    for (const label of ['Open Dataset…', 'Open Dataset Folder…', 'Export Current Step…', 'Export All Steps…', 'cifar-10-batches-bin — /data/cifar-10-batches-bin', 'Clear Recent']) {
      find(file, label).click!();
    }
    expect(calls).toEqual(['file', 'folder', 'exportStep', 'exportAll', 'recent /data/cifar-10-batches-bin', 'clear']);
    expect(t.map((i) => i.role ?? i.label)).toEqual(['&File', 'editMenu', '&View', 'windowMenu']);
    const empty = menuTemplate(actions, [], 'darwin') as Item[];
    expect(empty[0]!.role).toBe('appMenu');
    expect(find(empty, 'No Recent Datasets').enabled).toBe(false);
  });
});

describe('the built Electron bundles, run against a stand-in electron module', () => {
  it('the preload exposes exactly window.convboard.request(name, args) over one invoke channel', async () => {
    const exposed: Record<string, unknown> = {};
    const invoked: unknown[][] = [];
    runElectronBundle(join(dist, 'preload.js'), {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => { exposed[key] = api; } },
      ipcRenderer: { invoke: async (...a: unknown[]) => { invoked.push(a); return { ok: true, value: 1 }; } },
    });
    expect(Object.keys(exposed)).toEqual(['convboard']);
    const api = exposed.convboard as Record<string, unknown>;
    expect(Object.keys(api)).toEqual(['request']);
    expect(await (api.request as (n: string, a: unknown) => Promise<unknown>)('getStep', { step: 1 })).toEqual({ ok: true, value: 1 });
    expect(invoked).toEqual([[IPC_REQUEST_CHANNEL, 'getStep', { step: 1 }]]);
  });

  it('electronMain: privileged app scheme, secure window on the app page, guarded web contents, page files with CSP', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'convboard-userdata-'));
    const seen = {
      schemes: [] as unknown[], protocolHandlers: new Map<string, (r: { url: string }) => Promise<Response>>(),
      appHandlers: new Map<string, (...a: unknown[]) => void>(), ipc: new Map<string, unknown>(),
      windows: [] as { options: Record<string, unknown>; url: string | null }[], permission: null as unknown, menu: null as unknown,
    };
    let ready!: () => void;
    const whenReady = new Promise<void>((r) => { ready = r; });
    class FakeWindow {
      url: string | null = null;
      webContents = { id: 41 };
      constructor(readonly options: Record<string, unknown>) {
        seen.windows.push(this);
      }
      once() {}
      on() {}
      show() {}
      focus() {}
      async loadURL(url: string) { this.url = url; }
      static getFocusedWindow() { return null; }
    }
    runElectronBundle(join(dist, 'electronMain.js'), {
      app: {
        on: (ev: string, fn: (...a: unknown[]) => void) => void seen.appHandlers.set(ev, fn),
        whenReady: () => whenReady,
        getPath: () => userData,
        isPackaged: false,
        quit: () => {},
      },
      protocol: {
        registerSchemesAsPrivileged: (s: unknown[]) => seen.schemes.push(...s),
        handle: (scheme: string, fn: (r: { url: string }) => Promise<Response>) => void seen.protocolHandlers.set(scheme, fn),
      },
      session: { defaultSession: { setPermissionRequestHandler: (fn: unknown) => { seen.permission = fn; }, setPermissionCheckHandler: () => {} } },
      ipcMain: { handle: (channel: string, fn: unknown) => void seen.ipc.set(channel, fn) },
      Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => { seen.menu = m; } },
      dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showErrorBox: () => {} },
      BrowserWindow: FakeWindow,
    });
    // Before 'ready': the scheme is registered as a secure standard scheme.
    expect(seen.schemes).toEqual([{ scheme: 'convboard', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    ready();
    for (let i = 0; i < 200 && seen.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    for (let i = 0; i < 200 && seen.windows[0]?.url == null; i++) await new Promise((r) => setTimeout(r, 10));
    try {
      expect(seen.windows).toHaveLength(1);
      const win = seen.windows[0]!;
      expect(win.url).toBe(APP_ENTRY_URL);
      expect(win.options.webPreferences).toEqual(secureWebPreferences(join(dist, 'preload.js')));
      expect((win.options.webPreferences as { devTools: boolean }).devTools).toBe(false);
      expect(win.options.title).toBe('ConvBoard — Synthetic sample (CIFAR-10 format)');
      expect(seen.permission).toBeTypeOf('function');
      expect(seen.menu).toBeInstanceOf(Array);

      // Every web contents gets the guards.
      const guards: Record<string, (...a: unknown[]) => unknown> = {};
      seen.appHandlers.get('web-contents-created')!({}, {
        setWindowOpenHandler: (fn: () => unknown) => { guards.open = fn; },
        on: (ev: string, fn: (...a: unknown[]) => unknown) => { guards[ev] = fn; },
      });
      expect(guards.open!()).toEqual({ action: 'deny' });
      const nav = { url: 'https://example.com/', prevented: false, preventDefault() { this.prevented = true; } };
      guards['will-navigate']!(nav);
      expect(nav.prevented).toBe(true);
      const webview = { prevented: false, preventDefault() { this.prevented = true; } };
      guards['will-attach-webview']!(webview);
      expect(webview.prevented).toBe(true);

      // The page's files come from dist/renderer with the CSP; nothing else is served.
      const serve = seen.protocolHandlers.get('convboard')!;
      const page = await serve({ url: APP_ENTRY_URL });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await page.text()).toBe(readFileSync(join(dist, 'renderer', 'index.html'), 'utf8'));
      expect((await serve({ url: 'convboard://app/..%2f..%2fpackage.json' })).status).toBe(404);
      expect((await serve({ url: 'convboard://other/index.html' })).status).toBe(404);

      // IPC from the window's page reaches its session.
      const invoke = seen.ipc.get(IPC_REQUEST_CHANNEL) as (...a: unknown[]) => Promise<{ ok: boolean; value?: { title: string } }>;
      const answer = await invoke({ senderFrame: { url: APP_ENTRY_URL }, sender: { id: 41 } }, 'getDataset', {});
      expect(answer.ok).toBe(true);
      expect(answer.value!.title).toBe('Synthetic sample (CIFAR-10 format)');
    } finally {
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
