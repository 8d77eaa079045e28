// The event files under a TensorBoard logdir, found the way TensorBoard walks it: every folder,
// symlinks followed (a folder reached twice, as a symlink loop makes, is walked once), event files
// by name. Only regular files are read, and sizes are checked before anything is allocated.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { groupEventFilesByRun, isEventFileName } from '../../core/eventLogdir';
import { quoteInput } from '../../core/quotedText';
import { readRegularFile } from './datasetFiles';
import { DatasetError, fsProblem } from './datasetError';

// Names on disk are the user's but may hold anything: shown escaped, never raw.
const shown = (path: string) => quoteInput(path, 200);

export interface LogdirLimits {
  /** One event file is read whole; TensorBoard's own files rarely pass a few hundred MB. */
  maxFileBytes: number;
  /** All the event files of the logdir together. */
  maxTotalBytes: number;
  maxFiles: number;
  maxDepth: number;
}

export const DEFAULT_LOGDIR_LIMITS: LogdirLimits = {
  maxFileBytes: 512 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
  maxFiles: 10_000,
  maxDepth: 32,
};

export interface LogdirEventFile {
  /** '/'-separated, relative to the logdir. */
  relative: string;
  path: string;
  size: number;
}

export interface LogdirRun {
  /** The folder relative to the logdir ('.' for the logdir itself). */
  run: string;
  files: LogdirEventFile[];
}

export interface LogdirScan {
  runs: LogdirRun[];
  /** Entries skipped (a FIFO named like an event file, a dangling symlink, ...): the path, and one line naming it. */
  warnings: { path: string; message: string }[];
}

export async function scanLogdir(logdir: string, limits: LogdirLimits = DEFAULT_LOGDIR_LIMITS): Promise<LogdirScan> {
  let top;
  try {
    top = await stat(logdir);
  } catch (e) {
    throw new DatasetError(`${logdir}: ${fsProblem(e)}`);
  }
  if (!top.isDirectory()) throw new DatasetError(`${logdir}: is not a folder (give the logdir that holds the events.out.tfevents.* files)`);
  const found = new Map<string, LogdirEventFile>();
  const warnings: LogdirScan['warnings'] = [];
  const visited = new Set<string>();
  let total = 0;

  async function walk(dir: string, relative: string, depth: number): Promise<void> {
    const key = await realpath(dir).catch(() => dir);
    if (visited.has(key)) return;
    visited.add(key);
    if (depth > limits.maxDepth) {
      warnings.push({ path: dir, message: `${shown(dir)}: more than ${limits.maxDepth} folder levels below the logdir, not walked` });
      return;
    }
    let entries: string[];
    try {
      entries = (await readdir(dir)).sort();
    } catch (e) {
      warnings.push({ path: dir, message: `${shown(dir)}: ${fsProblem(e)}, not walked` });
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      const rel = relative === '' ? name : `${relative}/${name}`;
      let info;
      try {
        info = await stat(path);
      } catch (e) {
        if (isEventFileName(name)) warnings.push({ path: path, message: `${shown(path)}: ${fsProblem(e)}, skipped` });
        continue;
      }
      if (info.isDirectory()) {
        await walk(path, rel, depth + 1);
      } else if (isEventFileName(name)) {
        if (!info.isFile()) {
          warnings.push({ path: path, message: `${shown(path)}: not a regular file (a device, FIFO or socket), skipped` });
        } else if (info.size > limits.maxFileBytes) {
          warnings.push({ path: path, message: `${shown(path)}: ${info.size} bytes is more than the ${limits.maxFileBytes} read from one event file, skipped` });
        } else {
          if (found.size >= limits.maxFiles) throw new DatasetError(`${logdir}: more than ${limits.maxFiles} event files; give a folder nearer the runs`);
          total += info.size;
          if (total > limits.maxTotalBytes) throw new DatasetError(`${logdir}: the event files add up to more than ${limits.maxTotalBytes} bytes; give a folder nearer the runs`);
          found.set(rel, { relative: rel, path, size: info.size });
        }
      }
    }
  }

  await walk(logdir, '', 0);
  const runs = groupEventFilesByRun([...found.keys()]).map((r) => ({ run: r.run, files: r.files.map((f) => found.get(f)!) }));
  return { runs, warnings };
}

/** One event file's bytes, refused if it is no longer a regular file or has grown past the cap. */
export async function readEventFile(file: LogdirEventFile, limits: LogdirLimits = DEFAULT_LOGDIR_LIMITS): Promise<Uint8Array> {
  return readRegularFile(file.path, limits.maxFileBytes, 'event file');
}
