// A restricted unpickler for CIFAR's python version: it interprets only the opcodes those files
// use (protocol 2 as written by Python 2's cPickle, protocols 2-5 as written by Python 3) and
// never runs anything. A GLOBAL is only a name here: the few numpy array-reconstruction names
// are rebuilt as plain data, and every other name is refused before it could mean anything.
import { quoteInput } from './quotedText';
import { PickleError } from './pickleError';
import { PickleInput } from './pickleInput';
import { latin1 } from './textDecoding';

export { PickleError };

/** A numpy array: its raw bytes are a view into the pickle's bytes (no copy). */
export interface NdArray {
  readonly kind: 'ndarray';
  /** numpy's type string with byte order, e.g. '|u1', '<i8'. */
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Column-major element order (numpy's is_fortran / order 'F'). */
  readonly fortran: boolean;
  readonly bytes: Uint8Array;
}

/** A numpy dtype met on its own (an array's dtype is folded into NdArray.dtype). */
export interface NpDtype {
  readonly kind: 'dtype';
  readonly dtype: string;
}

/**
 * What an unpickled value becomes: None -> null, int -> number, str -> string, bytes (and
 * Python 2 str, as pickle.load(encoding='bytes') gives it) -> Uint8Array, list and tuple -> array,
 * dict -> Map (bytes keys decoded as latin-1, the way torchvision's encoding='latin1' sees them).
 */
export type PyValue = null | boolean | number | string | Uint8Array | PyValue[] | PyDict | NdArray | NpDtype;
export type PyDict = Map<string | number, PyValue>;

// Stack entries that never escape: a GLOBAL's name and an array awaiting its BUILD state.
interface GlobalRef { readonly kind: 'global'; readonly module: string; readonly name: string }
interface PendingArray { readonly kind: 'pending-array' }
interface PendingDtype { readonly kind: 'pending-dtype'; readonly type: string }
type Item = PyValue | GlobalRef | PendingArray | PendingDtype;
const MARK: unique symbol = Symbol('mark');
type Slot = Item | typeof MARK;

// numpy moved its modules to numpy._core in 2.0; pickles name either.
const RECONSTRUCT = new Set(['numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct']);
const FROMBUFFER = new Set(['numpy.core.numeric._frombuffer', 'numpy._core.numeric._frombuffer']);
const ALLOWED_GLOBALS = new Set([...RECONSTRUCT, ...FROMBUFFER, 'numpy.ndarray', 'numpy.dtype', '_codecs.encode', '__builtin__.bytes', 'builtins.bytes']);

const OPCODE_NAMES: Record<number, string> = {
  0x80: 'PROTO', 0x95: 'FRAME', 0x2e: 'STOP', 0x7d: 'EMPTY_DICT', 0x5d: 'EMPTY_LIST', 0x29: 'EMPTY_TUPLE', 0x28: 'MARK',
  0x73: 'SETITEM', 0x75: 'SETITEMS', 0x61: 'APPEND', 0x65: 'APPENDS', 0x74: 'TUPLE', 0x85: 'TUPLE1', 0x86: 'TUPLE2', 0x87: 'TUPLE3',
  0x71: 'BINPUT', 0x72: 'LONG_BINPUT', 0x94: 'MEMOIZE', 0x68: 'BINGET', 0x6a: 'LONG_BINGET',
  0x4a: 'BININT', 0x4b: 'BININT1', 0x4d: 'BININT2', 0x8a: 'LONG1', 0x4e: 'NONE', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE',
  0x55: 'SHORT_BINSTRING', 0x54: 'BINSTRING', 0x58: 'BINUNICODE', 0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8',
  0x43: 'SHORT_BINBYTES', 0x42: 'BINBYTES', 0x8e: 'BINBYTES8', 0x96: 'BYTEARRAY8',
  0x63: 'GLOBAL', 0x93: 'STACK_GLOBAL', 0x52: 'REDUCE', 0x62: 'BUILD', 0x30: 'POP', 0x32: 'DUP',
};

function describe(item: Slot): string {
  if (item === MARK) return 'a MARK';
  if (item === null) return 'None';
  if (Array.isArray(item)) return 'a list or tuple';
  if (item instanceof Uint8Array) return 'bytes';
  if (item instanceof Map) return 'a dict';
  if (typeof item === 'object') return item.kind === 'global' ? `${item.module}.${item.name}` : `a ${item.kind}`;
  return `a ${typeof item}`;
}

function itemSize(dtype: string): number {
  const m = /^[<>|=]?[biuf](\d{1,2})$/.exec(dtype);
  if (!m) throw new PickleError(`numpy dtype ${quoteInput(dtype, 40)} is not supported (only numbers: integers, floats, booleans)`);
  return Number(m[1]);
}

class Unpickler {
  private readonly stack: Slot[] = [];
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, Item>();
  /** Characters made from bytes (or bytes from text) beyond reading the input once; see convert(). */
  private converted = 0;
  private readonly input: PickleInput;

  constructor(bytes: Uint8Array) {
    this.input = new PickleInput(bytes);
  }

  /**
   * Pays for turning `n` bytes into text or back, before it is allocated. A memo reference lets a
   * few bytes convert the same 1 MB value again and again (terabytes from a 1 MB file); a real
   * pickle converts each value once, so the input's length (plus slack) bounds them all.
   */
  private convert(n: number): void {
    this.converted += n;
    if (this.converted > this.input.bytes.length + 0x100000) {
      throw new PickleError(`malformed pickle: it converts more text than the ${this.input.bytes.length}-byte file holds (a memo reference used over and over)`);
    }
  }
  private text(bytes: Uint8Array): string {
    this.convert(bytes.length);
    return latin1(bytes);
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
    return this.stack.splice(at) as Item[];
  }
  private push(item: Item): void { this.stack.push(item); }

  private global(module: string, name: string): GlobalRef {
    const full = `${module}.${name}`;
    if (!ALLOWED_GLOBALS.has(full)) {
      // A plain dotted Python name reads best as it is; anything else (newlines, 10 MB) is quoted and cut.
      const shown = full.length <= 120 && /^[A-Za-z_][\w.]*$/.test(full) ? full : quoteInput(full);
      throw new PickleError(`refuses to load ${shown}: a CIFAR batch may only reconstruct numpy arrays, so this pickle is not one (and could run code in Python)`);
    }
    return { kind: 'global', module, name };
  }

  private reduce(fn: Item, args: Item): Item {
    if (typeof fn !== 'object' || fn === null || !('kind' in fn) || fn.kind !== 'global') {
      throw new PickleError(`malformed pickle: REDUCE calls ${describe(fn)}`);
    }
    const full = `${fn.module}.${fn.name}`;
    if (!Array.isArray(args)) throw new PickleError(`malformed pickle: REDUCE of ${full} without an argument tuple`);
    if (RECONSTRUCT.has(full)) {
      const cls = args[0];
      if (args.length !== 3 || !(cls && typeof cls === 'object' && 'kind' in cls && (cls as Item as GlobalRef).kind === 'global')) {
        throw new PickleError(`malformed pickle: ${full} expects (numpy.ndarray, shape, typecode)`);
      }
      return { kind: 'pending-array' };
    }
    if (FROMBUFFER.has(full)) {
      const [buffer, dtype, shape, order] = args;
      if (args.length !== 4 || !(buffer instanceof Uint8Array) || !isDtype(dtype) || (order !== 'C' && order !== 'F')) {
        throw new PickleError(`malformed pickle: ${full} expects (buffer, dtype, shape, order)`);
      }
      return makeArray(dtype.dtype, shape, order === 'F', buffer);
    }
    if (full === 'numpy.dtype') {
      // Python 2 pickles give the type string as bytes.
      const type = args[0] instanceof Uint8Array ? this.text(args[0]) : args[0];
      if (typeof type !== 'string') throw new PickleError('malformed pickle: numpy.dtype expects a type string');
      return { kind: 'pending-dtype', type };
    }
    if (full === '_codecs.encode') {
      // Python 3 writes bytes under protocol 2 as _codecs.encode(text, 'latin1').
      const [text, encoding] = args;
      if (typeof text !== 'string' || (encoding !== 'latin1' && encoding !== 'latin-1')) {
        throw new PickleError(`malformed pickle: _codecs.encode is only supported as (text, 'latin1')`);
      }
      this.convert(text.length);
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c > 255) throw new PickleError(`malformed pickle: _codecs.encode(..., 'latin1') of a character beyond latin-1`);
        out[i] = c;
      }
      return out;
    }
    if (fn.name === 'bytes' && args.length === 0) return new Uint8Array(0);
    throw new PickleError(`malformed pickle: ${full} called with unexpected arguments`);
  }

  private build(target: Item, state: Item): Item {
    if (target && typeof target === 'object' && 'kind' in target && target.kind === 'pending-dtype') {
      // (version, byteorder, subdescr, names, fields, elsize, alignment, flags)
      const order = Array.isArray(state) ? (state[1] instanceof Uint8Array ? this.text(state[1]) : state[1]) : undefined;
      if (typeof order !== 'string' || !/^[<>|=]$/.test(order)) throw new PickleError('malformed pickle: numpy.dtype state without a byte order');
      const dtype = `${order === '=' ? '<' : order}${target.type}`;
      itemSize(dtype);
      // BUILD changes the object itself: memo references to it must see the result.
      return becomes(target, { kind: 'dtype', dtype } satisfies NpDtype);
    }
    if (target && typeof target === 'object' && 'kind' in target && target.kind === 'pending-array') {
      // ndarray.__setstate__: (version, shape, dtype, is_fortran, rawdata), version optional.
      const s = Array.isArray(state) && state.length === 4 ? [1, ...state] : state;
      if (!Array.isArray(s) || s.length !== 5) throw new PickleError('malformed pickle: numpy array state is not (version, shape, dtype, is_fortran, data)');
      const [, shape, dtype, fortran, data] = s;
      if (!isDtype(dtype)) throw new PickleError(`malformed pickle: numpy array dtype is ${describe(dtype)}`);
      if (Array.isArray(data)) throw new PickleError(`numpy arrays of Python objects (dtype ${dtype.dtype}) are not supported`);
      if (!(data instanceof Uint8Array)) throw new PickleError(`malformed pickle: numpy array data is ${describe(data)}`);
      return becomes(target, makeArray(dtype.dtype, shape, fortran === true || fortran === 1, data));
    }
    throw new PickleError(`malformed pickle: BUILD of ${describe(target)} (only numpy arrays and dtypes are rebuilt)`);
  }

  run(): PyValue {
    if (this.input.bytes.length === 0) throw new PickleError('the file is empty');
    if (this.input.bytes[0] !== 0x80) throw new PickleError(`not a Python pickle of protocol 2 or later (CIFAR's python batches start with byte 0x80, this one with 0x${this.input.bytes[0].toString(16).padStart(2, '0')})`);
    for (;;) {
      const at = this.input.pos;
      const op = this.input.u8('the next opcode');
      const name = OPCODE_NAMES[op];
      switch (op) {
        case 0x80: {
          const proto = this.input.u8(name);
          if (proto < 2 || proto > 5) throw new PickleError(`pickle protocol ${proto} is not supported (2 to 5 are)`);
          break;
        }
        case 0x95: this.input.u64(name); break; // FRAME: a length hint; the data is read the same either way.
        case 0x2e: { // STOP
          const result = this.pop(name);
          if (this.stack.length !== 0 || this.marks.length !== 0) throw new PickleError('malformed pickle: values left on the stack at STOP');
          return finalValue(result);
        }
        case 0x7d: this.push(new Map()); break;
        case 0x5d: this.push([]); break;
        case 0x29: this.push([]); break;
        case 0x28: this.marks.push(this.stack.length); this.stack.push(MARK); break;
        case 0x73: { const v = this.pop(name); const k = this.pop(name); setItems(this.top(name), [k, v], (b) => this.text(b)); break; }
        case 0x75: { const items = this.popMark(name).slice(1); setItems(this.top(name), items, (b) => this.text(b)); break; }
        case 0x61: { const v = this.pop(name); appendItems(this.top(name), [v]); break; }
        case 0x65: { const items = this.popMark(name).slice(1); appendItems(this.top(name), items); break; }
        case 0x74: this.push(this.popMark(name).slice(1) as PyValue[]); break;
        case 0x85: this.push([this.pop(name)] as PyValue[]); break;
        case 0x86: { const b = this.pop(name); const a = this.pop(name); this.push([a, b] as PyValue[]); break; }
        case 0x87: { const c = this.pop(name); const b = this.pop(name); const a = this.pop(name); this.push([a, b, c] as PyValue[]); break; }
        case 0x71: this.memo.set(this.input.u8(name), this.top(name)); break;
        case 0x72: this.memo.set(this.input.u32(name), this.top(name)); break;
        case 0x94: this.memo.set(this.memo.size, this.top(name)); break;
        case 0x68: case 0x6a: {
          const key = op === 0x68 ? this.input.u8(name) : this.input.u32(name);
          const item = this.memo.get(key);
          if (item === undefined) throw new PickleError(`malformed pickle: ${name} ${key} at byte ${at} refers to nothing stored`);
          this.push(item);
          break;
        }
        case 0x4a: this.push(this.input.i32(name)); break;
        case 0x4b: this.push(this.input.u8(name)); break;
        case 0x4d: this.push(this.input.u16(name)); break;
        case 0x8a: {
          const n = this.input.u8(name);
          const digits = this.input.chunk(n, name);
          let value = 0;
          for (let i = n - 1; i >= 0; i--) value = value * 256 + digits[i];
          if (n > 0 && digits[n - 1] >= 0x80) value -= 2 ** (8 * n);
          if (!Number.isSafeInteger(value)) throw new PickleError(`an integer at byte ${at} is too large`);
          this.push(value);
          break;
        }
        case 0x4e: this.push(null); break;
        case 0x88: this.push(true); break;
        case 0x89: this.push(false); break;
        case 0x55: case 0x43: this.push(this.input.chunk(this.input.u8(name), name)); break;
        case 0x54: {
          const n = this.input.i32(name);
          if (n < 0) throw new PickleError(`malformed pickle: negative BINSTRING length at byte ${at}`);
          this.push(this.input.chunk(n, name));
          break;
        }
        case 0x42: this.push(this.input.chunk(this.input.u32(name), name)); break;
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
        case 0x52: { const args = this.pop(name); const fn = this.pop(name); this.push(this.reduce(fn, args)); break; }
        case 0x62: { const state = this.pop(name); const target = this.pop(name); this.push(this.build(target, state)); break; }
        case 0x30: this.pop(name); break;
        case 0x32: this.push(this.top(name)); break;
        default:
          throw new PickleError(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at} (only what CIFAR batches use is read)`);
      }
    }
  }
}

/** Turns a pending object into its built value in place (keeping its identity), and returns it. */
function becomes<T extends object>(target: PendingArray | PendingDtype, built: T): T {
  const t = target as unknown as Record<string, unknown>;
  for (const key of Object.keys(t)) delete t[key];
  return Object.assign(t, built) as T;
}

function isDtype(item: Item | undefined): item is NpDtype {
  return !!item && typeof item === 'object' && 'kind' in item && item.kind === 'dtype';
}

function makeArray(dtype: string, shapeItem: Item | undefined, fortran: boolean, bytes: Uint8Array): NdArray {
  if (!Array.isArray(shapeItem) || !shapeItem.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw new PickleError('malformed pickle: numpy array shape is not a tuple of sizes');
  }
  const shape = shapeItem as number[];
  const expected = shape.reduce((a, b) => a * b, 1) * itemSize(dtype);
  if (bytes.length !== expected) {
    const shown = shape.length > 6 ? `${shape.slice(0, 6).join(', ')}, … ${shape.length} dimensions` : shape.join(', ');
    throw new PickleError(`numpy array of shape (${shown}) and dtype ${dtype} should hold ${expected} bytes, but holds ${bytes.length}`);
  }
  return { kind: 'ndarray', dtype, shape, fortran, bytes };
}

function dictKey(key: Item, text: (bytes: Uint8Array) => string): string | number {
  if (typeof key === 'string' || typeof key === 'number') return key;
  if (key instanceof Uint8Array) return text(key);
  throw new PickleError(`dict key of unsupported type (${describe(key)})`);
}

function setItems(target: Item, items: Item[], text: (bytes: Uint8Array) => string): void {
  if (!(target instanceof Map)) throw new PickleError(`malformed pickle: SETITEMS on ${describe(target)}`);
  if (items.length % 2 !== 0) throw new PickleError('malformed pickle: SETITEMS with an odd number of values');
  for (let i = 0; i < items.length; i += 2) target.set(dictKey(items[i], text), items[i + 1] as PyValue);
}

function appendItems(target: Item, items: Item[]): void {
  if (!Array.isArray(target)) throw new PickleError(`malformed pickle: APPENDS on ${describe(target)}`);
  for (const item of items) target.push(item as PyValue);
}

function finalValue(item: Item): PyValue {
  if (item && typeof item === 'object' && 'kind' in item && item.kind !== 'ndarray' && item.kind !== 'dtype') {
    throw new PickleError(`malformed pickle: the result is ${describe(item)}`);
  }
  return item as PyValue;
}

/** Reads one pickle; never runs code. Throws PickleError with a one-line reason. */
export function unpickle(bytes: Uint8Array): PyValue {
  return new Unpickler(bytes).run();
}
