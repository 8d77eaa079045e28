/**
 * Turns anything thrown while answering a request into the contract's one-line error. Errors of
 * the user's making carry their own message; anything else is a defect, reported in one line
 * (the stack goes to the log, never to the page).
 */
import { Conv2dError } from '../../core/conv2dOptions';
import { ContractCodecError } from '../../core/contractCodec';
import type { HostErrorInfo } from '../../core/hostContract';
import { HostArgsError } from '../../core/hostSchemas';
import { PoolLayerError } from '../../core/layerPipeline';
import { NpyError } from '../../core/npy';
import { DatasetError } from '../datasets/datasetSource';

/** A refusal by the session: `field` names the layer/view/request field at fault, when there is one. */
export class SessionError extends Error {
  override readonly name = 'SessionError';
  constructor(message: string, readonly field: string | null = null) {
    super(message);
  }
}

/** The layer field a PyTorch conv2d message is about, so the page can show it next to that field. */
export function conv2dErrorField(message: string): string | null {
  const rules: [RegExp, string][] = [
    [/padding_mode/, 'paddingMode'],
    [/out_channels must be a positive/, 'outChannels'],
    [/groups/, 'groups'],
    [/stride/, 'stride'],
    [/dilation|dilated/, 'dilation'],
    [/[Pp]adding|wrapping around/, 'padding'],
    [/[Kk]ernel size|kernel_size/, 'kernelSize'],
    [/bias/, 'bias'],
  ];
  for (const [re, field] of rules) if (re.test(message)) return field;
  return null;
}

const firstLine = (s: string): string => s.split('\n')[0]!.trim();

/**
 * The page shows an error next to a layer/view/display field by its key ("stride", "batchSize");
 * the full argument path ("config.stride[0]") stays in the message. Weight sources are one field.
 */
export function contractField(path: string): string {
  if (path.startsWith('source.') || path === 'source') return 'weights';
  return path.replace(/^(config|view|display)\./, '').replace(/\[\d+\]$/, '');
}

export function toHostError(e: unknown, log?: (line: string) => void): HostErrorInfo {
  if (e instanceof SessionError) return { message: firstLine(e.message), field: e.field };
  if (e instanceof HostArgsError) return { message: firstLine(e.message), field: contractField(e.path) };
  if (e instanceof Conv2dError) return { message: firstLine(e.message), field: conv2dErrorField(e.message) };
  if (e instanceof PoolLayerError) return { message: firstLine(e.message), field: 'pool' };
  if (e instanceof DatasetError || e instanceof NpyError || e instanceof ContractCodecError) {
    return { message: firstLine(e.message), field: null };
  }
  if (e instanceof Error && ['ComputeWorkerError', 'FileWriteError', 'WeightShapeError', 'LayerBudgetError', 'CreateFolderError', 'PathGrantError'].includes(e.name)) return { message: firstLine(e.message), field: null };
  const err = e instanceof Error ? e : new Error(String(e));
  // Node's file-system errors name the path and the problem already ("EACCES: permission denied, open '/x'").
  const sys = err as Error & { code?: unknown; syscall?: unknown };
  if (typeof sys.code === 'string' && typeof sys.syscall === 'string') return { message: firstLine(err.message), field: null };
  log?.(`internal error: ${err.stack ?? err.message}`);
  return { message: `internal error: ${firstLine(err.message)}`, field: null };
}
