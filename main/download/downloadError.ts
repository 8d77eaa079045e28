// A failed download, as one line that says what happened, which address, and what is left on disk,
// so the user knows whether running the command again resumes, restarts, or needs them first.

export type DownloadFailure =
  | 'network' // no route, DNS, connection refused or reset before any answer, TLS
  | 'http' // the server answered with a status we cannot use (404, 500, ...)
  | 'redirect' // too many redirects, or one to something other than http/https
  | 'timeout' // no answer, or no bytes for too long
  | 'dropped' // the connection ended before the whole body arrived
  | 'checksum' // the complete file's MD5 is not the published one
  | 'disk' // writing or renaming the file failed (disk full, permissions)
  | 'folder' // the destination folder could not be created
  | 'cancelled'; // the caller's AbortSignal fired

export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(
    message: string,
    readonly failure: DownloadFailure,
    readonly url: string,
    /** What happened, without the address and the disk state (for summaries over several mirrors). */
    readonly detail: string = message,
  ) {
    super(message);
  }
}

const MAX_SHOWN = 160;

/** Text from outside (an address, a path, a server's reason phrase) made safe for one line and short. */
export function shown(text: string): string {
  const escaped = JSON.stringify(text).slice(1, -1);
  return escaped.length > MAX_SHOWN ? `${escaped.slice(0, MAX_SHOWN)}…` : escaped;
}

const SYSTEM_ERRORS: Record<string, string> = {
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'name lookup failed (no network?)',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a path component is a file, not a folder',
  EEXIST: 'a file is in the way',
  EISDIR: 'is a folder',
};

/** `ECONNREFUSED (connection refused)`, or the error's own first line when it has no known code. */
export function describeSystemError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return SYSTEM_ERRORS[code] ? `${code}: ${SYSTEM_ERRORS[code]}` : code;
  return shown(String((error as { message?: unknown } | null)?.message ?? error).split('\n')[0]!);
}

export function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}
