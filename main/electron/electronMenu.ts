/** The application menu, as a template built from plain callbacks (checkable without Electron). */
import type { MenuItemConstructorOptions } from 'electron';
import { basename } from 'node:path';

export interface MenuActions {
  openDatasetFile(): void;
  openDatasetFolder(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  exportStep(): void;
  exportAll(): void;
}

export function menuTemplate(actions: MenuActions, recent: readonly string[], platform: string): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const recentItems: MenuItemConstructorOptions[] = recent.length === 0
    ? [{ label: 'No Recent Datasets', enabled: false }]
    : [
        ...recent.map((p): MenuItemConstructorOptions => ({ label: `${basename(p)} — ${p}`, click: () => actions.openRecent(p) })),
        { type: 'separator' },
        { label: 'Clear Recent', click: () => actions.clearRecent() },
      ];
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      // Linux and Windows dialogs pick either files or folders, never both: two entries.
      { label: 'Open Dataset…', accelerator: 'CmdOrCtrl+O', click: () => actions.openDatasetFile() },
      { label: 'Open Dataset Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openDatasetFolder() },
      { label: 'Open Recent', submenu: recentItems },
      { type: 'separator' },
      { label: 'Export Current Step…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportStep() },
      { label: 'Export All Steps…', accelerator: 'CmdOrCtrl+Shift+E', click: () => actions.exportAll() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };
  return [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    file,
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' },
        { role: 'togglefullscreen' }, { role: 'toggleDevTools' },
      ],
    },
    { role: 'windowMenu' },
  ];
}
