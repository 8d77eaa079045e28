import { describe, expect, it } from 'vitest';
import { NpyError, parseNpy } from '../core/npy';
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
    const proto = "{'__proto__': {'descr': '<f4'}, 'fortran_order': False, 'shape': (1,), }";
    expect(thrown(() => parseNpy(npyFile(1, ascii(proto), new Uint8Array(4)), 'p.npy')).message).toBe("p.npy: malformed .npy header (no 'descr')");
  });
});
