import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { serializeNpyFloat32 } from '../core/npy';
import { conv2dLayerFromWeight, listModelTensors, readModelTensor, type ModelTensorListing } from '../core/modelWeights';

// Model files written by PyTorch 1.13, numpy and the safetensors spec, with every tensor's
// float32 values as torch's .float() gives them (tools/fixtures/makeModelFixtures.py).
const dir = join(__dirname, 'fixtures', 'models');
const load = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
interface ExpectedTensor { name: string; shape: number[]; dtype: string; f32: string }
interface Expected { format?: string; tensors?: ExpectedTensor[]; error?: string[]; conv?: Record<string, Record<string, unknown>> }
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, Expected>;
const readable = Object.keys(expected).filter((name) => expected[name].tensors);
const refused = Object.keys(expected).filter((name) => expected[name].error);

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    const message = (err as Error).message;
    expect(err).toBeInstanceOf(Error);
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(600);
    return message;
  }
  throw new Error('expected a refusal');
}

describe('every tensor of every model file, bit for bit as torch reads it', () => {
  it('covers all the formats and the fixture set is complete', () => {
    expect(new Set(readable.map((n) => expected[n].format))).toEqual(new Set(['pytorch', 'onnx', 'npz', 'safetensors']));
    expect(readable.length).toBeGreaterThanOrEqual(12);
  });

  it.each(readable)('%s', (name) => {
    const bytes = load(name);
    const want = expected[name];
    const listing = listModelTensors(bytes, name);
    expect(listing.format).toBe(want.format);
    const byName = new Map(listing.tensors.map((t) => [t.name, t]));
    expect([...byName.keys()].sort()).toEqual(want.tensors!.map((t) => t.name).sort());
    for (const t of want.tensors!) {
      const got = byName.get(t.name)!;
      expect({ name: got.name, shape: got.shape, dtype: got.dtype }).toEqual({ name: t.name, shape: t.shape, dtype: t.dtype });
      if (!/^(float|bfloat)/.test(t.dtype)) {
        expect(refusal(() => readModelTensor(bytes, name, t.name))).toContain('not a');
        continue;
      }
      const values = readModelTensor(bytes, name, t.name);
      expect(Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64'), t.name).toBe(t.f32);
    }
  });

  it('keeps the pickle order of a state_dict', () => {
    const listing = listModelTensors(load('convnet.pt'), 'convnet.pt');
    expect(listing.tensors.map((t) => t.name)).toEqual(expected['convnet.pt'].tensors!.map((t) => t.name));
  });

  it('tells the format by content, not by the extension', () => {
    expect(listModelTensors(load('convnet.safetensors'), 'weights.pt').format).toBe('safetensors');
    expect(listModelTensors(load('convnet.pt'), 'weights.npz').format).toBe('pytorch');
    expect(listModelTensors(load('weights.npz'), 'weights.bin').format).toBe('npz');
    expect(listModelTensors(load('convnet.onnx'), 'model.bin').format).toBe('onnx');
  });

  it('finds a wrapped state_dict tensor by its own name', () => {
    const a = readModelTensor(load('wrapped_model.pt'), 'wrapped_model.pt', 'conv1.weight');
    const b = readModelTensor(load('convnet.pt'), 'convnet.pt', 'conv1.weight');
    expect(a).toEqual(b);
  });
});

describe('refusals, one line each', () => {
  it.each(refused)('%s', (name) => {
    const message = refusal(() => listModelTensors(load(name), name));
    expect(message.startsWith(`${name}: `)).toBe(true);
    for (const part of expected[name].error!) expect(message).toContain(part);
  });

  it('a pickled nn.Module says to save state_dict() and lists the tensors it holds', () => {
    const message = refusal(() => listModelTensors(load('module.pt'), 'module.pt'));
    expect(message).toMatch(/whole pickled model \("__main__\.Net"\).*model\.state_dict\(\).*"conv1\.weight" \[6, 3, 3, 3\].*"conv2\.bias" \[4\]/);
  });

  const torchZip = (pickle: Uint8Array) => zipSync({ 'evil/data.pkl': pickle, 'evil/version': strToU8('3\n') }, { level: 0 });
  const pickleBytes = (...parts: (number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

  it('refuses builtins.eval named by STACK_GLOBAL, quoting it', () => {
    // PROTO 4, SHORT_BINUNICODE 'builtins', SHORT_BINUNICODE 'eval', STACK_GLOBAL, 'print(1)', TUPLE1, REDUCE, STOP
    const pickle = pickleBytes([0x80, 4, 0x8c, 8], 'builtins', [0x8c, 4], 'eval', [0x93, 0x8c, 8], 'print(1)', [0x85, 0x52, 0x2e]);
    expect(refusal(() => listModelTensors(torchZip(pickle), 'evil.pt'))).toContain('refuses to call "builtins.eval"');
  });

  it('quotes a hostile name escaped and shortened', () => {
    const module = `x${'a'.repeat(300)}"\r`;
    const pickle = pickleBytes([0x80, 2, 0x63], module, [0x0a], 'f', [0x0a, 0x29, 0x52, 0x2e]);
    const message = refusal(() => listModelTensors(torchZip(pickle), 'evil.pt'));
    expect(message).toContain('refuses to call "xaaaa');
    expect(message).not.toContain('\r');
    expect(message.length).toBeLessThan(250);
  });

  it('refuses a name used as a value, not only a call', () => {
    // {'x': os.system}
    const pickle = pickleBytes([0x80, 2, 0x7d, 0x58, 1, 0, 0, 0], 'x', [0x63], 'os\nsystem\n', [0x73, 0x2e]);
    expect(refusal(() => listModelTensors(torchZip(pickle), 'evil.pt'))).toContain('refuses to load "os.system"');
  });

  it('refuses a zip bomb from its directory, before inflating', () => {
    const bomb = zipSync({ 'w.npy': new Uint8Array(8 * 2 ** 20) }, { level: 9 });
    expect(refusal(() => listModelTensors(bomb, 'bomb.npz'))).toMatch(/bomb\.npz: zip entry "w\.npy" declares 8388608 bytes from \d+ compressed \(ratio above 200\): refusing a likely zip bomb/);
  });

  it('refuses an entry that inflates to more than its directory declares', () => {
    const npy = serializeNpyFloat32([64, 16], new Float32Array(1024).fill(0.5));
    const zip = zipSync({ 'w.npy': npy }, { level: 9 });
    const view = new DataView(zip.buffer);
    // Shrink the declared size (local header at 0, central directory after the data) to 100 bytes.
    view.setUint32(22, 100, true);
    const central = zip.findIndex((_, i) => view.getUint32(i, true) === 0x02014b50);
    view.setUint32(central + 24, 100, true);
    expect(refusal(() => listModelTensors(zip, 'liar.npz'))).toContain('inflates to more bytes, not the 100 its directory declares');
  });

  it('refuses a storage whose view reaches past its end', () => {
    // _rebuild_tensor_v2(storage('0', 4 floats), offset 2, size (3,), stride (1,))
    const pickle = pickleBytes(
      [0x80, 2, 0x7d, 0x58, 1, 0, 0, 0], 'w', [0x63], 'torch._utils\n_rebuild_tensor_v2\n',
      [0x28, 0x28, 0x58, 7, 0, 0, 0], 'storage', [0x63], 'torch\nFloatStorage\n', [0x58, 1, 0, 0, 0], '0', [0x58, 3, 0, 0, 0], 'cpu', [0x4b, 4, 0x74, 0x51],
      [0x4b, 2, 0x4b, 3, 0x85, 0x4b, 1, 0x85, 0x89, 0x63], 'collections\nOrderedDict\n', [0x29, 0x52, 0x74, 0x52, 0x73, 0x2e],
    );
    const zip = zipSync({ 'x/data.pkl': pickle, 'x/data/0': new Uint8Array(16), 'x/version': strToU8('3\n') }, { level: 0 });
    expect(refusal(() => listModelTensors(zip, 'x.pt'))).toContain('"w" (offset 2, shape [3], strides [1]) reaches element 5 of a storage of 4');
  });

  it('safetensors: a header longer than the file, offsets past the buffer, a wrong byte count', () => {
    const file = (header: object, data: number) => {
      const json = strToU8(JSON.stringify(header));
      const out = new Uint8Array(8 + json.length + data);
      new DataView(out.buffer).setUint32(0, json.length, true);
      out.set(json, 8);
      return out;
    };
    const huge = file({}, 0);
    new DataView(huge.buffer).setUint32(0, 5000, true);
    expect(refusal(() => listModelTensors(huge, 'a.safetensors'))).toContain('announces a 5000-byte header but only');
    expect(refusal(() => listModelTensors(file({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, 4), 'b.safetensors'))).toContain('lies beyond the 4-byte buffer');
    expect(refusal(() => listModelTensors(file({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8), 'c.safetensors'))).toContain('needs 12 bytes but its data_offsets span 8');
    expect(refusal(() => listModelTensors(file({ w: { dtype: 'F4', shape: [2], data_offsets: [0, 8] } }, 8), 'd.safetensors'))).toContain('unknown dtype "F4"');
  });
});

describe('a Conv2d layer from a weight in a model file', () => {
  const listing = (name: string) => listModelTensors(load(name), name);

  it('a checkpoint gives out/in channels and kernel, pairs the bias by name, and knows no stride or padding', () => {
    const layer = conv2dLayerFromWeight(listing('convnet.pt'), 'conv1.weight', undefined, 3);
    expect(layer).toMatchObject({ weightName: 'conv1.weight', biasName: 'conv1.bias', inChannels: 3, outChannels: 6, kernelSize: [3, 3] });
    expect(layer.options).toEqual({ stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, paddingMode: 'zeros' });
    expect(layer.config).toEqual({ outChannels: 6, kernelSize: [3, 3], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, bias: true, paddingMode: 'zeros' });
    expect(conv2dLayerFromWeight(listing('convnet.pt'), 'conv1.weight', null, 3).biasName).toBeNull();
    expect(conv2dLayerFromWeight(listing('wrapped_model.pt'), 'conv1.weight', undefined, 3)).toMatchObject({ weightName: 'model.conv1.weight', biasName: 'model.conv1.bias' });
    expect(conv2dLayerFromWeight(listing('sequential_bn.pt'), 'features.0.weight', undefined, 1)).toMatchObject({ outChannels: 2, kernelSize: [5, 5], biasName: null });
  });

  it('ONNX Conv attributes become stride, padding, dilation and groups, with the Conv\'s bias input', () => {
    const onnx = listing('convnet.onnx');
    for (const [weight, conv] of Object.entries(expected['convnet.onnx'].conv!)) {
      expect(onnx.tensors.find((t) => t.name === weight)?.conv).toMatchObject(conv);
    }
    expect(conv2dLayerFromWeight(onnx, 'conv1.weight', undefined, 3).options).toEqual({ stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, paddingMode: 'zeros' });
    const conv2 = conv2dLayerFromWeight(onnx, 'conv2.weight', undefined, 6);
    expect(conv2).toMatchObject({ biasName: 'conv2.bias', inChannels: 6, outChannels: 4, kernelSize: [3, 3] });
    expect(conv2.options).toEqual({ stride: [2, 2], padding: [2, 2], dilation: [2, 2], groups: 2, paddingMode: 'zeros' });
  });

  it('refuses a weight whose in-channels do not match the images, naming the 4-D tensors that would fit', () => {
    expect(refusal(() => conv2dLayerFromWeight(listing('convnet.onnx'), 'conv2.weight', undefined, 3)))
      .toBe('convnet.onnx: weight "conv2.weight" of shape [4, 3, 3, 3] takes 6 input channels (groups=2) but the images have 3; tensors that would fit: "conv1.weight" [6, 3, 3, 3]');
    expect(refusal(() => conv2dLayerFromWeight(listing('convnet.pt'), 'conv1.weight', undefined, 1))).toContain('none of its 4-D tensors takes 1 channels');
    expect(refusal(() => conv2dLayerFromWeight(listing('convnet.pt'), 'conv9.weight', undefined, 3))).toContain('has no tensor named "conv9.weight"; its 4-D tensors are "conv1.weight", "conv2.weight"');
    expect(refusal(() => conv2dLayerFromWeight(listing('convnet.pt'), 'conv1.bias', undefined, 3))).toContain('is not a Conv2d weight');
  });

  it('refuses asymmetric ONNX pads that Conv2d cannot express', () => {
    expect(refusal(() => conv2dLayerFromWeight(listing('asymmetric_pads.onnx'), 'conv1.weight', undefined, 3)))
      .toContain('has asymmetric pads [top 1, left 1, bottom 2, right 1], which nn.Conv2d\'s padding cannot express');
  });

  it('auto_pad: SAME_UPPER is padding=\'same\' at stride 1, SAME_LOWER only when the split is even, VALID is \'valid\'', () => {
    const synthetic = (autoPad: string, strides: number[], kernel: number): ModelTensorListing => ({
      format: 'onnx', fileName: 'm.onnx',
      tensors: [{ name: 'W', shape: [2, 3, kernel, kernel], dtype: 'float32', conv: { node: 'c', strides, pads: [0, 0, 0, 0], dilations: [1, 1], group: 1, kernelShape: null, autoPad, weight: 'W', bias: null } }],
    });
    expect(conv2dLayerFromWeight(synthetic('SAME_UPPER', [1, 1], 4), 'W', undefined, 3).options.padding).toBe('same');
    expect(conv2dLayerFromWeight(synthetic('SAME_LOWER', [1, 1], 3), 'W', undefined, 3).options.padding).toBe('same');
    expect(refusal(() => conv2dLayerFromWeight(synthetic('SAME_LOWER', [1, 1], 4), 'W', undefined, 3))).toContain('SAME_LOWER with an odd total padding');
    expect(refusal(() => conv2dLayerFromWeight(synthetic('SAME_UPPER', [2, 2], 3), 'W', undefined, 3))).toContain('stride 1 only');
    expect(conv2dLayerFromWeight(synthetic('VALID', [2, 2], 3), 'W', undefined, 3).options.padding).toBe('valid');
  });
});
