// Reads CIFAR binary batches (a folder's, or a single .bin) straight into one preallocated buffer
// per split: every file's bytes are copied once, from the kernel into their final place.
import { basename, dirname, join, resolve } from 'node:path';
import { CIFAR_LAYOUTS, type CifarFormat } from '../../../core/cifarBinary';
import { META_FILES } from '../../../core/cifarMeta';
import type { Split } from '../../../core/hostContract';
import { checkBatchSize, commonFormat, singleFileRole, type BatchRole } from '../cifarFileNames';
import { MAX_META_FILE_BYTES, readExactly, readOptionalFile, regularFileSize } from '../datasetFiles';
import type { LoadedCifar, MetaBytes, SourceLabel, SplitBytes } from '../openedDataset';

interface PlannedFile {
  path: string;
  role: BatchRole;
  byteLength: number;
}

function readMeta(dir: string, fileName: string | undefined): Promise<MetaBytes | null> {
  return fileName ? readOptionalFile(join(dir, fileName), MAX_META_FILE_BYTES, 'class-names file') : Promise.resolve(null);
}

async function readSplits(format: CifarFormat, files: PlannedFile[]): Promise<SplitBytes[]> {
  for (const f of files) checkBatchSize(format, f.byteLength, f.path);
  const splits: SplitBytes[] = [];
  for (const split of ['train', 'test'] as Split[]) {
    const parts = files.filter((f) => f.role.split === split).sort((a, b) => a.role.order - b.role.order);
    if (parts.length === 0) continue;
    const bytes = new Uint8Array(parts.reduce((sum, f) => sum + f.byteLength, 0));
    let offset = 0;
    for (const f of parts) {
      await readExactly(f.path, bytes.subarray(offset, offset + f.byteLength));
      offset += f.byteLength;
    }
    splits.push({ split, bytes, files: parts.map((f) => ({ displayName: f.path, byteLength: f.byteLength })) });
  }
  return splits;
}

/** The batch files `found` in a `cifar-10-batches-bin` / `cifar-100-binary` folder (datasetSource lists it). */
export async function readCifarBinaryFolder(dir: string, found: { name: string; role: BatchRole }[], label: SourceLabel = {}): Promise<LoadedCifar> {
  const format = commonFormat(found, dir);
  const files: PlannedFile[] = [];
  for (const { name, role } of found) {
    const path = join(dir, name);
    files.push({ path, role, byteLength: await regularFileSize(path) });
  }
  const splits = await readSplits(format, files);
  const meta = META_FILES[format];
  return {
    format,
    title: label.title ?? `${CIFAR_LAYOUTS[format].displayName} (${basename(resolve(dir))})`,
    source: label.source ?? resolve(dir),
    synthetic: label.synthetic ?? false,
    splits,
    classNames: await readMeta(dir, meta.classes.fileName),
    coarseNames: await readMeta(dir, meta.coarse?.fileName),
  };
}

/** One batch file; its split from its name, class names from the meta file beside it if present. */
export async function readCifarBinFile(path: string, label: SourceLabel = {}): Promise<LoadedCifar> {
  const byteLength = await regularFileSize(path);
  const role = singleFileRole(basename(path), byteLength, path);
  const splits = await readSplits(role.format, [{ path, role, byteLength }]);
  const meta = META_FILES[role.format];
  const dir = dirname(path);
  return {
    format: role.format,
    title: label.title ?? `${CIFAR_LAYOUTS[role.format].displayName} (${basename(path)})`,
    source: label.source ?? resolve(path),
    synthetic: label.synthetic ?? false,
    splits,
    classNames: await readMeta(dir, meta.classes.fileName),
    coarseNames: await readMeta(dir, meta.coarse?.fileName),
  };
}
