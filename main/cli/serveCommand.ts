import { parseArgs } from 'node:util';
import { parseInteger, parsePathOption } from './cliValues';
import { runServe } from '../http/browserMode';

export const SERVE_USAGE = `convboard serve [--data PATH] [--port N] [--export-root DIR] [--allow-large]
    The app in a browser: serves it on 127.0.0.1 with a per-run token in the URL; Ctrl+C stops it.
    Exports go to sub-folders of DIR (default ./convboard-exports) named in the page.`;

export async function runServeCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, port: { type: 'string' }, 'export-root': { type: 'string' }, 'allow-large': { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port !== undefined ? parseInteger('port', values.port, 0, 65535) : null;
  const dataPath = parsePathOption('data', values.data);
  const exportRoot = parsePathOption('export-root', values['export-root']) ?? undefined;
  const server = await runServe({ dataPath, port, log, exportRoot, allowLarge: values['allow-large'] === true });
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
