/**
 * Every argument from the page is checked here before the session sees it: the page is not
 * trusted (a compromised renderer, or any local process that learnt the browser-mode token).
 * Types, enum values and sizes are checked strictly. For layer numbers only the type and a
 * generous magnitude bound are checked here, so that what PyTorch refuses (stride 0, negative
 * padding, ...) reaches planConv2d and the user sees PyTorch's own message.
 */
import { PADDING_MODES } from '../../core/conv2dOptions';
import type { DisplayConfig } from '../../core/displayConfig';
import {
  HOST_REQUEST_NAMES, type HostArgs, type HostRequestName, type LayerConfig, type ViewConfig, type WeightSource,
} from '../../core/hostContract';
import { PRESET_NAMES } from '../../core/weightPresets';

/** A request the page should never have sent; `field` is the argument path, e.g. "config.stride[0]". */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
  constructor(readonly field: string, problem: string) {
    super(`${field}: ${problem}`);
  }
}

export const LIMITS = {
  /** Layer numbers beyond this are certainly mistakes and would only allocate absurd buffers. */
  layerMagnitude: 1024,
  maxOutChannels: 1024,
  maxKernel: 64,
  maxBatchSize: 1024,
  maxNpyBytes: 64 * 1024 * 1024,
  maxPathLength: 4096,
  maxNameLength: 255,
  maxGridColumns: 1024,
  maxGridPadding: 64,
  maxJobIdLength: 64,
} as const;

const SPLITS = ['train', 'test'] as const;
const LAYOUTS = ['rgb', 'channels'] as const;
const NORMALIZATIONS = ['tensorboard', 'tile', 'channel', 'batch', 'fixed'] as const;
const COLOR_MAPS = ['gray', 'viridis', 'diverging'] as const;
const GRIDS = ['tensorboard', 'torchvision'] as const;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'string') return v.length > 40 ? 'a long string' : JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  return typeof v;
}

function record(v: unknown, field: string, keys: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) {
    throw new RequestValidationError(field === '' ? 'args' : field, `expected an object, got ${describe(v)}`);
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!keys.includes(k) && !optional.includes(k)) throw new RequestValidationError(field === '' ? k : `${field}.${k}`, 'unknown field');
  }
  for (const k of keys) {
    if (!(k in o) || o[k] === undefined) throw new RequestValidationError(field === '' ? k : `${field}.${k}`, 'missing');
  }
  return o;
}

const join = (field: string, k: string): string => (field === '' ? k : `${field}.${k}`);

function integer(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new RequestValidationError(field, `expected an integer, got ${describe(v)}`);
  if (v < min || v > max) throw new RequestValidationError(field, `must be from ${min} to ${max}, got ${v}`);
  return v;
}

function finite(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RequestValidationError(field, `expected a finite number, got ${describe(v)}`);
  return v;
}

function bool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw new RequestValidationError(field, `expected true or false, got ${describe(v)}`);
  return v;
}

function oneOf<T extends string>(v: unknown, field: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !values.includes(v as T)) {
    throw new RequestValidationError(field, `expected one of ${values.map((x) => `'${x}'`).join(', ')}, got ${describe(v)}`);
  }
  return v as T;
}

function text(v: unknown, field: string, maxLength: number): string {
  if (typeof v !== 'string') throw new RequestValidationError(field, `expected a string, got ${describe(v)}`);
  if (v.length > maxLength) throw new RequestValidationError(field, `longer than ${maxLength} characters`);
  if (v.includes('\0')) throw new RequestValidationError(field, 'contains a NUL character');
  return v;
}

function intPair(v: unknown, field: string, min: number, max: number): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) throw new RequestValidationError(field, `expected a pair [h, w], got ${describe(v)}`);
  return [integer(v[0], `${field}[0]`, min, max), integer(v[1], `${field}[1]`, min, max)];
}

function bytes(v: unknown, field: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new RequestValidationError(field, `expected file bytes (Uint8Array), got ${describe(v)}`);
  if (v.byteLength > LIMITS.maxNpyBytes) throw new RequestValidationError(field, `file is larger than ${LIMITS.maxNpyBytes / 1024 / 1024} MB`);
  return v;
}

export function validateLayerConfig(v: unknown, field: string): LayerConfig {
  const o = record(v, field, ['outChannels', 'kernelSize', 'stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode']);
  const m = LIMITS.layerMagnitude;
  const padding = o.padding === 'same' || o.padding === 'valid'
    ? o.padding
    : Array.isArray(o.padding)
      ? intPair(o.padding, join(field, 'padding'), -m, m)
      : (() => { throw new RequestValidationError(join(field, 'padding'), `expected a pair [h, w], 'same' or 'valid', got ${describe(o.padding)}`); })();
  return {
    outChannels: integer(o.outChannels, join(field, 'outChannels'), 1, LIMITS.maxOutChannels),
    kernelSize: intPair(o.kernelSize, join(field, 'kernelSize'), 1, LIMITS.maxKernel),
    stride: intPair(o.stride, join(field, 'stride'), -m, m),
    padding,
    dilation: intPair(o.dilation, join(field, 'dilation'), -m, m),
    groups: integer(o.groups, join(field, 'groups'), -m, m),
    bias: bool(o.bias, join(field, 'bias')),
    paddingMode: oneOf(o.paddingMode, join(field, 'paddingMode'), PADDING_MODES),
  };
}

export function validateView(v: unknown, field: string): ViewConfig {
  const o = record(v, field, ['split', 'batchSize', 'dropLast', 'shuffle', 'shuffleSeed']);
  return {
    split: oneOf(o.split, join(field, 'split'), SPLITS),
    batchSize: integer(o.batchSize, join(field, 'batchSize'), 1, LIMITS.maxBatchSize),
    dropLast: bool(o.dropLast, join(field, 'dropLast')),
    shuffle: bool(o.shuffle, join(field, 'shuffle')),
    shuffleSeed: integer(o.shuffleSeed, join(field, 'shuffleSeed'), 0, Number.MAX_SAFE_INTEGER),
  };
}

export function validateDisplay(v: unknown, field: string): DisplayConfig {
  const o = record(v, field, ['layout', 'normalization', 'colorMap', 'grid', 'columns', 'padding', 'padValue'], ['range']);
  const display: DisplayConfig = {
    layout: oneOf(o.layout, join(field, 'layout'), LAYOUTS),
    normalization: oneOf(o.normalization, join(field, 'normalization'), NORMALIZATIONS),
    colorMap: oneOf(o.colorMap, join(field, 'colorMap'), COLOR_MAPS),
    grid: oneOf(o.grid, join(field, 'grid'), GRIDS),
    columns: integer(o.columns, join(field, 'columns'), 1, LIMITS.maxGridColumns),
    padding: integer(o.padding, join(field, 'padding'), 0, LIMITS.maxGridPadding),
    padValue: finite(o.padValue, join(field, 'padValue')),
  };
  if (o.range !== undefined) {
    const rf = join(field, 'range');
    if (!Array.isArray(o.range) || o.range.length !== 2) throw new RequestValidationError(rf, `expected a pair [low, high], got ${describe(o.range)}`);
    const range: [number, number] = [finite(o.range[0], `${rf}[0]`), finite(o.range[1], `${rf}[1]`)];
    if (!(range[0] < range[1])) throw new RequestValidationError(rf, `low must be below high, got [${range[0]}, ${range[1]}]`);
    display.range = range;
  }
  if (display.normalization === 'fixed' && display.range === undefined) {
    throw new RequestValidationError(join(field, 'range'), "required when normalization is 'fixed'");
  }
  return display;
}

export function validateWeightSource(v: unknown, field: string): WeightSource {
  const kind = oneOf(record(v, field, ['kind'], ['seed', 'name', 'weight', 'weightName', 'bias', 'biasName']).kind, join(field, 'kind'), ['init', 'preset', 'npy'] as const);
  if (kind === 'init') {
    const o = record(v, field, ['kind', 'seed']);
    return { kind, seed: integer(o.seed, join(field, 'seed'), 0, Number.MAX_SAFE_INTEGER) };
  }
  if (kind === 'preset') {
    const o = record(v, field, ['kind', 'name', 'seed']);
    return {
      kind,
      name: oneOf(o.name, join(field, 'name'), PRESET_NAMES),
      seed: integer(o.seed, join(field, 'seed'), 0, Number.MAX_SAFE_INTEGER),
    };
  }
  const o = record(v, field, ['kind', 'weight', 'weightName'], ['bias', 'biasName']);
  const bias = o.bias === undefined || o.bias === null ? null : bytes(o.bias, join(field, 'bias'));
  const biasName = o.biasName === undefined || o.biasName === null ? null : text(o.biasName, join(field, 'biasName'), LIMITS.maxNameLength);
  if (bias !== null && biasName === null) throw new RequestValidationError(join(field, 'biasName'), 'missing (required with bias)');
  return {
    kind,
    weight: bytes(o.weight, join(field, 'weight')),
    weightName: text(o.weightName, join(field, 'weightName'), LIMITS.maxNameLength),
    bias,
    biasName: bias === null ? null : biasName,
  };
}

function nullablePath(v: unknown, field: string): string | null {
  if (v === null) return null;
  const p = text(v, field, LIMITS.maxPathLength);
  if (p.trim() === '') throw new RequestValidationError(field, 'is empty');
  return p;
}

const jobId = (v: unknown): string => {
  const id = text(v, 'jobId', LIMITS.maxJobIdLength);
  if (!/^[A-Za-z0-9-]+$/.test(id)) throw new RequestValidationError('jobId', 'not a job id');
  return id;
};

type Validators = { [K in HostRequestName]: (args: unknown) => HostArgs<K> };

const VALIDATORS: Validators = {
  getDataset: (a) => (record(a, '', []), {}),
  openDataset: (a) => ({ path: nullablePath(record(a, '', ['path']).path, 'path') }),
  getLayer: (a) => (record(a, '', []), {}),
  setLayer: (a) => ({ config: validateLayerConfig(record(a, '', ['config']).config, 'config') }),
  setWeights: (a) => ({ source: validateWeightSource(record(a, '', ['source']).source, 'source') }),
  listPresets: (a) => (record(a, '', []), {}),
  getStep: (a) => {
    const o = record(a, '', ['view', 'step']);
    return { view: validateView(o.view, 'view'), step: integer(o.step, 'step', 0, Number.MAX_SAFE_INTEGER) };
  },
  exportStep: (a) => {
    const o = record(a, '', ['view', 'step', 'display']);
    return { view: validateView(o.view, 'view'), step: integer(o.step, 'step', 0, Number.MAX_SAFE_INTEGER), display: validateDisplay(o.display, 'display') };
  },
  startStats: (a) => ({ view: validateView(record(a, '', ['view']).view, 'view') }),
  startExportAll: (a) => {
    const o = record(a, '', ['view', 'display', 'dir']);
    return { view: validateView(o.view, 'view'), display: validateDisplay(o.display, 'display'), dir: nullablePath(o.dir, 'dir') };
  },
  getJob: (a) => ({ jobId: jobId(record(a, '', ['jobId']).jobId) }),
  cancelJob: (a) => ({ jobId: jobId(record(a, '', ['jobId']).jobId) }),
};

export function isHostRequestName(name: unknown): name is HostRequestName {
  return typeof name === 'string' && (HOST_REQUEST_NAMES as readonly string[]).includes(name);
}

/** Returns the arguments rebuilt from checked parts only (unknown fields are refused, not copied). */
export function validateRequest<K extends HostRequestName>(name: K, args: unknown): HostArgs<K> {
  if (!isHostRequestName(name)) throw new RequestValidationError('request', `unknown request ${describe(name)}`);
  return (VALIDATORS[name] as (a: unknown) => HostArgs<K>)(args);
}
