import { parseArgs } from 'node:util';
import { conv2dOutputShape, planConv2d, type Conv2dOptions } from '../../core/conv2dOptions';
import { parseNpy, serializeNpyFloat32 } from '../../core/npy';
import { writeFileAtomic } from '../output/atomicWrite';
import { UsageError } from './cliErrors';
import { parseInteger, parseIntOrPair, parsePadding, parsePaddingMode } from './cliValues';
import { loadConvEngine } from '../compute/convEngineLoader';
import { readUserFile } from './readUserFile';
import { convWeights } from './convWeights';

export const CONV_USAGE = `convboard conv --input X.npy --weight W.npy|MODEL:NAME [--bias B.npy|MODEL:NAME] [--no-bias]
               [--stride S] [--padding P] [--dilation D] [--groups G] [--padding-mode M] --out Y.npy
  F.conv2d / nn.Conv2d from the shell; writes float32 Y.npy.
  S, D, P: k or kh,kw; P also 'same' or 'valid'; M: zeros, reflect, replicate, circular.
  MODEL:NAME is a tensor of a PyTorch checkpoint, .safetensors, .npz or .onnx (see export).`;

export async function runConvCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: 'string' }, weight: { type: 'string' }, bias: { type: 'string' },
      stride: { type: 'string' }, padding: { type: 'string' }, dilation: { type: 'string' },
      groups: { type: 'string' }, 'padding-mode': { type: 'string' }, out: { type: 'string' },
      'no-bias': { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  for (const required of ['input', 'weight', 'out'] as const) {
    if (!values[required]) throw new UsageError(`conv: --${required} is required\n${CONV_USAGE}`);
  }
  // Only what the user typed: a model file's Conv must agree with it and fills in the rest.
  const typed: Conv2dOptions = {
    ...(values.stride !== undefined ? { stride: parseIntOrPair('stride', values.stride) } : {}),
    ...(values.padding !== undefined ? { padding: parsePadding(values.padding) } : {}),
    ...(values.dilation !== undefined ? { dilation: parseIntOrPair('dilation', values.dilation) } : {}),
    ...(values.groups !== undefined ? { groups: parseInteger('groups', values.groups, 1) } : {}),
    ...(values['padding-mode'] !== undefined ? { paddingMode: parsePaddingMode(values['padding-mode']) } : {}),
  };
  if (values.bias !== undefined && values['no-bias']) throw new UsageError('--bias and --no-bias cannot be used together');
  const input = parseNpy(await readUserFile('--input', values.input!), values.input!);
  const fromFile = await convWeights({ weight: values.weight!, bias: values.bias ?? null, noBias: values['no-bias'] === true }, typed, input.shape);
  const { weight, bias } = fromFile;
  const options: Conv2dOptions = { stride: 1, padding: 0, dilation: 1, groups: 1, paddingMode: 'zeros', ...typed, ...fromFile.options };
  const plan = planConv2d(input.shape, weight.shape, bias ? bias.shape : null, options);
  const outShape = conv2dOutputShape(plan);
  const out = new Float32Array(outShape.reduce((a, b) => a * b, 1));
  const engine = await loadConvEngine();
  engine.run(plan, input.data, weight.data, bias ? bias.data : null, out);
  await writeFileAtomic(values.out!, serializeNpyFloat32(outShape, out));
  log(`wrote ${values.out} [${outShape.join(', ')}] float32`);
}
