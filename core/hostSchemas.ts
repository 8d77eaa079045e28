/**
 * The arguments of every host request, as schemas: the one source from which the contract's
 * argument types are inferred (hostContract.ts) and by which the back end checks what the page
 * sends before acting (the page is not trusted: a compromised renderer, or any local process that
 * learnt browser mode's token). Both transports reach the session through the same check.
 */
import './zodSetup';
import { z } from 'zod';
import { displayConfigSchema } from './displayConfig';
import { layerConfigSchema } from './layerConfig';
import { viewConfigSchema } from './viewConfig';
import { modelFileBytes, modelFileName, weightSourceSchema } from './weightSource';

export const PATH_LIMITS = { maxPathLength: 4096, maxJobIdLength: 64 } as const;

const step = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const path = z
  .string()
  .max(PATH_LIMITS.maxPathLength)
  .refine((p) => !p.includes('\0'), { message: 'contains a NUL character' })
  .refine((p) => p.trim() !== '', { message: 'is empty' });
const jobId = z.string().max(PATH_LIMITS.maxJobIdLength).regex(/^[A-Za-z0-9-]+$/, { message: 'not a job id' });
const none = z.strictObject({});
/** torchvision's Resize(n) / CenterCrop(n) side; past 8192 it is a 4-gigapixel step, not a transform. */
const side = z.number().int().min(1).max(8192).nullable();
/** ImageFolder only (other formats ignore it); null leaves that step out. */
const imageTransform = z.strictObject({ resize: side, centerCrop: side });
const logName = z.string().max(PATH_LIMITS.maxPathLength).refine((p) => !p.includes('\0'), { message: 'contains a NUL character' });

/** Every request the page can make, by name, with the schema of its arguments. */
export const HOST_REQUEST_SCHEMAS = {
  getDataset: none,
  /** Electron shows a dialog when path is null; browser mode requires a path. */
  openDataset: z.strictObject({ path: path.nullable(), transform: imageTransform.optional() }),
  getLayer: none,
  setLayer: z.strictObject({ config: layerConfigSchema }),
  setWeights: z.strictObject({ source: weightSourceSchema }),
  listPresets: none,
  /** The tensors of a model file the user picked, each judged against the open dataset's channels. */
  listModelTensors: z.strictObject({ bytes: modelFileBytes, fileName: modelFileName }),
  getStep: z.strictObject({ view: viewConfigSchema, step }),
  /** overwrite: replace PNGs already in the chosen folder (default false: such a file refuses the export). */
  exportStep: z.strictObject({ view: viewConfigSchema, step, display: displayConfigSchema, overwrite: z.boolean().optional() }),
  startStats: z.strictObject({ view: viewConfigSchema }),
  /**
   * dir: Electron: null (a dialog asks) or an id main handed out; browser mode: a sub-folder of
   * the server's export root. overwrite as for exportStep.
   */
  startExportAll: z.strictObject({ view: viewConfigSchema, display: displayConfigSchema, dir: path.nullable(), overwrite: z.boolean().optional() }),
  /** Downloads a catalog dataset into the session's data folder, then opens it (a job). */
  startDownload: z.strictObject({ dataset: z.enum(['cifar-10', 'cifar-100', 'mnist', 'fashion-mnist']) }),
  /** Indexes the image tags of every run under a TensorBoard logdir on the back end's machine. */
  openLogdir: z.strictObject({ logdir: path.nullable() }),
  /** One logged image of the last opened logdir; null when the run has no image at that step. */
  getLoggedImage: z.strictObject({ run: logName, tag: logName, step }),
  getJob: z.strictObject({ jobId }),
  cancelJob: z.strictObject({ jobId }),
} as const;

export type HostRequestName = keyof typeof HOST_REQUEST_SCHEMAS;
/** What a caller sends: fields with schema defaults (the layer's relu and pool) may be left out. */
export type HostArgs<K extends HostRequestName> = z.input<(typeof HOST_REQUEST_SCHEMAS)[K]>;
/** What the back end acts on once the schema passed: defaults filled in, transforms applied. */
export type ParsedHostArgs<K extends HostRequestName> = z.output<(typeof HOST_REQUEST_SCHEMAS)[K]>;
export const HOST_REQUEST_NAMES = Object.keys(HOST_REQUEST_SCHEMAS) as HostRequestName[];

export function isHostRequestName(name: unknown): name is HostRequestName {
  return typeof name === 'string' && Object.hasOwn(HOST_REQUEST_SCHEMAS, name);
}

/**
 * The words the user sees for each argument: the page's labels and nn.Conv2d's parameter names,
 * not the contract's camelCase keys.
 */
const FIELD_LABELS: Record<string, string> = {
  'config.outChannels': 'out_channels',
  'config.kernelSize': 'kernel_size',
  'config.stride': 'stride',
  'config.padding': 'padding',
  'config.dilation': 'dilation',
  'config.groups': 'groups',
  'config.bias': 'bias',
  'config.paddingMode': 'padding_mode',
  'config.relu': 'ReLU',
  'config.pool': 'max pool',
  'config.pool.kernelSize': 'pool kernel_size',
  'config.pool.stride': 'pool stride',
  'config.pool.padding': 'pool padding',
  'config.pool.dilation': 'pool dilation',
  'config.pool.ceilMode': 'pool ceil_mode',
  'view.split': 'split',
  'view.batchSize': 'batch size',
  'view.dropLast': 'drop last',
  'view.shuffle': 'shuffle',
  'view.shuffleSeed': 'shuffle seed',
  'display.layout': 'display layout',
  'display.normalization': 'normalization',
  'display.range': 'fixed range',
  'display.colorMap': 'colour map',
  'display.grid': 'grid',
  'display.columns': 'grid columns',
  'display.padding': 'grid padding',
  'display.padValue': 'grid pad value',
  'source.kind': 'weights source',
  'source.seed': 'seed',
  'source.name': 'preset',
  'source.weight': 'weight file',
  'source.weightName': 'weight file name',
  'source.bias': 'bias file',
  'source.biasName': 'bias file name',
  'source.bytes': 'model file',
  'source.fileName': 'model file name',
  bytes: 'model file',
  fileName: 'model file name',
  step: 'step',
  path: 'dataset path',
  dir: 'export folder',
  overwrite: 'overwrite',
  jobId: 'job id',
  'transform.resize': 'Resize',
  'transform.centerCrop': 'CenterCrop',
  dataset: 'dataset to download',
  logdir: 'log folder',
  run: 'run',
  tag: 'tag',
};
const PAIR_PARTS: Record<string, [string, string]> = {
  'display.range': ['low', 'high'],
};

/** A request the page should never have sent. `path` is the argument path ("config.stride[0]"). */
export class HostArgsError extends Error {
  override readonly name = 'HostArgsError';
  constructor(readonly path: string, problem: string) {
    super(`${labelFor(path)}: ${problem}`);
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s === '' ? String(k) : `${s}.${String(k)}`), '');
}

/** "config.kernelSize[1]" -> "kernel_size (width)": pairs are [h, w] everywhere but ranges. */
export function labelFor(path: string): string {
  const m = /^(.*)\[(\d)\]$/.exec(path);
  const base = m ? m[1]! : path;
  const label = FIELD_LABELS[base] ?? (base === '' ? 'arguments' : base);
  if (!m) return label;
  const parts = PAIR_PARTS[base] ?? ['height', 'width'];
  return `${label} (${parts[Number(m[2])] ?? `item ${m[2]}`})`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'string') return v.length > 40 ? 'a long string' : JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  return typeof v;
}

const KIND_WORDS: Record<string, string> = {
  int: 'an integer', number: 'a number', boolean: 'true or false', string: 'a string', object: 'an object', tuple: 'a pair [h, w]', array: 'a pair [h, w]',
};

/** One issue in the page's words: "stride (height): expected an integer, got 1.5". */
function issueError(issue: z.core.$ZodIssue, schema: z.ZodType): HostArgsError {
  const where = pathText(issue.path);
  const got = describe(issue.input);
  switch (issue.code) {
    case 'unrecognized_keys':
      return new HostArgsError(where === '' ? issue.keys[0]! : `${where}.${issue.keys[0]}`, 'unknown field');
    case 'invalid_type':
      if (issue.input === undefined && issue.expected !== 'undefined') return new HostArgsError(where, 'missing');
      if (issue.expected === 'number' && numberAt(schema, issue.path)?.isInt) return new HostArgsError(where, `expected an integer, got ${got}`);
      return new HostArgsError(where, `expected ${KIND_WORDS[issue.expected] ?? issue.expected}, got ${got}`);
    case 'too_small':
    case 'too_big': {
      if (issue.origin === 'array') return new HostArgsError(where, `expected a pair [h, w], got ${got}`);
      if (issue.origin === 'string') return new HostArgsError(where, `longer than ${(issue as { maximum: number }).maximum} characters`);
      const bounds = numberBounds(schema, issue.path);
      return new HostArgsError(where, bounds ? `must be from ${bounds[0]} to ${bounds[1]}, got ${got}` : `out of range, got ${got}`);
    }
    case 'invalid_value':
      return new HostArgsError(where, `expected one of ${issue.values.map((v) => `'${String(v)}'`).join(', ')}, got ${got}`);
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (options) return new HostArgsError(where, `expected one of ${options.map((v) => `'${String(v)}'`).join(', ')}, got ${got}`);
      return new HostArgsError(where, `expected a pair [h, w], 'same' or 'valid', got ${got}`);
    }
    case 'invalid_format':
    case 'custom':
    default:
      return new HostArgsError(where, issue.message);
  }
}

/** zod reports one bound per issue; the message names both, read from the schema at the issue's path. */
function numberBounds(schema: z.ZodType, path: readonly PropertyKey[]): [number, number] | null {
  const s = numberAt(schema, path);
  return s ? [s.minValue ?? -Infinity, s.maxValue ?? Infinity] : null;
}

function numberAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodNumber | null {
  let s: z.ZodType | undefined = schema;
  for (const key of path) {
    s = unwrap(s);
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, z.ZodType>)[String(key)];
    else if (s instanceof z.ZodTuple) s = (s.def.items as z.ZodType[])[Number(key)];
    else if (s instanceof z.ZodUnion) s = (s.def.options as z.ZodType[]).find((o) => unwrap(o) instanceof z.ZodTuple);
    else return null;
    if (!s) return null;
  }
  s = unwrap(s);
  if (s instanceof z.ZodUnion) s = (s.def.options as z.ZodType[]).find((o) => o instanceof z.ZodNumber);
  return s instanceof z.ZodNumber ? s : null;
}

function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  let cur = s;
  for (;;) {
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault) cur = cur.def.innerType as z.ZodType;
    else if (cur instanceof z.ZodPipe) cur = cur.def.in as z.ZodType;
    else return cur;
  }
}

/**
 * The arguments of `name`, rebuilt from checked parts only (unknown fields are refused, not
 * copied). Throws HostArgsError with the first problem, in the page's words.
 */
export function parseHostArgs<K extends HostRequestName>(name: K, args: unknown): ParsedHostArgs<K> {
  if (!isHostRequestName(name)) throw new HostArgsError('request', `unknown request ${describe(name)}`);
  const schema = HOST_REQUEST_SCHEMAS[name] as z.ZodType;
  const result = schema.safeParse(args, { reportInput: true });
  if (result.success) return result.data as ParsedHostArgs<K>;
  throw issueError(result.error.issues[0]!, schema);
}
