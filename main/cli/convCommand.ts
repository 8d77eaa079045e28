import { parseArgs } from 'node:util';
import { conv2dOutputShape, planConv2d, type Conv2dOptions } from '../../core/conv2dOptions';
import { parseNpy, serializeNpyFloat32 } from '../../core/npy';
import { writeFileAtomic } from '../output/atomicWrite';
import { UsageError } from './cliErrors';
import { CONV_GEOMETRY_BOUNDS, parseInteger, parseIntOrPair, parsePadding, parsePaddingMode, parsePathOption } from './cliValues';
import { loadConvEngine } from '../compute/convEngineLoader';
import { readUserFile } from './readUserFile';
import { convWeights } from './convWeights';
import { checkStepCost, stepCost } from '../session/layerBudget';

export const CONV_USAGE = `convboard conv --input X.npy --weight W.npy|MODEL:NAME [--bias B.npy|MODEL:NAME] [--no-bias]
               [--stride S] [--padding P] [--dilation D] [--groups G] [--padding-mode M] [--allow-large] --out Y.npy
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
      'no-bias': { type: 'boolean' }, 'allow-large': { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  for (const required of ['input', 'weight', 'out'] as const) {
    if (values[required] === undefined) throw new UsageError(`conv: --${required} is required\n${CONV_USAGE}`);
  }
  const inputPath = parsePathOption('input', values.input)!;
  const weightPath = parsePathOption('weight', values.weight)!;
  const biasPath = parsePathOption('bias', values.bias);
  const outPath = parsePathOption('out', values.out)!;
  // Only what the user typed: a model file's Conv must agree with it and fills in the rest.
  const typed: Conv2dOptions = {
    ...(values.stride !== undefined ? { stride: parseIntOrPair('stride', values.stride) } : {}),
    ...(values.padding !== undefined ? { padding: parsePadding(values.padding) } : {}),
    ...(values.dilation !== undefined ? { dilation: parseIntOrPair('dilation', values.dilation) } : {}),
    ...(values.groups !== undefined ? { groups: parseInteger('groups', values.groups, 1, CONV_GEOMETRY_BOUNDS.max) } : {}),
    ...(values['padding-mode'] !== undefined ? { paddingMode: parsePaddingMode(values['padding-mode']) } : {}),
  };
  if (biasPath !== null && values['no-bias']) throw new UsageError('--bias and --no-bias cannot be used together');
  const input = parseNpy(await readUserFile('--input', inputPath), inputPath);
  const fromFile = await convWeights({ weight: weightPath, bias: biasPath, noBias: values['no-bias'] === true }, typed, input.shape);
  const { weight, bias } = fromFile;
  const options: Conv2dOptions = { stride: 1, padding: 0, dilation: 1, groups: 1, paddingMode: 'zeros', ...typed, ...fromFile.options };
  const plan = planConv2d(input.shape, weight.shape, bias ? bias.shape : null, options);
  if (!values['allow-large']) {
    try {
      checkStepCost(stepCost(plan), 'pass --allow-large');
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const outShape = conv2dOutputShape(plan);
  const out = new Float32Array(outShape.reduce((a, b) => a * b, 1));
  const engine = await loadConvEngine();
  engine.run(plan, input.data, weight.data, bias ? bias.data : null, out);
  await writeFileAtomic(outPath, serializeNpyFloat32(outShape, out));
  log(`wrote ${outPath} [${outShape.join(', ')}] float32`);
}
