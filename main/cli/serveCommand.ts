import { parseArgs } from 'node:util';
import { parseInteger, parsePathOption } from './cliValues';
import { resolve } from 'node:path';
import { runServe } from '../http/browserMode';
import { parseImageTransform } from './imageTransformOptions';
import { UsageError } from './cliErrors';

export const SERVE_USAGE = `convboard serve [--data PATH] [--port N] [--export-root DIR] [--allow-large]
               [--resize N] [--center-crop N] [--data-dir DIR] [--download-url URL [--download-md5 MD5]]
    The app in a browser: serves it on 127.0.0.1 with a per-run token in the URL; Ctrl+C stops it.
    Exports go to sub-folders of DIR (default ./convboard-exports) named in the page.
    --resize/--center-crop apply to an image folder given with --data. The data panel's Download
    fetches into --data-dir (default ./data); --download-url replaces the catalog's mirrors (a base
    address ending in '/', or the one file of CIFAR-10/100 with --download-md5 its MD5), for mirrors
    and tests. CONVBOARD_DOWNLOAD_URL and CONVBOARD_DOWNLOAD_MD5 do the same when the options are absent.`;

export async function runServeCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' }, port: { type: 'string' }, 'export-root': { type: 'string' }, 'allow-large': { type: 'boolean' },
      resize: { type: 'string' }, 'center-crop': { type: 'string' },
      'data-dir': { type: 'string' }, 'download-url': { type: 'string' }, 'download-md5': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port !== undefined ? parseInteger('port', values.port, 0, 65535) : null;
  const dataPath = parsePathOption('data', values.data);
  const exportRoot = parsePathOption('export-root', values['export-root']) ?? undefined;
  const transform = parseImageTransform(values.resize, values['center-crop']);
  const url = values['download-url'] ?? process.env.CONVBOARD_DOWNLOAD_URL;
  const md5 = values['download-md5'] ?? process.env.CONVBOARD_DOWNLOAD_MD5;
  if (md5 !== undefined && url === undefined) throw new UsageError('--download-md5 needs --download-url (the published MD5 applies to the official address)');
  const dataDir = parsePathOption('data-dir', values['data-dir']) ?? 'data';
  const download = { dataDir: resolve(dataDir), ...(url !== undefined && { url }), ...(md5 !== undefined && { md5 }) };
  const server = await runServe({ dataPath, port, log, exportRoot, allowLarge: values['allow-large'] === true, transform, download });
  log(`ConvBoard is running at ${server.url}`);
  log('Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    // Shutdown is bounded: jobs are cancelled and workers terminated; whatever still holds on is cut off.
    const stop = () => {
      setTimeout(() => process.exit(process.exitCode ?? 0), 10_000).unref();
      void server.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
