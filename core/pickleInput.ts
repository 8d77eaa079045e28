// The byte side of reading a pickle, shared by the CIFAR unpickler and the checkpoint unpickler:
// little-endian numbers, lengths checked against what is left before anything is sliced, and
// text decoded as Python decodes it. Each unpickler keeps its own opcodes and allow-list.
import { PickleError } from './pickleError';
import { decodeUtf8, latin1 } from './textDecoding';

export class PickleInput {
  pos = 0;
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Claims the next `n` bytes and returns where they start; a pickle that ends first is refused. */
  need(n: number, what: string): number {
    if (n < 0 || this.pos + n > this.bytes.length) {
      throw new PickleError(`the pickle is truncated (it ends at byte ${this.bytes.length}, inside ${what} at byte ${this.pos - 1})`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(what: string): number { return this.bytes[this.need(1, what)]!; }
  u16(what: string): number { return this.view.getUint16(this.need(2, what), true); }
  u32(what: string): number { return this.view.getUint32(this.need(4, what), true); }
  i32(what: string): number { return this.view.getInt32(this.need(4, what), true); }
  /** BINFLOAT is the one big-endian number in a pickle. */
  f64be(what: string): number { return this.view.getFloat64(this.need(8, what), false); }
  u64(what: string): number {
    const at = this.need(8, what);
    const high = this.view.getUint32(at + 4, true);
    if (high >= 0x200000) throw new PickleError(`${what} at byte ${at - 1} gives an impossible length`);
    return high * 0x100000000 + this.view.getUint32(at, true);
  }
  chunk(length: number, what: string): Uint8Array {
    const at = this.need(length, what);
    return this.bytes.subarray(at, at + length);
  }
  /** A text line of the old protocols (GLOBAL's names), latin-1 as Python 2 wrote it. */
  line(what: string): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) this.need(this.bytes.length - this.pos + 1, what);
    const text = latin1(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return text;
  }
  unicode(length: number, what: string): string {
    const text = decodeUtf8(this.chunk(length, what));
    if (text === null) throw new PickleError(`${what} at byte ${this.pos - length} is not valid UTF-8`);
    return text;
  }
}
