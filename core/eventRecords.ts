// Reading a TensorBoard event file back: TFRecord framing (length, masked CRC-32C of the length,
// data, masked CRC-32C of the data) and Event messages. A file from elsewhere may be cut or
// corrupt, so every declared length is checked against what is there before it is used.
import { decodeEvent } from './tensorboardEvents';
import { maskedCrc32c } from './tfRecordFrame';
import { sanitizeLabel } from './quotedText';

/** An event file that is cut, corrupt or not an event file (one-line reason). */
export class EventFileError extends Error {
  override readonly name = 'EventFileError';
}

/** The data of each record, as views into `bytes`; `name` is used in error messages. */
export function readEventRecords(bytes: Uint8Array, name: string): Uint8Array[] {
  const shown = sanitizeLabel(name, 200);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const where = `${shown}: record ${records.length} (byte ${at})`;
    if (bytes.length - at < 12) throw new EventFileError(`${where} is cut short in its length header`);
    const low = view.getUint32(at, true);
    const high = view.getUint32(at + 4, true);
    if (view.getUint32(at + 8, true) !== maskedCrc32c(bytes.subarray(at, at + 8))) {
      throw new EventFileError(`${where} has a corrupt length (its CRC does not match)`);
    }
    const length = high * 2 ** 32 + low;
    if (length > bytes.length - at - 16) throw new EventFileError(`${where} declares ${length} bytes of data but the file holds ${Math.max(0, bytes.length - at - 16)} more`);
    const data = bytes.subarray(at + 12, at + 12 + length);
    if (view.getUint32(at + 12 + length, true) !== maskedCrc32c(data)) throw new EventFileError(`${where} has corrupt data (its CRC does not match)`);
    records.push(data);
    at += 16 + length;
  }
  return records;
}

/** decodeEvent of one record, with protobuf failures as an EventFileError. */
export function decodeEventRecord(data: Uint8Array, where: string): ReturnType<typeof decodeEvent> {
  try {
    return decodeEvent(data);
  } catch (e) {
    // Unknown fields are skipped recursively by the protobuf reader, so nested groups can exhaust the stack.
    const reason = e instanceof RangeError && /call stack/i.test(e.message) ? 'groups nested too deeply' : sanitizeLabel(String((e as Error)?.message ?? e), 120);
    throw new EventFileError(`${sanitizeLabel(where, 200)} is not a TensorBoard Event message (${reason})`);
  }
}
