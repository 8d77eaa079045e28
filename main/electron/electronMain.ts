/**
 * The Electron entry (dist/electronMain.js): one window per opened dataset, each with its own
 * session. The page comes from convboard://app/ (dist/renderer/, no remote content), runs
 * sandboxed and context-isolated, and reaches main only through the preload's request bridge.
 * `electron dist/electronMain.js [DATASET]` opens DATASET, or the embedded sample.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session as electronSession } from 'electron';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DatasetError } from '../datasets/datasetSource';
import { distPath } from '../appPaths';
import { registerIpc } from './electronIpc';
import { menuTemplate } from './electronMenu';
import { MENU_EVENT, type MenuCommand } from './ipcChannel';
import { loadRecent, saveRecent, withRecent } from './recentDatasets';
import { Session } from '../session/session';
import { contentTypeFor, resolveStaticPath } from '../host/staticFiles';
import {
  APP_ENTRY_URL, APP_HOST, APP_SCHEME, denyPermission, denyWindowOpen, devToolsRequested, preventNavigation, windowOptions,
} from './windowSecurity';
import { PathGrants } from './pathGrants';
import { pageHeaders } from '../host/pageSecurity';

interface AppWindow {
  window: BrowserWindow;
  session: Session;
  /** Resolved path of the dataset, or null for the embedded sample. */
  dataPath: string | null;
}

// Must happen before 'ready': the page's scheme behaves like https (secure context, fetch, relative URLs).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const windows = new Map<number, AppWindow>();
const rendererDir = distPath('renderer');
const log = (line: string) => process.stderr.write(`${line}\n`);
let recent: string[] = [];
/** Paths the pages may name, by id: only ones the user chose (dialogs, command line, recent list). */
const grants = new PathGrants();
const devTools = devToolsRequested(process.argv);

function focusedAppWindow(): AppWindow | null {
  const w = BrowserWindow.getFocusedWindow();
  return w ? windows.get(w.webContents.id) ?? null : null;
}

async function chooseDataset(kind: 'file' | 'folder', parent?: BrowserWindow): Promise<string | null> {
  const options: Electron.OpenDialogOptions = kind === 'folder'
    ? { title: 'Open a dataset folder (CIFAR, MNIST-family idx files, or an image folder of class folders)', properties: ['openDirectory'] }
    : {
        title: 'Open a dataset file (CIFAR .bin or .tar.gz, MNIST-family idx file)',
        properties: ['openFile'],
        filters: [
          { name: 'CIFAR binary', extensions: ['bin', 'gz', 'tgz', 'tar'] },
          { name: 'MNIST-family idx', extensions: ['*'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
  const r = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  if (r.canceled || r.filePaths.length === 0) return null;
  grants.grant(r.filePaths[0]!);
  return r.filePaths[0]!;
}

async function chooseLogdir(parent: BrowserWindow): Promise<string | null> {
  const r = await dialog.showOpenDialog(parent, { title: 'Open a TensorBoard log folder', properties: ['openDirectory'] });
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0]!;
}

async function chooseExportDir(parent: BrowserWindow, purpose: 'step' | 'all'): Promise<string | null> {
  const r = await dialog.showOpenDialog(parent, {
    title: purpose === 'all' ? 'Export all steps into…' : 'Export this step into…',
    properties: ['openDirectory', 'createDirectory'],
  });
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0]!;
}

function rebuildMenu(): void {
  const send = (command: MenuCommand) => {
    const w = focusedAppWindow();
    // The page knows the current step and display; it runs the export through the same requests as its buttons.
    void w?.window.webContents.executeJavaScript(`window.dispatchEvent(new CustomEvent(${JSON.stringify(MENU_EVENT)}, { detail: ${JSON.stringify(command)} }))`);
  };
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({
    openDatasetFile: () => void chooseDataset('file').then((p) => (p === null ? undefined : openWindow(p))),
    openDatasetFolder: () => void chooseDataset('folder').then((p) => (p === null ? undefined : openWindow(p))),
    openRecent: (p) => void openWindow(p),
    clearRecent: () => {
      recent = [];
      void saveRecent(app.getPath('userData'), recent);
      rebuildMenu();
    },
    exportStep: () => send('exportStep'),
    exportAll: () => send('exportAll'),
  }, recent, process.platform)));
}

async function openWindow(path: string | null): Promise<void> {
  const dataPath = path === null ? null : resolve(path);
  for (const w of windows.values()) {
    if (w.dataPath === dataPath) {
      w.window.focus();
      return;
    }
  }
  let win: BrowserWindow | null = null;
  let session: Session;
  try {
    session = await Session.open({
      dataPath,
      log,
      chooseDatasetPath: () => chooseDataset('file', win ?? undefined),
      chooseExportDir: (purpose) => (win ? chooseExportDir(win, purpose) : Promise.resolve(null)),
      chooseLogdir: () => (win ? chooseLogdir(win) : Promise.resolve(null)),
      grantedPath: (id, what) => grants.resolve(id, what),
      download: { dataDir: join(app.getPath('userData'), 'datasets') },
    });
  } catch (e) {
    const message = e instanceof DatasetError ? e.message : `cannot open ${dataPath}: ${(e as Error).message.split('\n')[0]}`;
    dialog.showErrorBox('ConvBoard: cannot open the dataset', message);
    if (windows.size === 0 && dataPath !== null) await openWindow(null);
    return;
  }
  win = new BrowserWindow(windowOptions(distPath('preload.js'), `ConvBoard — ${session.datasetInfo.title}`, devTools));
  const id = win.webContents.id;
  windows.set(id, { window: win, session, dataPath });
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => {
    windows.delete(id);
    void session.close();
  });
  if (dataPath !== null) {
    recent = withRecent(recent, dataPath);
    void saveRecent(app.getPath('userData'), recent);
    rebuildMenu();
  }
  await win.loadURL(APP_ENTRY_URL);
}

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(denyWindowOpen);
  contents.on('will-navigate', (event) => preventNavigation(event, event.url));
  contents.on('will-redirect', (event) => preventNavigation(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('activate', () => {
  if (windows.size === 0) void openWindow(null);
});

void app.whenReady().then(async () => {
  electronSession.defaultSession.setPermissionRequestHandler(denyPermission);
  electronSession.defaultSession.setPermissionCheckHandler(() => false);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST ? resolveStaticPath(rendererDir, url.pathname) : null;
    if (file === null) return new Response('not found', { status: 404, headers: pageHeaders('text/plain; charset=utf-8') });
    return new Response(await readFile(file), { headers: pageHeaders(contentTypeFor(file)) });
  });
  registerIpc(ipcMain, (webContentsId) => windows.get(webContentsId)?.session ?? null);
  recent = loadRecent(app.getPath('userData'));
  for (const p of recent) grants.grant(p);
  rebuildMenu();
  // Electron's own flags come before the script; the first plain argument after it is a dataset.
  const argPath = process.argv.slice(app.isPackaged ? 1 : 2).find((a) => !a.startsWith('-')) ?? null;
  if (argPath !== null) grants.grant(resolve(argPath));
  await openWindow(argPath);
});
