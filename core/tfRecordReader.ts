import { quoteInput } from './quotedText';
import { maskedCrc32c } from './tfRecordFrame';

/** One record: where its header starts in the file, and its data (a view into the file's bytes). */
export interface TfRecord {
  offset: number;
  data: Uint8Array;
}

/** Why reading a file stopped early: the records before `offset` are still good. */
export interface RecordProblem {
  file: string;
  offset: number;
  reason: string;
}

export interface TfRecordScan {
  records: TfRecord[];
  problem: RecordProblem | null;
}

const HEADER = 12; // u64 length + u32 masked CRC of those 8 bytes
const FOOTER = 4; // u32 masked CRC of the data

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/**
 * Splits an event file into its records, checking both CRCs of each. The first bad or incomplete
 * record ends the scan (after a bad length nothing further can be located, and TensorBoard also
 * abandons a file at its first bad record); everything before it is returned.
 */
export function readTfRecords(file: string, bytes: Uint8Array): TfRecordScan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: TfRecord[] = [];
  let at = 0;
  const stop = (reason: string): TfRecordScan => ({ records, problem: { file, offset: at, reason } });
  while (at < bytes.length) {
    const left = bytes.length - at;
    if (left < HEADER) return stop(`truncated: ${left} bytes left, a record header needs ${HEADER}`);
    const stored = view.getUint32(at + 8, true);
    const computed = maskedCrc32c(bytes.subarray(at, at + 8));
    if (stored !== computed) return stop(`length checksum mismatch (stored ${hex(stored)}, computed ${hex(computed)})`);
    const low = view.getUint32(at, true);
    const high = view.getUint32(at + 4, true);
    // Compared before any use: a hostile length must never reach an allocation or a slice.
    const room = left - HEADER - FOOTER;
    if (high !== 0 || low > room) {
      const declared = high === 0 ? `${low} bytes` : 'more than 4 GiB';
      return stop(`truncated: record declares ${declared} of data, only ${left - HEADER} bytes follow its header`);
    }
    const data = bytes.subarray(at + HEADER, at + HEADER + low);
    const storedData = view.getUint32(at + HEADER + low, true);
    const computedData = maskedCrc32c(data);
    if (storedData !== computedData) {
      return stop(`data checksum mismatch (stored ${hex(storedData)}, computed ${hex(computedData)})`);
    }
    records.push({ offset: at, data });
    at += HEADER + low + FOOTER;
  }
  return { records, problem: null };
}

/** The one line a CLI prints for a problem. */
export function formatRecordProblem(problem: RecordProblem): string {
  return `${quoteInput(problem.file, 120)}: record at byte ${problem.offset}: ${problem.reason}; records before it were read`;
}
