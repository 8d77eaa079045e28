// Writes the images of an event-file tag as files, all or nothing up front: every target is
// checked (case clashes, existing files) before the first is written, and each file appears whole.
import { lstat, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { caseClashError, findCaseClash } from '../../core/eventImagePaths';
import { quoteInput } from '../../core/quotedText';
import { writeFileAtomic } from './atomicWrite';

export class EventImageWriteError extends Error {
  override readonly name = 'EventImageWriteError';
}

export interface EventImageFile {
  /** '/'-separated, relative to the output folder (from core/eventImagePaths.ts). */
  relative: string;
  bytes: Uint8Array;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The bytes exactly as given; existing files are refused unless `overwrite`. Returns the count written. */
export async function writeEventImages(outDir: string, files: readonly EventImageFile[], overwrite: boolean): Promise<number> {
  const clash = findCaseClash(files.map((f) => f.relative));
  if (clash) throw new EventImageWriteError(caseClashError(clash).message);
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.relative)) throw new EventImageWriteError(`event images: two images would both be written to ${quoteInput(f.relative)}`);
    seen.add(f.relative);
  }
  if (!overwrite) {
    const taken: string[] = [];
    for (const f of files) if (await exists(join(outDir, f.relative))) taken.push(f.relative);
    if (taken.length > 0) {
      throw new EventImageWriteError(
        `${quoteInput(join(outDir, taken[0]!), 200)} already exists${taken.length > 1 ? ` (and ${taken.length - 1} more of the ${files.length} files)` : ''}; nothing written (--overwrite replaces them)`,
      );
    }
  }
  const folders = new Set(files.map((f) => dirname(join(outDir, f.relative))));
  for (const folder of folders) await mkdir(folder, { recursive: true });
  for (const f of files) await writeFileAtomic(join(outDir, f.relative), f.bytes);
  return files.length;
}
