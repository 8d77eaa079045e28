import { parseArgs } from 'node:util';
import { parseInteger } from './cliValues';
import { runServe } from '../http/browserMode';

export const SERVE_USAGE = `convboard serve [--data PATH] [--port N]
    The app in a browser: serves it on 127.0.0.1 with a per-run token in the URL; Ctrl+C stops it.`;

export async function runServeCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, port: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port !== undefined ? parseInteger('port', values.port, 0, 65535) : null;
  const server = await runServe({ dataPath: values.data ?? null, port, log });
  log(`ConvBoard is running at ${server.url}`);
  log('Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    const stop = () => void server.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
