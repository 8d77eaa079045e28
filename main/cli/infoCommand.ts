import { parseArgs } from 'node:util';
import { UsageError } from './cliErrors';
import { describeDataset, openDataset } from '../datasets/datasetSource';
import { parseImageTransform } from './imageTransformOptions';

export const INFO_USAGE = `convboard info PATH [--resize N] [--center-crop N]
    Format, files, splits, image counts, classes and per-class counts of a CIFAR folder, .bin or
    .tar.gz, MNIST-family idx files (or their folder, or torchvision's root), or an image folder
    (root/<class>/<image>: class folders, image count, sizes seen, the transformed size).`;

export async function runInfoCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { resize: { type: 'string' }, 'center-crop': { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('info: expected exactly one PATH (a dataset folder or file)');
  const transform = parseImageTransform(values.resize, values['center-crop']);
  log(describeDataset(await openDataset(positionals[0]!, { transform })));
}
