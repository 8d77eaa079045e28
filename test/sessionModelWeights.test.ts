import { layerShape } from '../core/layerShape';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LAYER, DEFAULT_VIEW } from '../core/hostContract';
import { Session } from '../main/session/session';
import { fails, ok } from './helpers/sessionRequests';

const root = resolve(__dirname, '..');
const MODELS = join(root, 'test/fixtures/models');
const expected = JSON.parse(readFileSync(join(MODELS, 'expected.json'), 'utf8')) as Record<string, { tensors?: { name: string; f32: string }[] }>;
const bytesOf = (name: string) => new Uint8Array(readFileSync(join(MODELS, name)));
const f32Of = (file: string, tensor: string) => expected[file]!.tensors!.find((t) => t.name === tensor)!.f32;
const base64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');



describe('session: weights from a model file', () => {
  let s: Session;
  beforeAll(async () => {
    s = await Session.open({ dataPath: null, workerPath: join(root, 'dist', 'computeWorker.js'), poolSize: 1 });
  });
  afterAll(async () => {
    await s.close();
  });

  it('lists an ONNX file\'s tensors, saying which can be the layer for the 3-channel sample', async () => {
    const table = await ok(s, 'listModelTensors', { bytes: bytesOf('convnet.onnx'), fileName: 'convnet.onnx' });
    expect(table.format).toBe('onnx');
    const byName = Object.fromEntries(table.tensors.map((t) => [t.name, t]));
    expect(Object.keys(byName)).toEqual(['conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias', 'head.weight', 'head.bias']);
    expect(byName['conv1.weight']).toMatchObject({ shape: [6, 3, 3, 3], dtype: 'float32', fits: true, why: null, pairedBias: 'conv1.bias' });
    expect(byName['conv1.weight']!.conv).toMatchObject({ strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1, bias: 'conv1.bias' });
    expect(byName['conv2.weight']).toMatchObject({ shape: [4, 3, 3, 3], fits: false, why: 'takes 6 input channels (groups=2) but the images have 3' });
    expect(byName['head.weight']).toMatchObject({ fits: false, pairedBias: null, why: 'shape [2, 4] is not a Conv2d weight (4-D: out_channels, in_channels/groups, kH, kW)' });
  });

  it('says why an ONNX Conv with asymmetric pads cannot be the layer', async () => {
    const table = await ok(s, 'listModelTensors', { bytes: bytesOf('asymmetric_pads.onnx'), fileName: 'm.onnx' });
    const conv1 = table.tensors.find((t) => t.name === 'conv1.weight')!;
    expect(conv1.fits).toBe(false);
    expect(conv1.why).toMatch(/asymmetric pads \[top 1, left 1, bottom 2, right 1\]/);
  });

  it('loads an ONNX Conv: the layer takes its shape and attributes, the weights are the file\'s bit for bit', async () => {
    const layer = await ok(s, 'setWeights', { source: { kind: 'model', bytes: bytesOf('convnet.onnx'), fileName: 'convnet.onnx', weightName: 'conv1.weight' } });
    expect(layer.config).toEqual({ ...DEFAULT_LAYER, padding: [1, 1] });
    expect(layer.weightDescription).toBe('convnet.onnx : conv1.weight + conv1.bias');
    expect(base64(layer.weight)).toBe(f32Of('convnet.onnx', 'conv1.weight'));
    expect(base64(layer.bias!)).toBe(f32Of('convnet.onnx', 'conv1.bias'));
    const step = await ok(s, 'getStep', { view: DEFAULT_VIEW, step: 0 });
    expect(step.outputShape).toEqual([64, 6, 32, 32]);
  });

  it('loads a PyTorch checkpoint\'s tensor by its short name, keeping the stride and padding the user set', async () => {
    await ok(s, 'setLayer', { config: { ...DEFAULT_LAYER, outChannels: 2, kernelSize: [5, 5], stride: [2, 2], padding: 'valid' } });
    const layer = await ok(s, 'setWeights', { source: { kind: 'model', bytes: bytesOf('wrapped_model.pt'), fileName: 'wrapped_model.pt', weightName: 'conv1.weight', biasName: null } });
    expect(layer.config).toEqual({ ...DEFAULT_LAYER, stride: [2, 2], padding: 'valid', bias: false });
    expect(layer.weightDescription).toBe('wrapped_model.pt : model.conv1.weight');
    expect(layer.source).toEqual({ kind: 'model', seed: null, name: 'wrapped_model.pt : model.conv1.weight', fallback: null });
    expect(layer.bias).toBeNull();
    expect(base64(layer.weight)).toBe(f32Of('convnet.pt', 'conv1.weight'));
    expect(layerShape(layer.config, [3, 32, 32], 64).outputShape).toEqual([64, 6, 15, 15]);
  });

  it('keeps the file\'s weights when a later layer change still fits them, and says so when it does not', async () => {
    await ok(s, 'setWeights', { source: { kind: 'model', bytes: bytesOf('convnet.safetensors'), fileName: 'convnet.safetensors', weightName: 'conv1.weight', biasName: 'conv1.bias' } });
    const strided = await ok(s, 'setLayer', { config: { ...DEFAULT_LAYER, stride: [2, 2] } });
    expect(strided.weightDescription).toBe('convnet.safetensors : conv1.weight + conv1.bias');
    expect(base64(strided.bias!)).toBe(f32Of('convnet.safetensors', 'conv1.bias'));
    const bigger = await ok(s, 'setLayer', { config: { ...DEFAULT_LAYER, kernelSize: [5, 5] } });
    expect(bigger.source).toMatchObject({ kind: 'init', seed: 0, fallback: { wanted: 'convnet.safetensors : conv1.weight + conv1.bias' } });
    expect(bigger.weightDescription).toMatch(/^nn\.Conv2d default init, torch\.manual_seed\(0\) \(convnet\.safetensors : conv1\.weight \+ conv1\.bias does not fit this layer: convnet\.safetensors : conv1\.weight: weight of shape \[6, 3, 3, 3\]/);
  });

  it('refuses a weight for other channels, naming the tensors that fit, and keeps the previous layer', async () => {
    const before = await ok(s, 'getLayer', {});
    const error = await fails(s, 'setWeights', { source: { kind: 'model', bytes: bytesOf('convnet.onnx'), fileName: 'convnet.onnx', weightName: 'conv2.weight' } });
    expect(error).toEqual({
      field: 'weights',
      message: 'convnet.onnx: weight "conv2.weight" of shape [4, 3, 3, 3] takes 6 input channels (groups=2) but the images have 3; tensors that would fit: "conv1.weight" [6, 3, 3, 3]',
    });
    expect((await ok(s, 'getLayer', {})).weightDescription).toBe(before.weightDescription);
  });

  const hostile: [string, RegExp][] = [
    ['os_system.pt', /^os_system\.pt: .*os.*system/],
    ['module.pt', /^module\.pt: /],
    ['truncated.pt', /^truncated\.pt: /],
    ['wrong_storage_size.pt', /^wrong_storage_size\.pt: /],
  ];
  for (const [file, message] of hostile) {
    it(`refuses ${file} in one line, for listing and for loading`, async () => {
      const listed = await fails(s, 'listModelTensors', { bytes: bytesOf(file), fileName: file });
      expect(listed.message).toMatch(message);
      const loaded = await fails(s, 'setWeights', { source: { kind: 'model', bytes: bytesOf(file), fileName: file, weightName: 'conv1.weight' } });
      expect(loaded.message).toMatch(message);
    });
  }

  it('refuses malformed arguments at the boundary', async () => {
    expect((await fails(s, 'listModelTensors', { bytes: [1, 2], fileName: 'x.pt' })).message).toBe('model file: expected file bytes (Uint8Array)');
    expect((await fails(s, 'listModelTensors', { bytes: new Uint8Array(4), fileName: '' })).message).toMatch(/^model file name: /);
    expect((await fails(s, 'setWeights', { source: { kind: 'model', bytes: new Uint8Array(4), fileName: 'x.pt', weightName: 'w', extra: 1 } })).field).toBe('weights');
  });
});
