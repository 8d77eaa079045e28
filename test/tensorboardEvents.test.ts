import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeEvent } from '../core/tensorboardEvents';
import { frameRecord, maskedCrc32c } from '../core/tfRecordFrame';
import { eventFileName, TensorboardEventFile } from '../main/output/tensorboardEventFile';
import { runCli } from './helpers/runCli';

const tmp = () => mkdtempSync(join(tmpdir(), 'convboard-tb-'));
const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'ascii'));

/** Reads records as TensorBoard's reader does, checking both CRCs of each. */
function readRecords(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const length = view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
    expect(view.getUint32(at + 8, true)).toBe(maskedCrc32c(bytes.subarray(at, at + 8)));
    const data = bytes.subarray(at + 12, at + 12 + length);
    expect(view.getUint32(at + 12 + length, true)).toBe(maskedCrc32c(data));
    out.push(data);
    at += 16 + length;
  }
  expect(at).toBe(bytes.length);
  return out;
}

describe('TensorBoard event records', () => {
  it('uses CRC-32C (Castagnoli) with TensorFlow\'s mask', () => {
    // The CRC-32C check value of "123456789" is 0xE3069283; the mask is rotr15 + 0xa282ead8.
    const crc = 0xe3069283;
    expect(maskedCrc32c(ascii('123456789'))).toBe((((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0);
  });

  it('frames data as length, masked CRC of the length, data, masked CRC of the data', () => {
    const framed = frameRecord(ascii('hello'));
    expect(framed.length).toBe(8 + 4 + 5 + 4);
    expect([...framed.subarray(0, 8)]).toEqual([5, 0, 0, 0, 0, 0, 0, 0]);
    expect(readRecords(framed)).toEqual([ascii('hello')]);
  });

  it('names files as TensorBoard does', () => {
    expect(eventFileName(1795698009.7, 'host', 42, 0)).toBe('events.out.tfevents.1795698009.host.42.0');
    expect(eventFileName(99, 'h', 1)).toBe('events.out.tfevents.0000000099.h.1.0');
  });
});

describe('convboard export --tensorboard', () => {
  it('writes every step as add_images events, in step order, with the exported PNGs', () => {
    const out = tmp();
    const r = runCli(['export', '--tensorboard', '--steps', '1-4', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const files = readdirSync(out).filter((f) => f.includes('tfevents'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^events\.out\.tfevents\.\d{10}\.[^.]+\.\d+\.0$/);
    const events = readRecords(new Uint8Array(readFileSync(join(out, files[0]!)))).map(decodeEvent);
    expect(events[0]!.fileVersion).toBe('brain.Event:2');
    expect(events.slice(1).map((e) => e.step)).toEqual([1, 2, 3, 4]);
    for (const e of events.slice(1)) {
      const n = String(e.step).padStart(6, '0');
      const values = e.summary!.value;
      expect(values.map((v) => v.tag)).toEqual(['input', 'output']);
      for (const v of values) {
        const png = readFileSync(join(out, v.tag, `${n}.png`));
        expect(Buffer.from(v.image!.encodedImageString).equals(png)).toBe(true);
        const decoded = PNG.sync.read(png);
        expect([v.image!.width, v.image!.height, v.image!.colorspace]).toEqual([decoded.width, decoded.height, 3]);
      }
    }
  });

  it('leaves no events file when the run does not complete', async () => {
    const dir = tmp();
    const file = await TensorboardEventFile.create(dir, 0);
    await file.addStep(1, []);
    await expect(file.commit()).rejects.toThrow(/arrived without step 0/);
    await file.discard();
    expect(readdirSync(dir)).toEqual([]);
  });
});
