import { parseArgs } from 'node:util';
import { maxPool2dOutputShape, maxPool2dPlanned, planMaxPool2d } from '../../core/maxPool2d';
import { parseNpy, serializeNpyFloat32 } from '../../core/npy';
import { writeFileAtomic } from '../output/atomicWrite';
import { CommandError, UsageError } from './cliErrors';
import { parseIntOrPair } from './cliValues';
import { readUserFile } from './readUserFile';

export const MAXPOOL_USAGE = `convboard maxpool --input X.npy --kernel-size K [--stride S] [--padding P] [--dilation D]
               [--ceil-mode] --out Y.npy
  F.max_pool2d / nn.MaxPool2d from the shell on a [C, H, W] or [N, C, H, W] array; writes float32
  Y.npy. K, S, P, D: k or kh,kw; S defaults to K, as in PyTorch.`;

export async function runMaxpoolCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: 'string' }, 'kernel-size': { type: 'string' }, stride: { type: 'string' },
      padding: { type: 'string' }, dilation: { type: 'string' }, 'ceil-mode': { type: 'boolean' }, out: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  for (const required of ['input', 'kernel-size', 'out'] as const) {
    if (!values[required]) throw new UsageError(`maxpool: --${required} is required\n${MAXPOOL_USAGE}`);
  }
  const options = {
    kernelSize: parseIntOrPair('kernel-size', values['kernel-size']!),
    stride: values.stride !== undefined ? parseIntOrPair('stride', values.stride) : null,
    padding: values.padding !== undefined ? parseIntOrPair('padding', values.padding) : 0,
    dilation: values.dilation !== undefined ? parseIntOrPair('dilation', values.dilation) : 1,
    ceilMode: values['ceil-mode'] === true,
  };
  const input = parseNpy(await readUserFile('--input', values.input!), values.input!);
  // planMaxPool2d's messages are PyTorch's; its output is at most the input plus a row and column.
  const plan = planMaxPool2d(input.shape, options);
  if (input.data.length !== plan.n * plan.c * plan.h * plan.w) {
    throw new CommandError(`--input: ${values.input} holds ${input.data.length} values for shape [${input.shape.join(', ')}]`);
  }
  const outShape = maxPool2dOutputShape(plan);
  const out = new Float32Array(outShape.reduce((a, b) => a * b, 1));
  maxPool2dPlanned(plan, input.data, out, new Int32Array(out.length));
  await writeFileAtomic(values.out!, serializeNpyFloat32(outShape, out));
  log(`wrote ${values.out} [${outShape.join(', ')}] float32`);
}
