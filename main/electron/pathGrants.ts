/**
 * The paths the Electron page may name. The page never names a file or folder by its path: main
 * hands out an id for each path the user chose in a dialog, on the command line or in the recent
 * list, and a request naming anything else is refused. A compromised page can so only reach
 * what the user already chose.
 */
import { randomUUID } from 'node:crypto';

export class PathGrantError extends Error {
  override readonly name = 'PathGrantError';
}

/** Ids handed out, newest last; the oldest are forgotten past `limit`. */
export class PathGrants {
  private readonly byId = new Map<string, string>();

  constructor(private readonly limit = 64) {}

  /** An id for `path` (the same id again for a path already granted). */
  grant(path: string): string {
    for (const [id, p] of this.byId) if (p === path) return id;
    const id = `path-${randomUUID()}`;
    this.byId.set(id, path);
    while (this.byId.size > this.limit) this.byId.delete(this.byId.keys().next().value!);
    return id;
  }

  /** The path of an id main handed out; PathGrantError for anything else (a path typed by the page included). */
  resolve(id: string, what: string): string {
    const path = this.byId.get(id);
    if (path === undefined) throw new PathGrantError(`${what}: the app chooses files and folders with its dialogs; leave the path empty to get one (got ${JSON.stringify(id.slice(0, 60))})`);
    return path;
  }
}
