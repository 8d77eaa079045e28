import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Feeds the whole file at `path` into `hash` (streamed: archives are hundreds of MiB). */
export async function hashFileInto(path: string, hash: Hash, signal?: AbortSignal): Promise<void> {
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
}

/** Lower-case hex MD5 of the file at `path`. */
export async function md5OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('md5');
  await hashFileInto(path, hash, signal);
  return hash.digest('hex');
}
