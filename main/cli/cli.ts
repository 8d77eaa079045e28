import { CONV_USAGE, runConvCommand } from './convCommand';
import { EXPORT_USAGE } from './exportOptions';
import { runExportCommand } from './exportCommand';
import { INFO_USAGE, runInfoCommand } from './infoCommand';
import { join } from 'node:path';
import { DOWNLOAD_USAGE, runDownloadCommand } from './downloadCommand';
import { EVENTS_USAGE, runEventsCommand } from './eventsCommand';
import { runWeightsCommand, WEIGHTS_USAGE } from './weightsCommand';
import { EXPLAIN_USAGE, runExplainCommand } from './explainCommand';
import { MAXPOOL_USAGE, runMaxpoolCommand } from './maxpoolCommand';
import { runServeCommand, SERVE_USAGE } from './serveCommand';
import { exitStatusOf, oneLineMessage } from './cliExitStatus';

const USAGE = `convboard — see what a convolution does to real images (PyTorch-exact Conv2d on CIFAR, MNIST-family or your own images).

Commands:
  ${CONV_USAGE.split('\n').join('\n  ')}

  ${EXPORT_USAGE.split('\n').join('\n  ')}

  ${INFO_USAGE}

  ${DOWNLOAD_USAGE.split('\n').join('\n  ')}
    DIR defaults to ./data under the current folder (as torchvision's root).

  ${WEIGHTS_USAGE.split('\n').join('\n  ')}

  ${EVENTS_USAGE.split('\n').join('\n  ')}

  ${EXPLAIN_USAGE.split('\n').join('\n  ')}

  ${MAXPOOL_USAGE.split('\n').join('\n  ')}

  ${SERVE_USAGE.split('\n').join('\n  ')}

Exit status: 0 success, 2 usage error, 1 data or computation error.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const log = (line: string) => process.stdout.write(line + '\n');
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      log(USAGE);
      return command === undefined ? 2 : 0;
    case '--version':
      log(process.env.npm_package_version ?? VERSION);
      return 0;
    case 'conv':
      await runConvCommand(rest, log);
      return 0;
    case 'export':
      await runExportCommand(rest, log);
      return 0;
    case 'explain':
      await runExplainCommand(rest, log);
      return 0;
    case 'maxpool':
      await runMaxpoolCommand(rest, log);
      return 0;
    case 'info':
      await runInfoCommand(rest, log);
      return 0;
    case 'download':
      await runDownloadCommand(rest, log, join(process.cwd(), 'data'));
      return 0;
    case 'weights':
      await runWeightsCommand(rest, log);
      return 0;
    case 'events':
      await runEventsCommand(rest, log, (line) => process.stderr.write(`convboard: ${line}\n`));
      return 0;
    case 'serve':
      await runServeCommand(rest, log);
      return 0;
    default:
      process.stderr.write(`convboard: unknown command '${command}' (try convboard --help)\n`);
      return 2;
  }
}

declare const __CONVBOARD_VERSION__: string | undefined;
const VERSION = typeof __CONVBOARD_VERSION__ === 'string' ? __CONVBOARD_VERSION__ : '0.0.0';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`convboard: ${oneLineMessage(error)}\n`);
    if (process.env.CONVBOARD_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = exitStatusOf(error);
  },
);
