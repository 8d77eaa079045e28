import { UsageError } from './cliErrors';
import { DownloadRequestError } from '../download/downloadDataset';

const isParseArgsError = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
};

/** 2 for how the command was called (ours, or node:util parseArgs's unknown options), 1 for the data or computation. */
export function exitStatusOf(error: unknown): number {
  return error instanceof UsageError || error instanceof DownloadRequestError || isParseArgsError(error) ? 2 : 1;
}

/** One line, never a stack trace. */
export function oneLineMessage(error: unknown): string {
  const message = String((error as { message?: unknown } | null)?.message ?? error);
  const first = error instanceof UsageError ? message : message.split('\n')[0]!;
  // parseArgs appends advice about '--' that does not apply to convboard's options.
  return isParseArgsError(error) ? first.replace(/\. To specify a positional argument.*$/, '') : first;
}
