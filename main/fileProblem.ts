// One wording for failed file-system calls, whichever room met them: a user who sees
// "permission denied" from export and from opening a dataset should not wonder if they differ.

const PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links (a link loop?)',
  EEXIST: 'a file is in the way',
  EMFILE: 'too many open files',
};

export function errnoCode(err: unknown): string | null {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : null;
}

/** One line for a failed file-system call, e.g. "permission denied"; an unknown code keeps Node's own first line. */
export function fileProblem(err: unknown): string {
  const code = errnoCode(err);
  if (code !== null && Object.hasOwn(PROBLEMS, code)) return PROBLEMS[code]!;
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
