// torch.save's zip format (PyTorch >= 1.6): <archive>/data.pkl describes the saved object, with
// each tensor's storage as a separate record <archive>/data/<key>. Reading a checkpoint here
// means reading that pickle as data (core/torchPickle) and the storages as little-endian numbers.
import { FLOAT_ITEM_SIZE, isFloatDtype, stridedToFloat32 } from './floatConversion';
import type { ModelFile, ModelTensorInfo } from './modelFile';
import { PickleError, TORCH_ITEM_SIZE, readTorchPickle, type PickledObject, type TorchTensorRef, type TorchValue } from './torchPickle';
import { ZipArchiveError, isZip, quoteShort, readZipDirectory, readZipEntry, type ZipEntry } from './zipArchive';

export class TorchCheckpointError extends Error {
  override readonly name = 'TorchCheckpointError';
}

/** Largest tensor read, in elements (a zero stride lets a tiny storage describe a huge tensor). */
export const MAX_TENSOR_ELEMENTS = 2 ** 26;
/** Largest data.pkl read: a state_dict's pickle is kilobytes. */
const MAX_PICKLE_BYTES = 64 * 2 ** 20;

// torch.save before 1.6 (or with _use_new_zipfile_serialization=False) starts with this number as a LONG1.
const LEGACY_MAGIC = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

// Where nn.Module keeps its tensors: left out of the names, so a pickled module lists conv1.weight.
const MODULE_SLOTS = new Set(['_parameters', '_buffers', '_modules']);

interface FoundTensor { readonly name: string; readonly ref: TorchTensorRef }

function walk(root: TorchValue): { tensors: FoundTensor[]; objects: PickledObject[] } {
  const tensors: FoundTensor[] = [];
  const objects: PickledObject[] = [];
  const seen = new Set<object>();
  const visit = (v: TorchValue | undefined, path: string[], depth: number): void => {
    if (v === null || v === undefined || typeof v !== 'object' || v instanceof Uint8Array || depth > 200) return;
    if (seen.has(v)) {
      // Tied weights are one tensor under two names; containers are walked once (pickles can loop).
      if ('kind' in v && v.kind === 'tensor') tensors.push({ name: path.join('.'), ref: v });
      return;
    }
    seen.add(v);
    if (v instanceof Map) {
      for (const [k, x] of v) visit(x, MODULE_SLOTS.has(String(k)) ? path : [...path, String(k)], depth + 1);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, [...path, String(i)], depth + 1));
    } else if (v.kind === 'tensor') {
      tensors.push({ name: path.join('.'), ref: v });
    } else if (v.kind === 'object') {
      objects.push(v);
      visit(v.state, path, depth + 1);
    }
  };
  visit(root, [], 0);
  return { tensors, objects };
}

const shapeList = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function listSome(tensors: readonly FoundTensor[]): string {
  const shown = tensors.slice(0, 8).map((t) => `${quoteShort(t.name || '(root)', 40)} ${shapeList(t.ref.shape)}`);
  return tensors.length > 8 ? `${shown.join(', ')} and ${tensors.length - 8} more` : shown.join(', ');
}

function looksLikeModule(o: PickledObject): boolean {
  return o.className.startsWith('torch.nn.') || (o.state instanceof Map && (o.state.has('_parameters') || o.state.has('_modules')));
}

/** True for a torch.save zip archive (looked up by its data.pkl, not the file's extension). */
export function isTorchZipArchive(bytes: Uint8Array): boolean {
  if (!isZip(bytes)) return false;
  try {
    return readZipDirectory(bytes, '').some((e) => /^[^/]+\/data\.pkl$/.test(e.name));
  } catch {
    return false;
  }
}

export function isLegacyTorchFile(bytes: Uint8Array): boolean {
  return LEGACY_MAGIC.every((b, i) => bytes[i] === b);
}

/** Opens a torch.save checkpoint: checks every tensor's storage now, reads values on demand. */
export function openTorchCheckpoint(bytes: Uint8Array, fileName: string): ModelFile {
  const fail = (what: string): never => {
    throw new TorchCheckpointError(`${fileName}: ${what}`);
  };
  if (isLegacyTorchFile(bytes)) {
    fail('is in the legacy torch.save format (PyTorch before 1.6, or _use_new_zipfile_serialization=False); re-save it with torch.save(state_dict, path) in PyTorch 1.6 or later');
  }
  if (!isZip(bytes)) fail('is not a PyTorch checkpoint (torch.save writes a zip archive; this file does not start with PK)');
  let entries: ZipEntry[];
  try {
    entries = readZipDirectory(bytes, fileName);
  } catch (err) {
    if (err instanceof ZipArchiveError) throw new TorchCheckpointError(err.message);
    throw err;
  }
  if (entries.some((e) => /^[^/]+\/(code\/|constants\.pkl$)/.test(e.name))) {
    fail('is a TorchScript archive (torch.jit.save), which holds code; save the model\'s state_dict() with torch.save instead');
  }
  const pickles = entries.filter((e) => /^[^/]+\/data\.pkl$/.test(e.name));
  if (pickles.length !== 1) fail(`is a zip archive but not a torch.save checkpoint (${pickles.length === 0 ? 'no' : pickles.length} <archive>/data.pkl records)`);
  const prefix = pickles[0].name.slice(0, -'data.pkl'.length);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const entry = (name: string): Uint8Array => {
    try {
      return readZipEntry(bytes, byName.get(name)!, fileName);
    } catch (err) {
      if (err instanceof ZipArchiveError) throw new TorchCheckpointError(err.message);
      throw err;
    }
  };
  const byteOrder = byName.get(`${prefix}byteorder`);
  if (byteOrder) {
    const order = String.fromCharCode(...entry(byteOrder.name).subarray(0, 16));
    if (order !== 'little') fail(`stores its tensors in ${quoteShort(order, 16)} byte order (only little-endian checkpoints are read)`);
  }
  if (pickles[0].size > MAX_PICKLE_BYTES) fail(`its data.pkl is ${pickles[0].size} bytes (at most ${MAX_PICKLE_BYTES} are read)`);

  let root: TorchValue;
  let unknownNames: readonly string[];
  try {
    ({ root, unknownNames } = readTorchPickle(entry(pickles[0].name)));
  } catch (err) {
    if (err instanceof PickleError) fail(err.message);
    throw err;
  }
  const { tensors: found, objects } = walk(root);
  if (unknownNames.length > 0) {
    const module = objects.find(looksLikeModule);
    if (module) {
      const readable = found.length > 0 ? `; the tensors it holds are ${listSome(found)}` : '';
      fail(`is a whole pickled model (${quoteShort(module.className)}), which only Python with that class's code can load; save model.state_dict() instead (torch.save(model.state_dict(), path))${readable}`);
    }
    fail(`refuses to load ${quoteShort(unknownNames[0])}: a checkpoint is read only as tensors, dicts, lists, numbers and strings, and loading this one in Python would import that name`);
  }
  if (found.length === 0) fail('holds no tensors');

  const tensors: ModelTensorInfo[] = [];
  const refs = new Map<string, TorchTensorRef>();
  for (const { name, ref } of found) {
    const label = quoteShort(name || '(root)');
    const { storage, offset, shape, stride } = ref;
    const record = byName.get(`${prefix}data/${storage.key}`);
    if (!record) fail(`tensor ${label} refers to storage ${quoteShort(storage.key, 20)}, which the archive does not contain`);
    const itemSize = TORCH_ITEM_SIZE[storage.dtype];
    if (record!.size !== storage.numel * itemSize) {
      fail(`the storage of tensor ${label} should hold ${storage.numel} ${storage.dtype} values (${storage.numel * itemSize} bytes) but its record has ${record!.size} bytes`);
    }
    const count = shape.reduce((a, b) => a * b, 1);
    if (count > MAX_TENSOR_ELEMENTS) fail(`tensor ${label} of shape ${shapeList(shape)} has more than ${MAX_TENSOR_ELEMENTS} elements`);
    const extent = count === 0 ? 0 : shape.reduce((a, d, i) => a + (d - 1) * stride[i], 1);
    if (offset + extent > storage.numel) {
      fail(`tensor ${label} (offset ${offset}, shape ${shapeList(shape)}, strides ${shapeList(stride)}) reaches element ${offset + extent} of a storage of ${storage.numel}`);
    }
    if (refs.has(name)) fail(`two tensors are both named ${label}`);
    refs.set(name, ref);
    tensors.push({ name, shape: [...shape], dtype: storage.dtype });
  }

  const storages = new Map<string, Uint8Array>();
  return {
    tensors,
    read(name: string): Float32Array {
      const ref = refs.get(name);
      if (!ref) return fail(`has no tensor named ${quoteShort(name)}`);
      const dtype = ref.storage.dtype;
      if (!isFloatDtype(dtype)) return fail(`tensor ${quoteShort(name)} is ${dtype}, not a floating-point weight (float32, float16, bfloat16 or float64)`);
      let data = storages.get(ref.storage.key);
      if (!data) {
        data = entry(`${prefix}data/${ref.storage.key}`);
        storages.set(ref.storage.key, data);
      }
      if (data.length !== ref.storage.numel * FLOAT_ITEM_SIZE[dtype]) fail(`the storage of tensor ${quoteShort(name)} has the wrong size`);
      return stridedToFloat32(data, dtype, ref.offset, ref.shape, ref.stride);
    },
  };
}
