/** `convboard serve`: the session service behind the HTTP host, with the built page. */
import { DatasetError } from '../datasets/datasetSource';
import { distPath } from '../appPaths';
import { startHttpHost } from './httpHost';
import { Session } from '../session/session';
import { resolve } from 'node:path';
import { DEFAULT_EXPORT_ROOT_NAME } from '../session/exportRoot';
import type { ImageFolderTransform } from '../datasets/datasetSource';
import type { DownloadSettings } from '../session/downloadJob';

export interface ServeOptions {
  /** null: the embedded sample. */
  dataPath: string | null;
  /** null: any free port. */
  port: number | null;
  log: (line: string) => void;
  /** Overrides for tests; default dist/renderer and dist/computeWorker.js. */
  staticDir?: string;
  workerPath?: string;
  token?: string;
  /** Export folders are sub-folders of this (default ./convboard-exports). */
  exportRoot?: string;
  allowLarge?: boolean;
  /** Resize/CenterCrop for --data when it is an image folder. */
  transform?: ImageFolderTransform;
  /** --data-dir (default ./data), --download-url, --download-md5. */
  download?: Partial<DownloadSettings>;
}

export interface ServeHandle {
  /** http://127.0.0.1:PORT/?token=... */
  url: string;
  close(): Promise<void>;
}

/**
 * Opens the dataset (throws DatasetError, one line, when it cannot), starts the server, and
 * returns its URL. Does not print the URL: the caller does.
 */
export async function runServe(opts: ServeOptions): Promise<ServeHandle> {
  const session = await Session.open({
    dataPath: opts.dataPath, workerPath: opts.workerPath, log: opts.log,
    exportRoot: resolve(opts.exportRoot ?? DEFAULT_EXPORT_ROOT_NAME), allowLarge: opts.allowLarge,
    transform: opts.transform, download: opts.download,
  });
  try {
    const host = await startHttpHost({
      handler: session,
      staticDir: opts.staticDir ?? distPath('renderer'),
      port: opts.port,
      token: opts.token,
      log: opts.log,
    });
    return {
      url: host.url,
      close: async () => {
        await host.close();
        await session.close();
      },
    };
  } catch (e) {
    await session.close();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') throw new DatasetError(`--port: port ${opts.port} is already in use on 127.0.0.1`);
    if (err.code === 'EACCES') throw new DatasetError(`--port: not allowed to listen on port ${opts.port}`);
    throw e;
  }
}
