// Reads the distribution archive (cifar-10-binary.tar.gz, cifar-100-binary.tar.gz, or a plain
// .tar) as a stream: gunzip -> tar entries -> chunks written straight into each split's buffer.
// Nothing is extracted to disk and each entry's bytes are copied once. CIFAR-10's train batches
// come in any order in the tar, so their room is reserved as five equal slots (the dataset's
// shape) when the first one arrives; only an irregular archive (batches of unequal sizes, a gap)
// pays for one more copy when the split is put together. The python version's archives
// (cifar-10-python.tar.gz, cifar-100-python.tar.gz) hold pickles: each entry is kept whole and
// unpickled once the stream ends (cifarPythonBatches.ts).
import { createReadStream } from 'node:fs';
import { posix, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { CIFAR_LAYOUTS, type CifarFormat } from '../../../core/cifarBinary';
import { META_FILES } from '../../../core/cifarMeta';
import type { Split } from '../../../core/hostContract';
import { DatasetError, fsProblem } from '../datasetError';
import { CIFAR10_TRAIN_BATCHES, NO_BATCHES_HINT, PYTHON_META_NAMES, batchRole, pythonBatchRole, pythonMetaFormat, checkBatchSize, commonFormat, type BatchRole } from '../cifarFileNames';
import { assemblePythonDataset, type PythonFile } from '../cifarPythonBatches';
import type { LoadedCifar, MetaBytes, SplitBytes } from '../openedDataset';
import { MAX_META_FILE_BYTES } from '../datasetFiles';

/**
 * A tar header's size is only a claim (up to 8 GiB in 11 octal digits): each entry is checked
 * against what its role can hold BEFORE a byte is buffered, so a small hostile archive cannot
 * make the reader allocate gigabytes. Records per batch file: CIFAR-10's batches hold 10000;
 * CIFAR-100's train file 50000 and its test file 10000.
 */
const MAX_RECORDS: Record<CifarFormat, Record<Split, number>> = {
  'cifar-10': { train: 10000, test: 10000 },
  'cifar-100': { train: 50000, test: 10000 },
};
/** Python batches: the pixels plus pickled labels and file names (CIFAR-100 train: about 156 MB). */
const MAX_PYTHON_BATCH_BYTES = 200 * 1024 * 1024;

function checkEntrySize(size: number, max: number, displayName: string, what: string): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > max) {
    throw new DatasetError(`${displayName}: the archive says this ${what} is ${size} bytes, more than the ${max} a ${what} can be`);
  }
}

interface ArrivedPart {
  name: string;
  role: BatchRole;
  byteLength: number;
  /** Where its bytes went: a slot of the split's shared buffer, or a buffer of its own. */
  slot: number | null;
  own: Uint8Array | null;
}

/** Room for one split's entries as they arrive. */
class SplitRoom {
  shared: Uint8Array | null = null;
  slotSize = 0;
  readonly parts: ArrivedPart[] = [];

  constructor(readonly split: Split, readonly slots: number) {}

  reserve(name: string, role: BatchRole, byteLength: number): Uint8Array {
    const slot = this.slots === 1 ? 1 : role.order;
    if (this.shared === null && slot >= 1 && slot <= this.slots) {
      this.shared = new Uint8Array(byteLength * this.slots);
      this.slotSize = byteLength;
    }
    const fits = this.shared !== null && byteLength === this.slotSize && slot >= 1 && slot <= this.slots;
    if (fits) {
      this.parts.push({ name, role, byteLength, slot, own: null });
      return this.shared!.subarray((slot - 1) * this.slotSize, slot * this.slotSize);
    }
    const own = new Uint8Array(byteLength);
    this.parts.push({ name, role, byteLength, slot: null, own });
    return own;
  }

  assemble(archive: string): SplitBytes {
    const parts = [...this.parts].sort((a, b) => a.role.order - b.role.order);
    const files = parts.map((p) => ({ displayName: `${archive}:${p.name}`, byteLength: p.byteLength }));
    const inPlace = parts.every((p, i) => p.slot === i + 1);
    if (inPlace && this.shared) {
      const used = parts.length * this.slotSize;
      // A partial set (fewer than five batches) keeps only what it uses.
      const bytes = used === this.shared.length ? this.shared : this.shared.slice(0, used);
      return { split: this.split, bytes, files };
    }
    const bytes = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
    let offset = 0;
    for (const p of parts) {
      const from = p.own ?? this.shared!.subarray((p.slot! - 1) * this.slotSize, p.slot! * this.slotSize);
      bytes.set(from, offset);
      offset += p.byteLength;
    }
    return { split: this.split, bytes, files };
  }
}

async function fillFromEntry(entry: AsyncIterable<unknown>, dest: Uint8Array, displayName: string): Promise<void> {
  let offset = 0;
  for await (const piece of entry) {
    const chunk = piece as Buffer;
    if (offset + chunk.length > dest.length) throw new DatasetError(`${displayName}: entry is longer than its tar header says`);
    dest.set(chunk, offset);
    offset += chunk.length;
  }
  if (offset !== dest.length) throw new DatasetError(`${displayName}: the archive is truncated (${offset} of ${dest.length} bytes)`);
}

async function entryBytes(entry: AsyncIterable<unknown>, size: number, displayName: string): Promise<Uint8Array> {
  if (size === 0) throw new DatasetError(`${displayName}: the file is empty`);
  const bytes = new Uint8Array(size);
  await fillFromEntry(entry, bytes, displayName);
  return bytes;
}

function streamProblem(err: unknown, gzip: boolean): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e?.message ?? '')) return 'the archive is truncated (gzip data ends early)';
  if (typeof e?.code === 'string' && e.code.startsWith('Z_')) return `corrupt gzip data (${e.message})`;
  if (/unexpected end of data/i.test(e?.message ?? '')) return `the archive is truncated (a tar entry ends early)`;
  if (/header/i.test(e?.message ?? '')) return `not a valid tar${gzip ? '.gz' : ''} archive (${e.message})`;
  if (e?.code) return fsProblem(err);
  return `cannot be read as a tar${gzip ? '.gz' : ''} archive (${e?.message ?? String(err)})`;
}

export function isArchiveName(path: string): boolean {
  return /\.(tar\.gz|tgz|tar)$/i.test(path);
}

/** The batches and meta files inside a CIFAR binary archive, validated as for a folder. */
export async function readCifarArchive(path: string): Promise<LoadedCifar> {
  const gzip = !/\.tar$/i.test(path);
  const rooms = new Map<string, SplitRoom>();
  const metas = new Map<string, MetaBytes>();
  const seen = new Map<string, string>();
  const formats: { name: string; role: BatchRole }[] = [];
  let format: CifarFormat | null = null;
  const python: PythonFile[] = [];
  const pythonMetas = new Map<string, { displayName: string; bytes: Uint8Array }>();

  const extract = tar.extract();
  const source = createReadStream(path);
  const stages = gzip ? [source, createGunzip({ chunkSize: 1 << 20 }), extract] : [source, extract];
  const piping = (pipeline as (...s: NodeJS.ReadWriteStream[]) => Promise<void>)(...(stages as NodeJS.ReadWriteStream[]));
  piping.catch(() => undefined);

  try {
    for await (const entry of extract) {
      const name = entry.header.name;
      const base = posix.basename(name);
      const isFile = entry.header.type === 'file' || entry.header.type === 'contiguous-file';
      const role = isFile ? batchRole(base) : null;
      const isMeta = entry.header.type === 'file' && Object.values(META_FILES).some((m) => m.classes.fileName === base || m.coarse?.fileName === base);
      const pythonRole = isFile ? pythonBatchRole(base) : null;
      const isPythonMeta = isFile && pythonMetaFormat(base) !== null;
      if (pythonRole || isPythonMeta) {
        const displayName = `${path}:${name}`;
        if (seen.has(base)) throw new DatasetError(`${path}: holds ${base} twice (${seen.get(base)} and ${name})`);
        seen.set(base, name);
        const size = entry.header.size ?? 0;
        checkEntrySize(size, pythonRole ? MAX_PYTHON_BATCH_BYTES : MAX_META_FILE_BYTES, displayName, pythonRole ? 'CIFAR python batch' : 'CIFAR python meta file');
        const bytes = await entryBytes(entry, size, displayName);
        if (pythonRole) python.push({ displayName, role: pythonRole, bytes });
        else pythonMetas.set(base, { displayName, bytes });
        continue;
      }
      if (!role && !isMeta) {
        entry.resume();
        continue;
      }
      const displayName = `${path}:${name}`;
      if (seen.has(base)) throw new DatasetError(`${path}: holds ${base} twice (${seen.get(base)} and ${name})`);
      seen.set(base, name);
      const size = entry.header.size ?? 0;
      let dest: Uint8Array;
      if (role) {
        formats.push({ name, role });
        format = commonFormat(formats, path);
        checkEntrySize(size, MAX_RECORDS[role.format][role.split] * CIFAR_LAYOUTS[role.format].recordSize, displayName, `${CIFAR_LAYOUTS[role.format].displayName} ${role.split} batch`);
        checkBatchSize(role.format, size, displayName);
        const key = role.split;
        let room = rooms.get(key);
        if (!room) {
          room = new SplitRoom(role.split, role.format === 'cifar-10' && role.split === 'train' ? CIFAR10_TRAIN_BATCHES : 1);
          rooms.set(key, room);
        }
        dest = room.reserve(name, role, size);
      } else {
        checkEntrySize(size, MAX_META_FILE_BYTES, displayName, 'meta file');
        dest = new Uint8Array(size);
        metas.set(base, { displayName, bytes: dest });
      }
      await fillFromEntry(entry, dest, displayName);
    }
    await piping;
  } catch (err) {
    source.destroy();
    extract.destroy();
    if (err instanceof DatasetError) throw err;
    throw new DatasetError(`${path}: ${streamProblem(err, gzip)}`);
  }

  const label = (f: CifarFormat) => ({ title: `${CIFAR_LAYOUTS[f].displayName} (${posix.basename(path.replace(/\\/g, '/'))})`, source: resolve(path), synthetic: false });
  if (python.length > 0) {
    if (format !== null) {
      throw new DatasetError(`${path}: mixes the binary (${formats[0].name}) and python (${python[0].displayName.slice(path.length + 1)}) versions of CIFAR; open one of them on its own`);
    }
    const assembled = assemblePythonDataset(python, (f) => pythonMetas.get(PYTHON_META_NAMES[f]) ?? null, path);
    return { ...assembled, ...label(assembled.format) };
  }
  if (format === null) throw new DatasetError(`${path}: no CIFAR batches in this archive (${NO_BATCHES_HINT})`);
  const meta = META_FILES[format];
  const splits = [...rooms.values()].map((room) => room.assemble(path));
  return {
    format,
    ...label(format),
    splits,
    classNames: metas.get(meta.classes.fileName) ?? null,
    coarseNames: meta.coarse ? (metas.get(meta.coarse.fileName) ?? null) : null,
  };
}
