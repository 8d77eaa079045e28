import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CIFAR100_COARSE_CLASS_NAMES, CIFAR100_FINE_CLASS_NAMES } from '../../core/cifarMeta';
import { encodeContract } from '../../core/contractCodec';
import { parseNpy } from '../../core/npy';
import { fileVersionEvent, imagesEvent } from '../../core/tensorboardEvents';
import { frameRecord } from '../../core/tfRecordFrame';

const ROOT = resolve(__dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures');
const SAMPLE = join(ROOT, 'assets/sample/cifar-10-batches-bin');

const read = (path: string) => new Uint8Array(readFileSync(path));
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

function filesUnder(dir: string, accept: (name: string) => boolean, maxBytes: number): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path, accept, maxBytes));
    else if (accept(entry.name) && statSync(path).size <= maxBytes) out.push(path);
  }
  return out.sort();
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Real .npy files written by numpy (the test fixtures), small enough to mutate quickly. */
export function npySeeds(): Uint8Array[] {
  return filesUnder(FIXTURES, (n) => n.endsWith('.npy'), 64 * 1024).map(read);
}

/** Records of the sample's CIFAR-10 batches, and the same pixels as CIFAR-100 records. */
export function cifarBinarySeeds(): Uint8Array[] {
  const train = read(join(SAMPLE, 'data_batch_1.bin'));
  const test = read(join(SAMPLE, 'test_batch.bin'));
  const cifar100 = new Uint8Array(2 * 3074);
  for (let r = 0; r < 2; r++) {
    cifar100[r * 3074] = 7 + r;
    cifar100[r * 3074 + 1] = 42 + r;
    cifar100.set(train.subarray(r * 3073 + 1, (r + 1) * 3073), r * 3074 + 2);
  }
  return [train.slice(0, 3 * 3073), test.slice(0, 2 * 3073), cifar100];
}

/** Pickles written by Python 2 and 3 (protocols 2 to 5): CIFAR batches, meta files and odd cases. */
export function pickleSeeds(): Uint8Array[] {
  return filesUnder(join(FIXTURES, 'python'), (n) => !n.includes('.') || n.endsWith('.pkl') || n === 'batches.meta' || n === 'meta', 64 * 1024).map(read);
}

/** CIFAR's class-name files: the sample's batches.meta.txt and CIFAR-100's two lists. */
export function metaSeeds(): Uint8Array[] {
  return [
    read(join(SAMPLE, 'batches.meta.txt')),
    utf8(`${CIFAR100_FINE_CLASS_NAMES.join('\n')}\n\n`),
    utf8(`${CIFAR100_COARSE_CLASS_NAMES.join('\r\n')}\r\n`),
  ];
}

/** Contract messages of values like the host's: a workflow, pixels, activations, special numbers. */
export function contractSeeds(): Uint8Array[] {
  const workflow = JSON.parse(readFileSync(join(FIXTURES, 'session/sampleWorkflow.json'), 'utf8')) as unknown;
  const pixels = read(join(SAMPLE, 'test_batch.bin')).slice(1, 3073);
  const weights = parseNpy(read(join(FIXTURES, 'grids/npy/weight-6x3x3x3.npy')), 'weight.npy');
  return [
    encodeContract({ ok: true, value: { pixels, labels: new Uint16Array([3, 8]), weights: weights.data, shape: weights.shape } }),
    encodeContract({ view: { step: 0, channel: null }, numbers: [NaN, -0, Infinity, -Infinity, 1.5], text: 'caf\u00e9' }),
    encodeContract({ ok: false, error: { message: 'bad request body', field: 'step' } }),
    encodeContract(JSON.parse(JSON.stringify(workflow, (_k, v) => (Array.isArray(v) && v.length > 64 ? v.slice(0, 64) : v)))),
  ];
}

/** Event messages as the app writes them: the file-version event, then add_images of real PNGs. */
export function eventSeeds(): Uint8Array[] {
  const pngs = filesUnder(join(FIXTURES, 'grids'), (n) => n.endsWith('.png'), 2048).slice(0, 3).map(read);
  return [fileVersionEvent(1_700_000_000.25), imagesEvent(1_700_000_001.5, 3, pngs.map((png, i) => ({ tag: `input/${i}`, png, width: 3, height: 1 })))];
}

/** Event files: those messages framed as TFRecords, alone and together. */
export function eventFileSeeds(): Uint8Array[] {
  const [version, images] = eventSeeds().map(frameRecord) as [Uint8Array, Uint8Array];
  return [version, concat([version, images]), images];
}

/** Model files written by torch, numpy and by the safetensors spec (the fixtures), small ones only. */
export function modelSeeds(): Uint8Array[] {
  return filesUnder(join(FIXTURES, 'models'), (n) => /\.(pt|safetensors|npz|onnx)$/.test(n), 64 * 1024).map(read);
}

/** Fashion-MNIST idx files as torchvision keeps them (images cut to a few, so mutations stay cheap). */
export function idxSeeds(): Uint8Array[] {
  const raw = join(FIXTURES, 'idx/root/FashionMNIST/raw');
  const images = read(join(raw, 't10k-images-idx3-ubyte'));
  const few = images.slice(0, 16 + 3 * 784);
  new DataView(few.buffer).setUint32(4, 3, false);
  const labels = read(join(raw, 't10k-labels-idx1-ubyte')).slice(0, 8 + 3);
  new DataView(labels.buffer).setUint32(4, 3, false);
  return [few, labels];
}

/** Gzip streams of the idx fixtures. */
export function gzipSeeds(): Uint8Array[] {
  return filesUnder(join(FIXTURES, 'idx/root/FashionMNIST/raw'), (n) => n.endsWith('.gz'), 64 * 1024).map(read);
}

/** PNG and JPEG files of the ImageFolder fixtures: grey, palette, alpha, 16-bit, JPEG. */
export function imageSeeds(): Uint8Array[] {
  return filesUnder(join(FIXTURES, 'imagefolder/root'), (n) => /\.(png|jpe?g)$/i.test(n), 16 * 1024).map(read);
}
