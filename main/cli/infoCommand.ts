import { UsageError } from './cliErrors';
import { describeDataset, openDataset } from '../datasets/datasetSource';

export async function runInfoCommand(argv: string[], log: (line: string) => void): Promise<void> {
  if (argv.length !== 1 || argv[0]!.startsWith('-')) throw new UsageError('info: expected exactly one PATH (a CIFAR folder, .bin or .tar.gz)');
  log(describeDataset(await openDataset(argv[0]!)));
}
