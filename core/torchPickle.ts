// The pickle inside a torch.save archive (data.pkl), read as data: tensors come back as references
// to storages (persistent ids) with their offset, shape and strides, and nothing is ever called.
// A GLOBAL is only a name here. Tensor rebuilders, OrderedDict, storage types and a few inert
// values are understood; calling any other name is refused on the spot, and any other name used
// as a class (a pickled nn.Module) becomes an inert placeholder so the caller can explain what the
// file is and still list the tensors inside.
import { PickleError } from './pickleError';
import { PickleInput } from './pickleInput';
import { latin1 } from './textDecoding';
import { quoteShort } from './zipArchive';

export { PickleError };

export type TorchDtype = 'float32' | 'float16' | 'bfloat16' | 'float64' | 'uint8' | 'int8' | 'int16' | 'int32' | 'int64' | 'bool' | 'complex64' | 'complex128';

export const TORCH_ITEM_SIZE: Record<TorchDtype, number> = {
  float32: 4, float16: 2, bfloat16: 2, float64: 8, uint8: 1, int8: 1, int16: 2, int32: 4, int64: 8, bool: 1, complex64: 8, complex128: 16,
};

const STORAGE_TYPES: Record<string, TorchDtype> = {
  FloatStorage: 'float32', HalfStorage: 'float16', BFloat16Storage: 'bfloat16', DoubleStorage: 'float64',
  ByteStorage: 'uint8', CharStorage: 'int8', ShortStorage: 'int16', IntStorage: 'int32', LongStorage: 'int64',
  BoolStorage: 'bool', ComplexFloatStorage: 'complex64', ComplexDoubleStorage: 'complex128',
  // A raw storage counts bytes.
  UntypedStorage: 'uint8', _UntypedStorage: 'uint8',
};

/** A storage in the archive: record `data/<key>` holding `numel` elements of `dtype`. */
export interface TorchStorageRef {
  readonly kind: 'storage';
  readonly dtype: TorchDtype;
  readonly key: string;
  readonly location: string;
  readonly numel: number;
}

/** torch._utils._rebuild_tensor_v2's arguments: a strided view of a storage. */
export interface TorchTensorRef {
  readonly kind: 'tensor';
  readonly storage: TorchStorageRef;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
}

/** An instance of a class this reader does not know (never constructed: just its pickled state). */
export interface PickledObject {
  readonly kind: 'object';
  readonly className: string;
  state: TorchValue | undefined;
}

/** A name pickled as a value (a torch dtype, a function reference); never called. */
export interface PickledName {
  readonly kind: 'name';
  readonly name: string;
}

export type TorchValue =
  | null | boolean | number | string | Uint8Array
  | TorchValue[] | Map<string | number, TorchValue>
  | TorchTensorRef | TorchStorageRef | PickledObject | PickledName;

export interface TorchPickle {
  readonly root: TorchValue;
  /** Names outside the allow-list that the pickle uses as classes or values, in order of first use. */
  readonly unknownNames: readonly string[];
}

interface GlobalRef { readonly kind: 'global'; readonly full: string; readonly known: boolean }
const MARK: unique symbol = Symbol('mark');
type Item = TorchValue | GlobalRef;
type Slot = Item | typeof MARK;

const REBUILD_TENSOR = new Set(['torch._utils._rebuild_tensor_v2', 'torch._utils._rebuild_tensor']);
const REBUILD_PARAMETER = new Set(['torch._utils._rebuild_parameter', 'torch._utils._rebuild_parameter_with_state']);
const SETS = new Set(['builtins.set', '__builtin__.set', 'builtins.frozenset', '__builtin__.frozenset']);
const NUMPY_SCALAR = new Set(['numpy.core.multiarray.scalar', 'numpy._core.multiarray.scalar']);
const CALLABLE = new Set([
  ...REBUILD_TENSOR, ...REBUILD_PARAMETER, ...SETS, ...NUMPY_SCALAR,
  'collections.OrderedDict', 'torch.device', '_codecs.encode', 'numpy.dtype',
]);
const TORCH_DTYPES = new Set(['float32', 'float', 'float16', 'half', 'bfloat16', 'float64', 'double', 'uint8', 'int8', 'int16', 'int32', 'int64', 'long', 'int', 'bool']);

function storageDtype(full: string): TorchDtype | undefined {
  const m = /^torch(?:\.storage|\.cuda)?\.(\w+)$/.exec(full);
  return m ? STORAGE_TYPES[m[1]] : undefined;
}

function isKnownName(full: string): boolean {
  if (CALLABLE.has(full) || storageDtype(full) !== undefined) return true;
  const m = /^torch\.(\w+)$/.exec(full);
  return m !== null && TORCH_DTYPES.has(m[1]);
}

function isGlobal(item: Slot | undefined): item is GlobalRef {
  return typeof item === 'object' && item !== null && !(item instanceof Map) && !Array.isArray(item) && !(item instanceof Uint8Array) && (item as GlobalRef).kind === 'global';
}

function describe(item: Slot): string {
  if (item === MARK) return 'a MARK';
  if (item === null) return 'None';
  if (Array.isArray(item)) return 'a list or tuple';
  if (item instanceof Uint8Array) return 'bytes';
  if (item instanceof Map) return 'a dict';
  if (typeof item === 'object') return item.kind === 'global' ? item.full : `a ${item.kind}`;
  return `a ${typeof item}`;
}

const isSizes = (v: Item | undefined): v is number[] => Array.isArray(v) && v.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0);

class TorchUnpickler {
  private readonly stack: Slot[] = [];
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, Item>();
  private readonly unknown: string[] = [];
  private readonly input: PickleInput;

  constructor(bytes: Uint8Array) {
    this.input = new PickleInput(bytes);
  }

  private pop(what: string): Item {
    const item = this.stack.pop();
    if (item === undefined || item === MARK) throw new PickleError(`malformed pickle: ${what} finds no value on the stack`);
    return item;
  }
  private top(what: string): Item {
    const item = this.stack[this.stack.length - 1];
    if (item === undefined || item === MARK) throw new PickleError(`malformed pickle: ${what} finds no value on the stack`);
    return item;
  }
  private popMark(what: string): Item[] {
    const at = this.marks.pop();
    if (at === undefined) throw new PickleError(`malformed pickle: ${what} without a MARK`);
    return this.stack.splice(at).slice(1) as Item[];
  }
  private push(item: Item): void { this.stack.push(item); }

  private global(module: string, name: string): GlobalRef {
    const full = `${module}.${name}`;
    const known = isKnownName(full);
    if (!known && !this.unknown.includes(full)) this.unknown.push(full);
    return { kind: 'global', full, known };
  }

  /** A name used as a value rather than called: inert. */
  private settle(item: Item): TorchValue {
    return isGlobal(item) ? { kind: 'name', name: item.full } : item;
  }

  private persistentLoad(pid: Item): TorchStorageRef {
    if (!Array.isArray(pid) || pid.length !== 5 || pid[0] !== 'storage') {
      throw new PickleError(`malformed checkpoint: a persistent id is ${Array.isArray(pid) ? `a ${pid.length}-tuple starting ${describe(pid[0] ?? null)}` : describe(pid)}, not ('storage', type, key, location, numel)`);
    }
    const [, type, key, location, numel] = pid;
    // The id tuple was built by TUPLE, which turned the storage type's GLOBAL into a name.
    const typeName = isGlobal(type) ? type.full : type && typeof type === 'object' && 'kind' in type && type.kind === 'name' ? type.name : undefined;
    const dtype = typeName === undefined ? undefined : storageDtype(typeName);
    if (dtype === undefined) throw new PickleError(`malformed checkpoint: storage type ${quoteShort(describe(type))} is not a torch storage type`);
    if (typeof key !== 'string' || typeof location !== 'string' || typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) {
      throw new PickleError('malformed checkpoint: a storage id is not (storage, type, key, location, numel)');
    }
    return { kind: 'storage', dtype, key, location, numel };
  }

  private reduce(fn: Item, args: Item): Item {
    if (!isGlobal(fn)) throw new PickleError(`malformed pickle: REDUCE calls ${describe(fn)}`);
    const full = fn.full;
    if (!fn.known || !CALLABLE.has(full)) {
      throw new PickleError(`refuses to call ${quoteShort(full)}: a checkpoint may only rebuild tensors, and loading this file in Python would run that name`);
    }
    if (!Array.isArray(args)) throw new PickleError(`malformed pickle: REDUCE of ${full} without an argument tuple`);
    if (REBUILD_TENSOR.has(full)) {
      const [storage, offset, shape, stride] = args;
      if (args.length < 4 || !(storage && typeof storage === 'object' && 'kind' in storage && storage.kind === 'storage')) {
        throw new PickleError(`malformed checkpoint: ${full} expects (storage, storage_offset, size, stride, ...)`);
      }
      if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || !isSizes(shape) || !isSizes(stride) || shape.length !== stride.length) {
        throw new PickleError(`malformed checkpoint: ${full} has an invalid offset, size or stride`);
      }
      return { kind: 'tensor', storage, offset, shape: [...shape], stride: [...stride] };
    }
    if (REBUILD_PARAMETER.has(full)) {
      const data = args[0];
      if (!(data && typeof data === 'object' && 'kind' in data && data.kind === 'tensor')) throw new PickleError(`malformed checkpoint: ${full} expects a tensor`);
      return data;
    }
    if (full === 'collections.OrderedDict') {
      const map = new Map<string | number, TorchValue>();
      const pairs = args[0];
      if (Array.isArray(pairs)) for (const pair of pairs) if (Array.isArray(pair) && pair.length === 2) map.set(dictKey(pair[0]), pair[1]);
      return map;
    }
    if (SETS.has(full)) return Array.isArray(args[0]) ? [...args[0]] : [];
    if (full === 'torch.device') return args.map((a) => String(a)).join(':');
    if (full === '_codecs.encode') {
      const [text] = args;
      if (typeof text !== 'string') throw new PickleError('malformed pickle: _codecs.encode expects text');
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
      return out;
    }
    // numpy scalars and dtypes (an accuracy stored next to the weights) are kept only as inert objects.
    return { kind: 'object', className: full, state: undefined };
  }

  private build(target: Item, state: Item): Item {
    // OrderedDict's BUILD sets attributes such as a state_dict's _metadata: versions, not weights.
    if (target instanceof Map) return target;
    if (target && typeof target === 'object' && 'kind' in target && target.kind === 'object') {
      target.state = this.settle(state);
      return target;
    }
    // A tensor's BUILD (torch 2's _rebuild_parameter_with_state) sets Python attributes only.
    if (target && typeof target === 'object' && 'kind' in target && target.kind === 'tensor') return target;
    throw new PickleError(`malformed pickle: BUILD of ${describe(target)}`);
  }

  private newObject(cls: Item): Item {
    if (!isGlobal(cls)) throw new PickleError(`malformed pickle: NEWOBJ of ${describe(cls)}`);
    if (cls.full === 'collections.OrderedDict') return new Map();
    return { kind: 'object', className: cls.full, state: undefined };
  }

  run(): TorchPickle {
    if (this.input.bytes.length === 0) throw new PickleError('data.pkl is empty');
    if (this.input.bytes[0] !== 0x80) throw new PickleError(`data.pkl is not a pickle of protocol 2 or later (it starts with byte 0x${this.input.bytes[0].toString(16).padStart(2, '0')})`);
    for (;;) {
      const at = this.input.pos;
      const op = this.input.u8('the next opcode');
      const name = `opcode 0x${op.toString(16)}`;
      switch (op) {
        case 0x80: { const p = this.input.u8(name); if (p < 2 || p > 5) throw new PickleError(`pickle protocol ${p} is not supported (2 to 5 are)`); break; }
        case 0x95: this.input.u64(name); break; // FRAME
        case 0x2e: { // STOP
          const result = this.pop(name);
          if (this.stack.length !== 0 || this.marks.length !== 0) throw new PickleError('malformed pickle: values left on the stack at STOP');
          return { root: this.settle(result), unknownNames: this.unknown };
        }
        case 0x7d: this.push(new Map()); break; // EMPTY_DICT
        case 0x5d: case 0x29: this.push([]); break; // EMPTY_LIST, EMPTY_TUPLE
        case 0x8f: this.push([]); break; // EMPTY_SET
        case 0x28: this.marks.push(this.stack.length); this.stack.push(MARK); break;
        case 0x64: { const items = this.popMark(name); const m = new Map(); setItems(m, items); this.push(m); break; } // DICT
        case 0x6c: case 0x74: this.push(this.popMark(name).map((v) => this.settle(v))); break; // LIST, TUPLE
        case 0x91: this.push(this.popMark(name).map((v) => this.settle(v))); break; // FROZENSET
        case 0x73: { const v = this.pop(name); const k = this.pop(name); setItems(this.top(name), [k, this.settle(v)]); break; }
        case 0x75: { const items = this.popMark(name).map((v) => this.settle(v)); setItems(this.top(name), items); break; }
        case 0x61: { const v = this.pop(name); appendItems(this.top(name), [this.settle(v)]); break; }
        case 0x65: case 0x90: { const items = this.popMark(name).map((v) => this.settle(v)); appendItems(this.top(name), items); break; } // APPENDS, ADDITEMS
        case 0x85: this.push([this.settle(this.pop(name))]); break;
        case 0x86: { const b = this.pop(name); const a = this.pop(name); this.push([this.settle(a), this.settle(b)]); break; }
        case 0x87: { const c = this.pop(name); const b = this.pop(name); const a = this.pop(name); this.push([this.settle(a), this.settle(b), this.settle(c)]); break; }
        case 0x71: this.memo.set(this.input.u8(name), this.top(name)); break;
        case 0x72: this.memo.set(this.input.u32(name), this.top(name)); break;
        case 0x94: this.memo.set(this.memo.size, this.top(name)); break;
        case 0x68: case 0x6a: {
          const key = op === 0x68 ? this.input.u8(name) : this.input.u32(name);
          const item = this.memo.get(key);
          if (item === undefined) throw new PickleError(`malformed pickle: memo ${key} at byte ${at} refers to nothing stored`);
          this.push(item);
          break;
        }
        case 0x4a: this.push(this.input.i32(name)); break;
        case 0x4b: this.push(this.input.u8(name)); break;
        case 0x4d: this.push(this.input.u16(name)); break;
        case 0x8a: case 0x8b: { // LONG1, LONG4
          const n = op === 0x8a ? this.input.u8(name) : this.input.u32(name);
          if (n > 8) throw new PickleError(`an integer at byte ${at} is too large`);
          const digits = this.input.chunk(n, name);
          let value = 0;
          for (let i = n - 1; i >= 0; i--) value = value * 256 + digits[i];
          if (n > 0 && digits[n - 1] >= 0x80) value -= 2 ** (8 * n);
          if (!Number.isSafeInteger(value)) throw new PickleError(`an integer at byte ${at} is too large`);
          this.push(value);
          break;
        }
        case 0x47: this.push(this.input.f64be(name)); break; // BINFLOAT is big-endian
        case 0x4e: this.push(null); break;
        case 0x88: this.push(true); break;
        case 0x89: this.push(false); break;
        case 0x55: case 0x43: this.push(this.input.chunk(this.input.u8(name), name)); break;
        case 0x54: case 0x42: this.push(this.input.chunk(this.input.u32(name), name)); break;
        case 0x8e: case 0x96: this.push(this.input.chunk(this.input.u64(name), name)); break;
        case 0x58: this.push(this.input.unicode(this.input.u32(name), name)); break;
        case 0x8c: this.push(this.input.unicode(this.input.u8(name), name)); break;
        case 0x8d: this.push(this.input.unicode(this.input.u64(name), name)); break;
        case 0x63: { const module = this.input.line(name); this.push(this.global(module, this.input.line(name))); break; }
        case 0x93: {
          const n = this.pop(name);
          const m = this.pop(name);
          if (typeof m !== 'string' || typeof n !== 'string') throw new PickleError('malformed pickle: STACK_GLOBAL needs two strings');
          this.push(this.global(m, n));
          break;
        }
        case 0x51: this.push(this.persistentLoad(this.pop(name))); break; // BINPERSID
        case 0x52: { const args = this.pop(name); const fn = this.pop(name); this.push(this.reduce(fn, args)); break; }
        case 0x81: { this.pop(name); this.push(this.newObject(this.pop(name))); break; } // NEWOBJ
        case 0x92: { this.pop(name); this.pop(name); this.push(this.newObject(this.pop(name))); break; } // NEWOBJ_EX
        case 0x62: { const state = this.pop(name); const target = this.pop(name); this.push(this.build(target, state)); break; }
        case 0x30: this.pop(name); break;
        case 0x31: this.popMark(name); break; // POP_MARK
        case 0x32: this.push(this.top(name)); break;
        default:
          throw new PickleError(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at} (torch.save writes protocol 2)`);
      }
    }
  }
}

function dictKey(key: Item): string | number {
  if (typeof key === 'string' || typeof key === 'number') return key;
  if (key instanceof Uint8Array) return latin1(key);
  if (typeof key === 'boolean') return key ? 'True' : 'False';
  if (key === null) return 'None';
  throw new PickleError(`dict key of unsupported type (${describe(key)})`);
}

function setItems(target: Item, items: Item[]): void {
  if (!(target instanceof Map)) {
    // SETITEMS on an unknown object: a dict subclass's items; kept as its state.
    if (target && typeof target === 'object' && 'kind' in target && target.kind === 'object') {
      if (!(target.state instanceof Map)) target.state = new Map();
      setItems(target.state, items);
      return;
    }
    throw new PickleError(`malformed pickle: SETITEMS on ${describe(target)}`);
  }
  if (items.length % 2 !== 0) throw new PickleError('malformed pickle: SETITEMS with an odd number of values');
  for (let i = 0; i < items.length; i += 2) target.set(dictKey(items[i]), items[i + 1] as TorchValue);
}

function appendItems(target: Item, items: Item[]): void {
  if (!Array.isArray(target)) {
    if (target && typeof target === 'object' && 'kind' in target && target.kind === 'object') {
      if (!Array.isArray(target.state)) target.state = [];
      appendItems(target.state, items);
      return;
    }
    throw new PickleError(`malformed pickle: APPENDS on ${describe(target)}`);
  }
  for (const item of items) target.push(item as TorchValue);
}

/** Reads a torch.save data.pkl; never runs code. Throws PickleError with a one-line reason. */
export function readTorchPickle(bytes: Uint8Array): TorchPickle {
  return new TorchUnpickler(bytes).run();
}
