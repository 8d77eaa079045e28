import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { parseNpy, serializeNpyFloat32 } from '../core/npy';
import { splitWeightSpec } from '../main/cli/modelWeightOptions';
import type { WeightsJson } from '../main/cli/weightsCommand';
import { runCli } from './helpers/runCli';

const root = resolve(__dirname, '..');
const MODELS = join(root, 'test/fixtures/models');
const model = (name: string) => join(MODELS, name);
const tmp = () => mkdtempSync(join(tmpdir(), 'convboard-models-'));
const expected = JSON.parse(readFileSync(model('expected.json'), 'utf8')) as Record<string, { tensors: { name: string; shape: number[]; f32: string }[] }>;
const tensorOf = (file: string, name: string) => {
  const t = expected[file]!.tensors.find((x) => x.name === name)!;
  const b = Buffer.from(t.f32, 'base64');
  return { shape: t.shape, data: new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)) };
};
// A copy: parseNpy views the bytes as float32, which needs an aligned buffer of their own.
const npy = (path: string) => parseNpy(new Uint8Array(readFileSync(path)), path);
const pixels = (path: string) => {
  const png = PNG.sync.read(readFileSync(path));
  return { width: png.width, height: png.height, data: png.data };
};

/** One line on stderr, "convboard: <message>", nothing on stdout. */
function refusedInOneLine(r: { status: number | null; stdout: string; stderr: string }, status: number): string {
  expect(r.status).toBe(status);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd()).not.toContain('\n');
  expect(r.stderr).not.toMatch(/\n\s+at |\.ts:\d+/);
  expect(r.stderr.startsWith('convboard: ')).toBe(true);
  return r.stderr.slice('convboard: '.length).trimEnd();
}

describe('convboard weights', () => {
  it('lists an ONNX model: every 4-D tensor with its Conv\'s attributes, the others summarised', () => {
    const r = runCli(['weights', model('convnet.onnx')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      `${model('convnet.onnx')}: ONNX model, 6 tensors`,
      'Conv2d weights (4-D: out_channels, in_channels/groups, kH, kW): 2',
      '  conv1.weight  [6, 3, 3, 3]  float32  bias conv1.bias  Conv /conv1/Conv: strides 1,1 pads 1,1,1,1 dilations 1,1 group 1',
      '  conv2.weight  [4, 3, 3, 3]  float32  bias conv2.bias  Conv /conv2/Conv: strides 2,2 pads 2,2,2,2 dilations 2,2 group 2',
      'Other tensors: 4 (3 1-D, 1 2-D)',
      '  conv1.bias  [6]  float32',
      '  conv2.bias  [4]  float32',
      '  head.weight  [2, 4]  float32',
      '  head.bias  [2]  float32',
      '',
    ]);
  });

  it('--json gives every tensor of a checkpoint, names, shapes and dtypes as PyTorch wrote them', () => {
    const r = runCli(['weights', model('sequential_bn.pt'), '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as WeightsJson;
    expect(j.format).toBe('pytorch');
    expect(j.tensorCount).toBe(expected['sequential_bn.pt']!.tensors.length);
    expect(j.conv2dWeights).toEqual([{ name: 'features.0.weight', shape: [2, 1, 5, 5], dtype: 'float32', bias: null, onnxConv: null }]);
    const all = [...j.conv2dWeights, ...j.otherTensors].map((t) => [t.name, t.shape]);
    expect(all.sort()).toEqual(expected['sequential_bn.pt']!.tensors.map((t) => [t.name, t.shape]).sort());
    expect(j.otherTensors.find((t) => t.name === 'features.1.num_batches_tracked')).toEqual({ name: 'features.1.num_batches_tracked', shape: [], dtype: 'int64' });
  });

  it('--json gives the ONNX Conv of each weight', () => {
    const j = JSON.parse(runCli(['weights', model('convnet.onnx'), '--json']).stdout) as WeightsJson;
    expect(j.conv2dWeights[1]).toEqual({
      name: 'conv2.weight', shape: [4, 3, 3, 3], dtype: 'float32', bias: 'conv2.bias',
      onnxConv: { node: '/conv2/Conv', strides: [2, 2], pads: [2, 2, 2, 2], dilations: [2, 2], group: 2, autoPad: 'NOTSET' },
    });
  });

  const hostile: [string, RegExp][] = [
    ['truncated.pt', /truncated\.pt: not a complete zip archive/],
    ['wrong_storage_size.pt', /wrong_storage_size\.pt: the storage of tensor "conv1\.weight" should hold 162 float32 values \(648 bytes\) but its record has 644 bytes/],
    ['module.pt', /module\.pt: is a whole pickled model \("__main__\.Net"\)/],
    ['os_system.pt', /os_system\.pt: refuses to call "posix\.system"/],
    ['legacy.pt', /legacy\.pt: is in the legacy torch\.save format/],
    ['scripted.pt', /scripted\.pt: is a TorchScript archive/],
  ];
  for (const [file, message] of hostile) {
    it(`refuses ${file} in one line, exit 1`, () => {
      expect(refusedInOneLine(runCli(['weights', model(file)]), 1)).toMatch(message);
    });
  }

  it('refuses a zip bomb before inflating it', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bomb.npz'), zipSync({ 'w.npy': new Uint8Array(8 * 2 ** 20) }, { level: 9 }));
    expect(refusedInOneLine(runCli(['weights', join(dir, 'bomb.npz')]), 1)).toMatch(/zip entry "w\.npy" declares 8388608 bytes .*refusing a likely zip bomb/);
  });

  it('refuses what is not a model file, a folder and a missing file', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    expect(refusedInOneLine(runCli(['weights', join(dir, 'notes.txt')]), 1)).toMatch(/notes\.txt: is not a model file that is read/);
    expect(refusedInOneLine(runCli(['weights', dir]), 1)).toMatch(/is a folder, not a file/);
    expect(refusedInOneLine(runCli(['weights', join(dir, 'none.pt')]), 1)).toMatch(/none\.pt: no such file/);
    const usage = runCli(['weights']);
    expect(usage.status).toBe(2);
    expect(usage.stderr.split('\n')[0]).toBe('convboard: weights: expected one model file, got 0');
  });
});

describe('--weight FILE:NAME', () => {
  it('splits at the last ":" whose prefix is an existing file', () => {
    const files = new Set(['C:\\models\\m.pt', 'm.pt', 'a:b.pt', 'a:b.pt:c']);
    const isFile = (p: string) => files.has(p);
    expect(splitWeightSpec('--weight', 'C:\\models\\m.pt:conv1.weight', isFile)).toEqual({ path: 'C:\\models\\m.pt', tensor: 'conv1.weight' });
    expect(splitWeightSpec('--weight', 'm.pt:odd:name', isFile)).toEqual({ path: 'm.pt', tensor: 'odd:name' });
    expect(splitWeightSpec('--weight', 'a:b.pt:c:w', isFile)).toEqual({ path: 'a:b.pt:c', tensor: 'w' });
    expect(splitWeightSpec('--weight', 'a:b.pt', isFile)).toEqual({ path: 'a:b.pt', tensor: null });
    expect(splitWeightSpec('--weight', 'gone.pt:w', isFile)).toEqual({ path: 'gone.pt:w', tensor: null });
  });

  it('export with an ONNX Conv equals PyTorch\'s workflow with that conv, pixel for pixel', () => {
    const dir = tmp();
    const r = runCli(['export', '--steps', '0-4', '--weight', `${model('convnet.onnx')}:conv1.weight`, '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const step of ['000000', '000004']) {
      const ours = pixels(join(dir, 'output', `${step}.png`));
      const theirs = pixels(join(MODELS, 'workflow', `conv1-output-${step}.png`));
      expect([ours.width, ours.height]).toEqual([theirs.width, theirs.height]);
      expect(ours.data.equals(theirs.data), `step ${step}`).toBe(true);
    }
  });

  it('a state_dict\'s weight takes the padding from the options and gives the same grid; a safetensors one too', () => {
    const dir = tmp();
    for (const [name, spec] of [['pt', `${model('wrapped_state_dict.pt')}:conv1.weight`], ['st', `${model('convnet.safetensors')}:conv1.weight`]] as const) {
      expect(runCli(['export', '--steps', '4', '--weight', spec, '--padding', '1', '--out', join(dir, name)]).status).toBe(0);
      const ours = pixels(join(dir, name, 'output', '000004.png'));
      expect(ours.data.equals(pixels(join(MODELS, 'workflow', 'conv1-output-000004.png')).data), name).toBe(true);
    }
  });

  it('a file name holding ":" works', () => {
    const dir = tmp();
    copyFileSync(model('convnet.pt'), join(dir, 'run:3.pt'));
    expect(runCli(['export', '--steps', '4', '--weight', `${join(dir, 'run:3.pt')}:conv1.weight`, '--padding', '1', '--out', join(dir, 'o')]).status).toBe(0);
    expect(pixels(join(dir, 'o/output/000004.png')).data.equals(pixels(join(MODELS, 'workflow', 'conv1-output-000004.png')).data)).toBe(true);
  });

  it('conv: an ONNX Conv\'s weight, bias and padding equal the same arrays given as .npy with --padding 1', () => {
    const dir = tmp();
    const x = new Float32Array(2 * 3 * 7 * 6).map((_, i) => Math.sin(i * 0.37));
    writeFileSync(join(dir, 'x.npy'), serializeNpyFloat32([2, 3, 7, 6], x));
    const w = tensorOf('convnet.onnx', 'conv1.weight');
    const b = tensorOf('convnet.onnx', 'conv1.bias');
    writeFileSync(join(dir, 'w.npy'), serializeNpyFloat32(w.shape, w.data));
    writeFileSync(join(dir, 'b.npy'), serializeNpyFloat32(b.shape, b.data));
    const a = runCli(['conv', '--input', join(dir, 'x.npy'), '--weight', `${model('convnet.onnx')}:conv1.weight`, '--out', join(dir, 'a.npy')]);
    expect(a.stderr).toBe('');
    expect(a.stdout).toBe(`wrote ${join(dir, 'a.npy')} [2, 6, 7, 6] float32\n`);
    expect(runCli(['conv', '--input', join(dir, 'x.npy'), '--weight', join(dir, 'w.npy'), '--bias', join(dir, 'b.npy'), '--padding', '1', '--out', join(dir, 'b.npy.out')]).status).toBe(0);
    expect(readFileSync(join(dir, 'a.npy')).equals(readFileSync(join(dir, 'b.npy.out')))).toBe(true);
    // --no-bias drops the paired bias: the difference is the bias, channel by channel.
    expect(runCli(['conv', '--input', join(dir, 'x.npy'), '--weight', `${model('convnet.onnx')}:conv1.weight`, '--no-bias', '--out', join(dir, 'c.npy')]).status).toBe(0);
    const withBias = npy(join(dir, 'a.npy')).data;
    const without = npy(join(dir, 'c.npy')).data;
    for (const c of [0, 5]) expect(Math.fround(withBias[c * 42 + 7]! - without[c * 42 + 7]!)).toBeCloseTo(b.data[c]!, 6);
  });

  it('conv: --bias names another tensor of the same file', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'x.npy'), serializeNpyFloat32([1, 3, 4, 4], new Float32Array(48)));
    const r = runCli(['conv', '--input', join(dir, 'x.npy'), '--weight', `${model('weights.npz')}:conv1.weight`, '--bias', `${model('weights.npz')}:conv1.bias`, '--out', join(dir, 'y.npy')]);
    expect(r.status).toBe(0);
    // Zero input: the output is the bias everywhere.
    const y = npy(join(dir, 'y.npy'));
    expect(y.shape).toEqual([1, 6, 2, 2]);
    expect([...y.data.filter((_, i) => i % 4 === 0)]).toEqual([...tensorOf('weights.npz', 'conv1.bias').data]);
  });

  const refusals: [string, string[], number, RegExp][] = [
    ['an option the ONNX Conv contradicts', ['--padding', '2'], 2, /^--padding 2 contradicts convnet\.onnx:conv1\.weight, whose Conv has padding 1; drop the option or pick another tensor$/],
    ['a padding mode against an ONNX Conv', ['--padding-mode', 'reflect'], 2, /^--padding-mode reflect contradicts convnet\.onnx:conv1\.weight, an ONNX Conv, which pads with zeros/],
    ['an out_channels the shape contradicts', ['--out-channels', '4'], 2, /^--out-channels 4 contradicts convnet\.onnx:conv1\.weight, whose shape \[6, 3, 3, 3\] gives out-channels 6/],
  ];
  for (const [what, extra, status, message] of refusals) {
    it(`export refuses ${what}, writing nothing`, () => {
      const dir = tmp();
      const r = runCli(['export', '--weight', `${model('convnet.onnx')}:conv1.weight`, ...extra, '--out', join(dir, 'o')]);
      expect(refusedInOneLine(r, status)).toMatch(message);
      expect(existsSync(join(dir, 'o'))).toBe(false);
    });
  }

  it('refuses a weight for other input channels, naming the tensors that fit', () => {
    const dir = tmp();
    const r = runCli(['export', '--weight', `${model('convnet.onnx')}:conv2.weight`, '--out', join(dir, 'o')]);
    expect(refusedInOneLine(r, 1)).toBe('--weight: convnet.onnx: weight "conv2.weight" of shape [4, 3, 3, 3] takes 6 input channels (groups=2) but the images have 3; tensors that would fit: "conv1.weight" [6, 3, 3, 3]');
    const mnist = runCli(['export', '--weight', `${model('sequential_bn.pt')}:features.0.weight`, '--out', join(dir, 'o')]);
    expect(refusedInOneLine(mnist, 1)).toMatch(/takes 1 input channel but the images have 3; none of its 4-D tensors takes 3 channels$/);
    expect(existsSync(join(dir, 'o'))).toBe(false);
  });

  it('refuses a model file without a tensor name, a name it lacks, an empty name, ":NAME" on a .npy, and hostile files', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'w.npy'), serializeNpyFloat32([6, 3, 3, 3], new Float32Array(162)));
    const cases: [string, number, RegExp][] = [
      [model('convnet.pt'), 2, /^--weight: .*convnet\.pt is a PyTorch checkpoint, not a \.npy array; name a tensor, --weight .*convnet\.pt:NAME \(e\.g\. conv1\.weight, conv2\.weight\)$/],
      [`${model('convnet.pt')}:conv9.weight`, 1, /^--weight: convnet\.pt: has no tensor named "conv9\.weight"; its 4-D tensors are "conv1\.weight", "conv2\.weight"$/],
      [`${model('convnet.pt')}:`, 2, /^--weight: no tensor name after ':'/],
      [`${join(dir, 'w.npy')}:conv1.weight`, 2, /^--weight: .*w\.npy is a \.npy file holding one array; drop ':conv1\.weight'$/],
      [`${model('os_system.pt')}:conv1.weight`, 1, /^--weight: os_system\.pt: refuses to call "posix\.system"/],
      [`${model('asymmetric_pads.onnx')}:conv1.weight`, 1, /^--weight: asymmetric_pads\.onnx: Conv "\/conv1\/Conv" \(weight "conv1\.weight"\) has asymmetric pads/],
    ];
    for (const [spec, status, message] of cases) {
      expect(refusedInOneLine(runCli(['export', '--weight', spec, '--out', join(dir, 'o')]), status), spec).toMatch(message);
    }
    expect(readdirSync(dir)).toEqual(['w.npy']);
  });

  it('conv: --groups applies to a state_dict\'s weight (the file does not record it), as the same .npy arrays give', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'x.npy'), serializeNpyFloat32([1, 6, 5, 5], new Float32Array(150).map((_, i) => Math.cos(i))));
    const w = tensorOf('convnet.pt', 'conv2.weight');
    const b = tensorOf('convnet.pt', 'conv2.bias');
    writeFileSync(join(dir, 'w.npy'), serializeNpyFloat32(w.shape, w.data));
    writeFileSync(join(dir, 'b.npy'), serializeNpyFloat32(b.shape, b.data));
    const a = runCli(['conv', '--input', join(dir, 'x.npy'), '--weight', `${model('convnet.pt')}:conv2.weight`, '--groups', '2', '--stride', '2', '--out', join(dir, 'a.npy')]);
    expect(a.stderr).toBe('');
    expect(runCli(['conv', '--input', join(dir, 'x.npy'), '--weight', join(dir, 'w.npy'), '--bias', join(dir, 'b.npy'), '--groups', '2', '--stride', '2', '--out', join(dir, 'b.npy.out')]).status).toBe(0);
    expect(readFileSync(join(dir, 'a.npy')).equals(readFileSync(join(dir, 'b.npy.out')))).toBe(true);
    const noGroups = runCli(['conv', '--input', join(dir, 'x.npy'), '--weight', `${model('convnet.pt')}:conv2.weight`, '--out', join(dir, 'c.npy')]);
    expect(refusedInOneLine(noGroups, 1)).toMatch(/^--weight: convnet\.pt: weight "conv2\.weight" of shape \[4, 3, 3, 3\] takes 3 input channels but the images have 6/);
  });

  it('keeps .npy weights working in conv', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'x.npy'), serializeNpyFloat32([1, 1, 3, 3], new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9])));
    writeFileSync(join(dir, 'w.npy'), serializeNpyFloat32([1, 1, 2, 2], new Float32Array([1, 0, 0, 1])));
    const r = runCli(['conv', '--input', join(dir, 'x.npy'), '--weight', join(dir, 'w.npy'), '--out', join(dir, 'y.npy')]);
    expect(r.status).toBe(0);
    expect([...npy(join(dir, 'y.npy')).data]).toEqual([6, 8, 12, 14]);
  });
});
