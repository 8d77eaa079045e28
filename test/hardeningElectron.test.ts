import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DISPLAY } from '../core/displayPresets';
import { DEFAULT_VIEW } from '../core/hostContract';
import { IPC_REQUEST_CHANNEL } from '../main/electron/ipcChannel';
import { PathGrantError, PathGrants } from '../main/electron/pathGrants';
import { APP_ENTRY_URL } from '../main/electron/windowSecurity';
import { runElectronBundle } from './helpers/electronBundle';

const dist = resolve(__dirname, '..', 'dist');


describe('PathGrants', () => {
  it('hands out ids for chosen paths and refuses anything else, typed paths included', () => {
    const grants = new PathGrants(2);
    const a = grants.grant('/data/a');
    expect(grants.grant('/data/a')).toBe(a);
    expect(grants.resolve(a, 'path')).toBe('/data/a');
    expect(() => grants.resolve('/data/a', 'path')).toThrow(PathGrantError);
    expect(() => grants.resolve('constructor', 'path')).toThrow(/^path: the app chooses files and folders with its dialogs/);
    grants.grant('/b');
    grants.grant('/c');
    // The oldest is forgotten past the limit.
    expect(() => grants.resolve(a, 'path')).toThrow(PathGrantError);
  });
});

describe('electronMain: the page cannot name paths of its own', () => {
  it('a path or folder from the renderer is refused without a dialog; null asks with the dialog', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'convboard-userdata-'));
    const ipc = new Map<string, unknown>();
    const dialogs: string[] = [];
    let ready!: () => void;
    const whenReady = new Promise<void>((r) => { ready = r; });
    const windows: { url: string | null; options: Record<string, unknown> }[] = [];
    class FakeWindow {
      url: string | null = null;
      webContents = { id: 7 };
      constructor(readonly options: Record<string, unknown>) { windows.push(this); }
      once() {}
      on() {}
      show() {}
      focus() {}
      async loadURL(url: string) { this.url = url; }
      static getFocusedWindow() { return null; }
    }
    runElectronBundle(join(dist, 'electronMain.js'), {
      app: { on: () => {}, whenReady: () => whenReady, getPath: () => userData, isPackaged: false, quit: () => {} },
      protocol: { registerSchemesAsPrivileged: () => {}, handle: () => {} },
      session: { defaultSession: { setPermissionRequestHandler: () => {}, setPermissionCheckHandler: () => {} } },
      ipcMain: { handle: (channel: string, fn: unknown) => void ipc.set(channel, fn) },
      Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => {} },
      dialog: {
        showOpenDialog: async (_w: unknown, o: { title: string }) => { dialogs.push(o.title); return { canceled: true, filePaths: [] }; },
        showErrorBox: () => {},
      },
      BrowserWindow: FakeWindow,
    }, ['electron', join(dist, 'electronMain.js')]);
    ready();
    for (let i = 0; i < 300 && windows[0]?.url == null; i++) await new Promise((r) => setTimeout(r, 10));
    try {
      expect((windows[0]!.options as { webPreferences: { devTools: boolean } }).webPreferences.devTools).toBe(false);
      const invoke = ipc.get(IPC_REQUEST_CHANNEL) as (...a: unknown[]) => Promise<{ ok: boolean; error?: { message: string } }>;
      const from = { senderFrame: { url: APP_ENTRY_URL }, sender: { id: 7 } };
      const exportTo = await invoke(from, 'startExportAll', { view: DEFAULT_VIEW, display: DEFAULT_DISPLAY, dir: tmpdir() });
      expect(exportTo.ok).toBe(false);
      expect(exportTo.error!.message).toMatch(/^dir: the app chooses files and folders with its dialogs; leave the path empty to get one/);
      const open = await invoke(from, 'openDataset', { path: '/etc' });
      expect(open.ok).toBe(false);
      expect(open.error!.message).toMatch(/^path: the app chooses files and folders with its dialogs/);
      expect(dialogs).toEqual([]);
      // null: the dialog asks (cancelled here, so nothing is exported).
      const asked = await invoke(from, 'startExportAll', { view: DEFAULT_VIEW, display: DEFAULT_DISPLAY, dir: null });
      expect(asked.ok).toBe(false);
      expect(dialogs).toEqual(['Export all steps into…']);
    } finally {
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
