import { describe, expect, it } from 'vitest';
import { parseClassNames } from '../core/cifarMeta';
import { ContractCodecError, decodeContract, encodeContract } from '../core/contractCodec';
import { CifarPythonError, pythonClassNames } from '../core/cifarPython';
import { indexEventFile } from '../core/eventFileIndex';
import { formatRecordProblem } from '../core/tfRecordReader';
import { NpyError, parseNpy } from '../core/npy';
import { fileVersionEvent, imagesEvent } from '../core/tensorboardEvents';
import { frameRecord } from '../core/tfRecordFrame';
import { PickleError, unpickle } from '../core/pythonPickle';
import { hasUnsafeCharacters, quoteInput, sanitizeLabel } from '../core/quotedText';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A .npy of the given version around raw header bytes (and optional data). */
function npyFile(major: 1 | 2 | 3, header: Uint8Array, data = new Uint8Array(0)): Uint8Array {
  const prefix = major === 1 ? 10 : 12;
  const out = new Uint8Array(prefix + header.length + data.length);
  out.set(MAGIC, 0);
  out[6] = major;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, prefix);
  out.set(data, prefix + header.length);
  return out;
}

const HEADER = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }";

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

/** A one-line message of at most 500 characters without control characters. */
function expectCleanLine(message: string): void {
  expect(message.length).toBeLessThanOrEqual(500);
  expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
}

describe('quoteInput and sanitizeLabel', () => {
  it('escapes control characters, DEL, C1, lone surrogates, separators and bidi overrides', () => {
    expect(quoteInput('a\nb\x1b[2J\x7f\x85\ud800z\u202eq\u2066\u2028"\\')).toBe('"a\\nb\\x1b[2J\\x7f\\x85\\ud800z\\u202eq\\u2066\\u2028\\"\\\\"');
    expect(quoteInput('\udc00\t\r')).toBe('"\\udc00\\t\\r"');
    // A proper surrogate pair is a character, not two lone surrogates.
    expect(quoteInput('\ud83d\ude00')).toBe('"\ud83d\ude00"');
    expect(sanitizeLabel('cat\x1b[31m"red"')).toBe('cat\\x1b[31m"red"');
  });

  it('cuts long text with an ellipsis and its total length, without reading all of it', () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    expect(quoteInput(huge)).toBe(`"${'x'.repeat(80)}…" (10485760 characters)`);
    expect(quoteInput('abcdefghij', 3)).toBe('"abc…" (10 characters)');
    // Escapes count towards the limit, so an escape is never cut in half.
    expect(quoteInput('\n\n\n', 5)).toBe('"\\n\\n…" (3 characters)');
    expect(sanitizeLabel('abcdefghij', 4)).toBe('abcd…');
    expect(quoteInput('short')).toBe('"short"');
  });

  it('tells which text holds characters it would escape', () => {
    expect(hasUnsafeCharacters('aquarium_fish')).toBe(false);
    expect(hasUnsafeCharacters('chat "noir" \u00e9\ud83d\ude00')).toBe(false);
    for (const bad of ['a\x1b', 'a\u202e', '\ud800', 'a\u0085', 'a\tb']) expect(hasUnsafeCharacters(bad), bad).toBe(true);
  });
});

describe('parseNpy refuses hostile headers in bounded time', () => {
  it('refuses a 200 MiB header before decoding it, as numpy refuses headers over 10000 characters', () => {
    const size = 200 * 1024 * 1024;
    const file = new Uint8Array(12 + size + 4);
    file.fill(0x20, 12, 12 + size);
    file.set(npyFile(2, ascii(HEADER)).subarray(0, 12 + HEADER.length));
    new DataView(file.buffer).setUint32(8, size, true);
    for (const major of [2, 3] as const) {
      file[6] = major;
      const started = performance.now();
      const e = thrown(() => parseNpy(file, 'huge.npy'));
      expect(performance.now() - started).toBeLessThan(500);
      expect(e).toBeInstanceOf(NpyError);
      expect(e.message).toBe(`huge.npy: header info length (${major === 2 ? size : `${size} bytes`}) is large and may not be safe to load securely (numpy refuses .npy headers over 10000 characters)`);
    }
  });

  it('applies the limit to characters: 10000 pass, 10001 do not (UTF-8 counted as numpy decodes it)', () => {
    const padded = (n: number, fill: string) => {
      const text = HEADER + fill.repeat(n - HEADER.length);
      return new Uint8Array(Buffer.from(text, 'utf8'));
    };
    const data = new Uint8Array(4);
    expect(parseNpy(npyFile(2, padded(10000, ' '), data), 'a.npy').shape).toEqual([1]);
    expect(thrown(() => parseNpy(npyFile(2, padded(10001, ' '), data), 'a.npy')).message).toMatch(/header info length \(10001\)/);
    // Version 3.0: two-byte characters in a string value; 10000 characters are more than 10000 bytes.
    const utf8Header = (chars: number) => {
      const head = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'note': '";
      const tail = "', }";
      return new Uint8Array(Buffer.from(head + '\u00e9'.repeat(chars - head.length - tail.length) + tail, 'utf8'));
    };
    expect(utf8Header(10000).length).toBeGreaterThan(10000);
    expect(parseNpy(npyFile(3, utf8Header(10000), data), 'b.npy').shape).toEqual([1]);
    expect(thrown(() => parseNpy(npyFile(3, utf8Header(10001), data), 'b.npy')).message).toMatch(/header info length \(10001\)/);
  });

  it('refuses invalid UTF-8 and lone surrogates in a 3.0 header with an NpyError, not "URI malformed"', () => {
    for (const bytes of [[0x7b, 0xff, 0x7d], [0x7b, 0xed, 0xa0, 0x80, 0x7d], [0x7b, 0xc3], [0x7b, 0x25, 0x7d]]) {
      const e = thrown(() => parseNpy(npyFile(3, new Uint8Array(bytes)), 'u.npy'));
      expect(e).toBeInstanceOf(NpyError);
      expect(e.message).not.toMatch(/URI/);
      expect(e.message).toMatch(/^u\.npy: malformed \.npy header/);
    }
  });

  it('refuses deeply nested brackets with an NpyError, not a stack overflow', () => {
    const deep = "{'descr': '<f4', 'fortran_order': False, 'shape': " + '('.repeat(9000) + '}';
    const e = thrown(() => parseNpy(npyFile(2, ascii(deep)), 'deep.npy'));
    expect(e).toBeInstanceOf(NpyError);
    expect(e.message).toBe('deep.npy: malformed .npy header (brackets nested more than 200 deep)');
  });

  it('quotes header text escaped and short', () => {
    const e = thrown(() => parseNpy(npyFile(1, ascii(`{'descr': '\x1b[2J\n${'y'.repeat(5000)}', 'fortran_order': False, 'shape': (1,), }`)), 'd.npy'));
    expect(e).toBeInstanceOf(NpyError);
    expect(e.message).toMatch(/^d\.npy: dtype "\\x1b\[2J\\nyyy+…" \(5005 characters\) is not supported/);
    expectCleanLine(e.message);
    const odd = thrown(() => parseNpy(npyFile(3, new Uint8Array(Buffer.from("{'descr': '<f4', 'fortran_order': \u0085\u202eFalse}", 'utf8'))), 'e.npy'));
    expect(odd.message).toBe('e.npy: malformed .npy header (unexpected "\\x85\\u202eFalse}" at 34)');
    expect(thrown(() => parseNpy(npyFile(1, ascii(HEADER)), 'bad\nname.npy')).message).toMatch(/^bad\\nname\.npy: truncated/);
  });

  it('refuses shapes of more than 32 dimensions and keeps a "__proto__" key as data', () => {
    const shape = `(${Array(40).fill('1').join(', ')})`;
    expect(thrown(() => parseNpy(npyFile(1, ascii(`{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`)), 's.npy')).message)
      .toBe('s.npy: shape has 40 dimensions; numpy arrays have at most 32');
    const wide = `(${Array(32).fill('9007199254740991').join(', ')})`;
    const long = thrown(() => parseNpy(npyFile(1, ascii(`{'descr': '<f4', 'fortran_order': False, 'shape': ${wide}, }`)), 'w.npy'));
    expect(long.message).toMatch(/^w\.npy: truncated: shape \(9007199254740991, 9007199254740991, 9007199254740991, 9007199254740991, … 32 dimensions\) of float32 needs /);
    expectCleanLine(long.message);
    const proto = "{'__proto__': {'descr': '<f4'}, 'fortran_order': False, 'shape': (1,), }";
    expect(thrown(() => parseNpy(npyFile(1, ascii(proto), new Uint8Array(4)), 'p.npy')).message).toBe("p.npy: malformed .npy header (no 'descr')");
  });
});

describe('class-name files', () => {
  const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

  it('reads a real CIFAR-10 meta file as before (trailing blank lines, CRLF, a BOM)', () => {
    const names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
    expect(parseClassNames(utf8(`${names.join('\n')}\n\n`), 10)).toEqual({ names });
    expect(parseClassNames(utf8(`\ufeff${names.join('\r\n')}\r\n`), 10)).toEqual({ names });
    expect(parseClassNames(new Uint8Array([0x61, 0xff, 0x0a]), 1)).toEqual({ problem: 'is not UTF-8 text' });
  });

  it('refuses a 40 MiB meta file at once instead of building a string per byte', () => {
    const huge = new Uint8Array(40 * 1024 * 1024).fill(0x61);
    const started = performance.now();
    expect(parseClassNames(huge, 10)).toEqual({ problem: "is 41943040 bytes, too large for a class-name file (at most 1048576; CIFAR's are under 2 KB)" });
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('refuses names that are too long or hold terminal escapes, quoting them escaped', () => {
    const names = Array.from({ length: 10 }, (_, i) => `c${i}`);
    names[3] = '\x1b[2Jcat';
    expect(parseClassNames(utf8(names.join('\n')), 10)).toEqual({ problem: 'class name 3 is "\\x1b[2Jcat", which holds control characters' });
    names[3] = 'tac\u202e';
    expect(parseClassNames(utf8(names.join('\n')), 10)).toEqual({ problem: 'class name 3 is "tac\\u202e", which holds control characters' });
    names[3] = 'x'.repeat(201);
    expect(parseClassNames(utf8(names.join('\n')), 10)).toEqual({ problem: `class name 3 is "${'x'.repeat(40)}…" (201 characters), longer than 200 characters` });
  });
});

/** A protocol-2 pickle of the given opcodes and arguments. */
function pickle(...parts: (number | string | Uint8Array)[]): Uint8Array {
  const out: number[] = [0x80, 0x02];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else if (typeof p === 'string') for (const c of p) out.push(c.charCodeAt(0));
    else for (const b of p) out.push(b);
  }
  return Uint8Array.from(out);
}

const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);

describe('unpickle refuses hostile pickles cleanly', () => {
  it('quotes a GLOBAL name holding a newline or 10 MB, and keeps plain names readable', () => {
    const newline = thrown(() => unpickle(pickle('cos\nsys\\x1b\n', 0x2e)));
    expect(newline.message).toBe('refuses to load "os.sys\\\\x1b": a CIFAR batch may only reconstruct numpy arrays, so this pickle is not one (and could run code in Python)');
    const escape = thrown(() => unpickle(pickle('cos\x1b[2J\nsystem\n', 0x2e)));
    expect(escape.message).toMatch(/^refuses to load "os\\x1b\[2J\.system": /);
    const long = 'a'.repeat(10 * 1024 * 1024);
    const huge = thrown(() => unpickle(pickle(`c${long}\nb\n`, 0x2e)));
    expect(huge).toBeInstanceOf(PickleError);
    expect(huge.message).toMatch(/^refuses to load "a{80}…" \(10485762 characters\): /);
    expectCleanLine(huge.message);
    // STACK_GLOBAL takes its names from strings, which may hold anything.
    const stacked = thrown(() => unpickle(pickle(0x8c, 3, 'a\nb', 0x8c, 2, new Uint8Array([0xc2, 0x85]), 0x93, 0x2e)));
    expect(stacked.message).toMatch(/^refuses to load "a\\nb\.\\x85": /);
    expect(thrown(() => unpickle(pickle('cposix\nsystem\n', 0x2e))).message).toMatch(/^refuses to load posix\.system: /);
  });

  it('refuses a declared length beyond the input before allocating', () => {
    for (const bytes of [pickle(0x42, u32(0xffffffff), 0x2e), pickle(0x58, u32(0xfffffff0), 'abc'), pickle(0x8e, u32(0), u32(0x1fffff), 0x2e)]) {
      const e = thrown(() => unpickle(bytes));
      expect(e).toBeInstanceOf(PickleError);
      expect(e.message).toMatch(/^the pickle is truncated/);
    }
    expect(thrown(() => unpickle(pickle(0x8e, u32(0), u32(0x200000)))).message).toBe('BINBYTES8 at byte 2 gives an impossible length');
  });

  it('refuses a memo reference converted over and over instead of taking minutes', () => {
    // A 1 MiB bytes value used as a dict key 20000 times: before, 20 GB of latin-1 decoding (235 s).
    const value = new Uint8Array(1 << 20).fill(0x61);
    const keys: number[] = [];
    for (let i = 0; i < 20000; i++) keys.push(0x68, 0, 0x4e, 0x73);
    const bytes = pickle(0x42, u32(value.length), value, 0x71, 0, 0x30, 0x7d, Uint8Array.from(keys), 0x2e);
    const started = performance.now();
    const e = thrown(() => unpickle(bytes));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(e.message).toBe(`malformed pickle: it converts more text than the ${bytes.length}-byte file holds (a memo reference used over and over)`);
    // The same with _codecs.encode of a memoized 1 MiB string, each result kept: before, 2 GB in 41 s.
    const encodes: number[] = [];
    for (let i = 0; i < 2000; i++) encodes.push(0x68, 1, 0x68, 0, 0x68, 2, 0x86, 0x52, 0x61);
    const text = pickle(0x58, u32(value.length), value, 0x71, 0, 0x30, 'c_codecs\nencode\n', 0x71, 1, 0x30, 0x8c, 6, 'latin1', 0x71, 2, 0x30, 0x5d, Uint8Array.from(encodes), 0x2e);
    expect(thrown(() => unpickle(text)).message).toMatch(/^malformed pickle: it converts more text than/);
  });

  it('builds nesting a million deep without recursion', () => {
    const deep = new Uint8Array(2 + 1 + 1_000_000 + 1).fill(0x85);
    deep.set([0x80, 0x02, 0x4e]);
    deep[deep.length - 1] = 0x2e;
    let v = unpickle(deep) as unknown;
    let depth = 0;
    while (Array.isArray(v)) { v = v[0]; depth++; }
    expect(depth).toBe(1_000_000);
  });

  it('refuses odd dtypes and huge shapes with short messages', () => {
    const dtype = pickle('cnumpy\ndtype\n', 0x8c, 4, 'u999', 0x85, 0x52, 0x4e, 0x8c, 1, '<', 0x86, 0x62, 0x2e);
    expect(thrown(() => unpickle(dtype)).message).toBe('numpy dtype "<u999" is not supported (only numbers: integers, floats, booleans)');
  });
});

describe('python meta names', () => {
  it('refuses names with control characters or over 200 characters, quoted', () => {
    const names = Array.from({ length: 10 }, (_, i) => `c${i}`);
    names[2] = 'a\x1b[31m';
    expect(() => pythonClassNames('cifar-10', new Map([['label_names', names]]))).toThrow(new CifarPythonError(`'label_names'[2] is "a\\x1b[31m", which holds control characters`));
    names[2] = 'y'.repeat(300);
    const e = thrown(() => pythonClassNames('cifar-10', new Map([['label_names', names]])));
    expect(e.message).toBe(`'label_names'[2] is "${'y'.repeat(40)}…" (300 characters), longer than 200 characters`);
  });
});

/** A contract message around a header text, its data `offset` bytes into a larger buffer. */
function contractMessage(header: string, data = new Uint8Array(0), offset = 0): Uint8Array {
  const h = new Uint8Array(Buffer.from(header, 'utf8'));
  const start = Math.ceil((8 + h.length) / 8) * 8;
  const out = new Uint8Array(offset + start + data.length).subarray(offset);
  out.set([0x43, 0x42, 0x43, 0x31]);
  new DataView(out.buffer, out.byteOffset).setUint32(4, h.length, true);
  out.set(h, 8);
  out.set(data, start);
  return out;
}

describe('decodeContract refuses hostile messages with ContractCodecError only', () => {
  it('refuses nesting a million deep (before: a stack overflow)', () => {
    const e = thrown(() => decodeContract(contractMessage(`{"body":${'['.repeat(1e6)}${']'.repeat(1e6)},"buffers":[]}`)));
    expect(e).toBeInstanceOf(ContractCodecError);
    expect(e.message).toBe('contract message nested more than 64 levels deep');
    // Brackets inside strings are text.
    expect(decodeContract(contractMessage(`{"body":"${'['.repeat(100)}","buffers":[]}`))).toBe('['.repeat(100));
  });

  it('refuses buffer entries that repeat one region (before: 20000 copies of 1 MiB, 500 s and 20 GB)', () => {
    const entry = JSON.stringify({ type: 'Float64Array', offset: 0, length: (1 << 20) / 8 });
    const bytes = contractMessage(`{"body":null,"buffers":[${Array(20000).fill(entry).join(',')}]}`, new Uint8Array(1 << 20), 1);
    const started = performance.now();
    expect(() => decodeContract(bytes)).toThrow(new ContractCodecError('malformed contract message (buffer 1 overlaps the others)'));
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses references that are not indices or special numbers that are not names', () => {
    expect(() => decodeContract(contractMessage('{"body":{"__number":"constructor"},"buffers":[]}'))).toThrow(new ContractCodecError('bad special number'));
    expect(() => decodeContract(contractMessage('{"body":{"__typedArray":"length"},"buffers":[]}'))).toThrow(new ContractCodecError('reference to a missing buffer'));
    expect(() => decodeContract(contractMessage('{"body":1,"buffers":[null]}'))).toThrow(new ContractCodecError('buffer 0: unknown type'));
    expect(() => decodeContract(contractMessage('{"body":"\\ud800"}'))).toThrow(ContractCodecError);
    const bad = contractMessage('{"body":"ab","buffers":[]}');
    bad[16] = 0xff;
    expect(() => decodeContract(bad)).toThrow(new ContractCodecError('malformed contract message header'));
  });

  it('still decodes what it encodes, unaligned copies included', () => {
    const value = { a: new Float32Array([1, NaN, -0]), b: [new Uint8Array([1, 2, 3]), { c: new Float64Array([Infinity]) }], d: 'x' };
    const enc = encodeContract(value);
    const shifted = new Uint8Array(enc.length + 1).subarray(1);
    shifted.set(enc);
    expect(decodeContract(shifted)).toEqual(value);
  });
});

describe('event files read back', () => {
  const version = frameRecord(fileVersionEvent(1700000000.5));
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
  const images = frameRecord(imagesEvent(1700000001, 7, [{ tag: 'input', png, width: 2, height: 1 }]));
  const file = new Uint8Array([...version, ...images]);

  it('reads what the app writes', () => {
    const index = indexEventFile('events.out.tfevents.1', file);
    expect(index.problem).toBeNull();
    expect(index.fileVersion).toBe('brain.Event:2');
    expect(index.events).toHaveLength(1);
    expect(index.events[0]!.step).toBe(7);
  });

  it('reports cut files, corrupt CRCs and declared lengths beyond the file with file and offset, keeping the records before', () => {
    const cut = indexEventFile('e', file.subarray(0, file.length - 1));
    expect(cut.fileVersion).toBe('brain.Event:2');
    expect(cut.problem?.offset).toBe(version.length);
    const flipped = file.slice();
    flipped[14] ^= 1;
    expect(indexEventFile('e', flipped).problem?.offset).toBe(0);
    const huge = frameRecord(new Uint8Array(0));
    new DataView(huge.buffer).setUint32(4, 0xffffffff, true);
    const line = formatRecordProblem(indexEventFile('e\x1b', huge).problem!);
    expectCleanLine(line);
    expect(line).toContain('\\x1b');
  });

  it('turns protobuf failures, nested groups included, into one-line problems', () => {
    const bad = indexEventFile('e', frameRecord(new Uint8Array([0x2a, 0x7f, 0x01])));
    expect(bad.problem?.reason).toMatch(/^not a valid Event: index out of range/);
    const deep = indexEventFile('e', frameRecord(new Uint8Array(1_000_000).fill(0x53)));
    expect(deep.problem?.reason).toMatch(/^not a valid Event: (max depth exceeded|groups nested too deeply)$/);
    expectCleanLine(formatRecordProblem(deep.problem!));
  });
});
