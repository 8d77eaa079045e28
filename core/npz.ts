// numpy's .npz (np.savez, np.savez_compressed): a zip of <name>.npy entries, stored or deflated.
// Each entry is parsed by core/npy's parseNpy; float16, which parseNpy does not take, is read by
// handing it the same bytes as uint16 (identical size and layout) and decoding the bit patterns.
import { float16ToFloat32 } from './floatConversion';
import type { ModelFile, ModelTensorInfo } from './modelFile';
import { NpyError, parseNpy, type NpyArray } from './npy';
import { ZipArchiveError, quoteShort, readZipDirectory, readZipEntry, type ZipLimits } from './zipArchive';

export class NpzError extends Error {
  override readonly name = 'NpzError';
}

const NPZ_LIMITS: ZipLimits = { maxEntries: 10_000, maxEntryBytes: 2 ** 30, maxTotalBytes: 2 ** 30, maxRatio: 200 };

const DTYPE_NAMES: Record<string, string> = {
  f4: 'float32', f8: 'float64', u1: 'uint8', i1: 'int8', u2: 'uint16', i2: 'int16', u4: 'uint32', i4: 'int32', u8: 'uint64', i8: 'int64',
};

/** The header's descr, found without parsing the rest (only to spot float16). */
function descrOf(npy: Uint8Array): string | null {
  const head = String.fromCharCode(...npy.subarray(0, Math.min(npy.length, 512)));
  const m = /'descr':\s*'([^']*)'/.exec(head);
  return m ? m[1] : null;
}

function parseEntry(npy: Uint8Array, label: string): { array: NpyArray; dtype: string } {
  const descr = descrOf(npy);
  if (descr === '<f2' || descr === '|f2' || descr === '=f2') {
    const patched = npy.slice();
    const at = String.fromCharCode(...patched.subarray(0, Math.min(patched.length, 512))).indexOf(`'${descr}'`);
    patched[at + 1] = 0x3c; // '<'
    patched[at + 2] = 0x75; // 'u'
    const bits = parseNpy(patched, label);
    return { array: { ...bits, data: bits.data.map(float16ToFloat32) }, dtype: 'float16' };
  }
  const array = parseNpy(npy, label);
  return { array, dtype: DTYPE_NAMES[array.dtype] ?? array.dtype };
}

export function openNpz(bytes: Uint8Array, fileName: string): ModelFile {
  const fail = (what: string): never => {
    throw new NpzError(`${fileName}: ${what}`);
  };
  const arrays = new Map<string, { array: NpyArray; dtype: string }>();
  try {
    const entries = readZipDirectory(bytes, fileName, NPZ_LIMITS);
    for (const entry of entries) {
      if (entry.name.endsWith('/')) continue;
      if (!entry.name.endsWith('.npy')) fail(`holds ${quoteShort(entry.name)}, which is not a .npy array (an .npz holds only .npy entries)`);
      const name = entry.name.slice(0, -4);
      if (arrays.has(name)) fail(`holds two arrays named ${quoteShort(name)}`);
      arrays.set(name, parseEntry(readZipEntry(bytes, entry, fileName), `${fileName}: array ${quoteShort(name)}`));
    }
  } catch (err) {
    if (err instanceof ZipArchiveError || err instanceof NpyError) throw new NpzError(err.message);
    throw err;
  }
  if (arrays.size === 0) fail('holds no arrays');
  const tensors: ModelTensorInfo[] = [...arrays].map(([name, { array, dtype }]) => ({ name, shape: array.shape, dtype }));
  return {
    tensors,
    read(name: string): Float32Array {
      const found = arrays.get(name);
      if (!found) return fail(`has no array named ${quoteShort(name)}`);
      if (found.dtype !== 'float32' && found.dtype !== 'float64' && found.dtype !== 'float16') {
        return fail(`array ${quoteShort(name)} is ${found.dtype}, not a floating-point weight (float32, float16 or float64)`);
      }
      return found.array.data.slice();
    },
  };
}
