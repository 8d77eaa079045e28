import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PickleError, unpickle, type NdArray, type PyValue } from '../core/pythonPickle';
import { decodeUtf8 } from '../core/textDecoding';

// Pickles written by Python 3 (protocols 2-5) and in Python 2 cPickle's form, with what Python's
// pickle.load returns for each (tools/fixtures/makePythonBatchFixtures.py).
const dir = join(__dirname, 'fixtures', 'python', 'pickles');
const load = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
const expected = JSON.parse(readFileSync(join(dir, 'pickles.json'), 'utf8')) as Record<string, unknown>;
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** The same JSON view of a value as the fixture script's describe(). */
function view(v: PyValue): unknown {
  if (v instanceof Uint8Array) return { bytes: hex(v) };
  if (v instanceof Map) return { dict: [...v.entries()].map(([k, x]) => [k, view(x)]) };
  if (Array.isArray(v)) return v.map(view);
  if (v !== null && typeof v === 'object') {
    if (v.kind === 'ndarray') return { ndarray: { dtype: v.dtype, shape: v.shape, fortran: v.fortran, hex: hex(v.bytes) } };
    throw new Error(`unexpected ${v.kind}`);
  }
  return v;
}

function pickleError(bytes: Uint8Array): PickleError {
  try {
    unpickle(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(PickleError);
    expect((err as Error).message).not.toContain('\n');
    return err as PickleError;
  }
  throw new Error('expected the pickle to be refused');
}

describe('the restricted unpickler reads what Python pickles', () => {
  it.each(['proto2.pkl', 'proto3.pkl', 'proto4.pkl', 'proto5.pkl', 'py2.pkl', 'memo300.pkl'])('%s gives what pickle.load gives', (name) => {
    expect(expected[name]).toBeDefined();
    expect(view(unpickle(load(name)))).toEqual(expected[name]);
  });

  it('covers the opcodes each form uses (so the cases above exercise them)', () => {
    const has = (name: string, ...ops: number[]) => ops.every((op) => load(name).includes(op));
    expect(has('py2.pkl', 0x55, 0x54, 0x63, 0x52, 0x62, 0x71)).toBe(true); // SHORT_BINSTRING BINSTRING GLOBAL REDUCE BUILD BINPUT
    expect(has('memo300.pkl', 0x72, 0x6a)).toBe(true); // LONG_BINPUT LONG_BINGET
    expect(has('proto4.pkl', 0x95, 0x94, 0x93, 0x8c)).toBe(true); // FRAME MEMOIZE STACK_GLOBAL SHORT_BINUNICODE
    expect(has('proto5.pkl', 0x96)).toBe(true); // BYTEARRAY8 (numpy's _frombuffer)
    expect(readFileSync(join(dir, 'proto2.pkl')).includes('_codecs\nencode')).toBe(true);
  });

  it('returns arrays as views of the pickle bytes, not copies', () => {
    const bytes = load('proto4.pkl');
    const c = (unpickle(bytes) as Map<string, PyValue>).get('c') as NdArray;
    expect(c.bytes.buffer).toBe(bytes.buffer);
    bytes[bytes.indexOf(0x3f, c.bytes.byteOffset)] = 0;
    expect(c.bytes[9]).toBe(0);
  });

  it('decodes UTF-8 like Python and rejects malformed UTF-8', () => {
    const decode = decodeUtf8;
    const text = 'caf\u00e9 \u20ac\u{1F600} \u07ff\u0800\uffff\u{10ffff}';
    expect(decode(new Uint8Array(Buffer.from(text, 'utf8')))).toBe(text);
    const all = String.fromCharCode(...Array.from({ length: 256 }, (_v, i) => i)).repeat(40);
    expect(decode(new Uint8Array(Buffer.from(all, 'utf8')))).toBe(all);
    for (const bad of [[0xc3], [0xe2, 0x82], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff], [0x80], [0x61, 0xc3, 0x28]]) {
      expect(decode(new Uint8Array(bad)), bad.join(' ')).toBeNull();
    }
  });
});

describe('refusals: one line, and nothing is ever run', () => {
  it('refuses GLOBALs other than numpy array reconstruction (a pickle that would run code)', () => {
    expect(pickleError(load('evil-system.pkl')).message).toBe('refuses to load posix.system: a CIFAR batch may only reconstruct numpy arrays, so this pickle is not one (and could run code in Python)');
    expect(pickleError(load('evil-eval.pkl')).message).toMatch(/^refuses to load builtins\.eval: /);
  });

  it('refuses every truncation of a valid pickle (never a crash, a hang or a partial value)', () => {
    for (const name of ['py2.pkl', 'proto2.pkl', 'proto4.pkl', 'proto5.pkl']) {
      const bytes = load(name);
      for (let n = 0; n < bytes.length; n++) {
        const e = pickleError(bytes.subarray(0, n));
        if (n > 2) expect(e.message, `${name} cut at ${n}`).toMatch(/^(the pickle is truncated|malformed pickle)/);
      }
    }
    const cut = load('py2.pkl').subarray(0, 100);
    expect(pickleError(cut).message).toMatch(/^the pickle is truncated \(it ends at byte 100, inside .+ at byte \d+\)$/);
  });

  it('refuses what is not a pickle of protocol 2..5, and opcodes CIFAR batches never use', () => {
    expect(pickleError(new Uint8Array(0)).message).toBe('the file is empty');
    expect(pickleError(new Uint8Array(Buffer.from('hello'))).message).toBe("not a Python pickle of protocol 2 or later (CIFAR's python batches start with byte 0x80, this one with 0x68)");
    // Protocol 0 (text): (dp0\nVa\np1\nI1\ns.
    expect(pickleError(new Uint8Array(Buffer.from('(dp0\nVa\np1\nI1\ns.'))).message).toMatch(/^not a Python pickle of protocol 2 or later/);
    expect(pickleError(new Uint8Array([0x80, 0x06, 0x4e, 0x2e])).message).toBe('pickle protocol 6 is not supported (2 to 5 are)');
    // BINFLOAT 1.5
    expect(pickleError(new Uint8Array([0x80, 0x02, 0x47, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0x2e])).message).toBe('unsupported pickle opcode 0x47 at byte 2 (only what CIFAR batches use is read)');
    // EMPTY_DICT MARK STOP: values left over.
    expect(pickleError(new Uint8Array([0x80, 0x02, 0x7d, 0x28, 0x2e])).message).toMatch(/^malformed pickle/);
    // BINGET of nothing memoized.
    expect(pickleError(new Uint8Array([0x80, 0x02, 0x68, 0x05, 0x2e])).message).toBe('malformed pickle: BINGET 5 at byte 2 refers to nothing stored');
  });

  it('refuses an array whose data does not match its shape and dtype, and object arrays', () => {
    const bytes = load('py2.pkl');
    // py2.pkl's first array is (3, 4) uint8: its 12-byte data follows "T" or "U\x0c".
    const at = bytes.indexOf(0x55, bytes.indexOf(0x89, bytes.indexOf(0x62)));
    expect(bytes[at + 1]).toBe(12);
    const shorter = new Uint8Array([...bytes.subarray(0, at), 0x55, 11, ...bytes.subarray(at + 2, at + 13), ...bytes.subarray(at + 14)]);
    expect(pickleError(shorter).message).toBe('numpy array of shape (3, 4) and dtype |u1 should hold 12 bytes, but holds 11');
  });
});
