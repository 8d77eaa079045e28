import { runServe } from '../../../main/http/browserMode';

export interface RunningServer {
  /** The URL `convboard serve` prints, token included. */
  url: string;
  origin: string;
  token: string;
  log: string[];
  close(): Promise<void>;
}

/** Browser mode in-process, on a free port, as `convboard serve [--data PATH]` runs it. */
export async function startServer(dataPath: string | null = null, exportRoot?: string): Promise<RunningServer> {
  const log: string[] = [];
  const server = await runServe({ dataPath, port: 0, log: (line: string) => log.push(line), exportRoot });
  const url = new URL(server.url);
  const token = url.searchParams.get('token');
  if (!token) throw new Error(`runServe returned a URL without a token: ${server.url}`);
  return { url: server.url, origin: url.origin, token, log, close: () => server.close() };
}
