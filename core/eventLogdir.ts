/** TensorBoard's test for an event file: the base name contains "tfevents". */
export function isEventFileName(baseName: string): boolean {
  return baseName.includes('tfevents');
}

/**
 * Name order as TensorBoard sorts paths (byte order of UTF-8). Code point order is the same
 * order; plain `<` on JS strings (UTF-16 units) differs for characters above U+FFFF.
 */
export function compareFileNames(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return ca.done && cb.done ? 0 : ca.done ? -1 : 1;
    const d = ca.value.codePointAt(0)! - cb.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

export interface RunFiles {
  /** The folder holding the files, relative to the logdir with '/' separators; "." for the logdir itself. */
  run: string;
  /** Paths relative to the logdir, in the order TensorBoard reads them. */
  files: string[];
}

/**
 * Groups the files found under a logdir (relative paths, '/'-separated) into runs as TensorBoard
 * does: every folder holding at least one event file is a run, named by its relative path.
 */
export function groupEventFilesByRun(relativePaths: readonly string[]): RunFiles[] {
  const runs = new Map<string, string[]>();
  for (const path of relativePaths) {
    const slash = path.lastIndexOf('/');
    if (!isEventFileName(path.slice(slash + 1))) continue;
    const run = slash < 0 ? '.' : path.slice(0, slash);
    const files = runs.get(run) ?? [];
    files.push(path);
    runs.set(run, files);
  }
  return [...runs]
    .sort(([a], [b]) => compareFileNames(a, b))
    .map(([run, files]) => ({ run, files: files.sort(compareFileNames) }));
}
