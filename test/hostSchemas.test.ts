import { describe, expect, it } from 'vitest';
import { DEFAULT_DISPLAY } from '../core/displayPresets';
import { DEFAULT_LAYER, DEFAULT_VIEW } from '../core/hostContract';
import { HOST_REQUEST_NAMES, HOST_REQUEST_SCHEMAS, HostArgsError, labelFor, parseHostArgs, PATH_LIMITS } from '../core/hostSchemas';
import { LAYER_LIMITS } from '../core/layerConfig';
import { VIEW_LIMITS } from '../core/viewConfig';
import { WEIGHT_SOURCE_LIMITS } from '../core/weightSource';
import { PRESET_NAMES } from '../core/weightPresets';
import { Session } from '../main/session/session';

const LIMITS = { ...LAYER_LIMITS, ...VIEW_LIMITS, ...WEIGHT_SOURCE_LIMITS, ...PATH_LIMITS };
const validateRequest = parseHostArgs;

/** The refusal, checked to be one line that starts with the field's user-facing label; `field` is its argument path. */
function refusal(name: string, args: unknown): { message: string; field: string } {
  try {
    parseHostArgs(name as never, args);
  } catch (e) {
    expect(e).toBeInstanceOf(HostArgsError);
    const err = e as HostArgsError;
    expect(err.message).not.toContain('\n');
    expect(err.message.startsWith(`${labelFor(err.path)}: `)).toBe(true);
    return { message: err.message, field: err.path };
  }
  throw new Error(`${name} accepted ${JSON.stringify(args)}`);
}

const layer = (patch: Record<string, unknown>) => ({ config: { ...DEFAULT_LAYER, ...patch } });
const step = (viewPatch: Record<string, unknown>, s: unknown = 0) => ({ view: { ...DEFAULT_VIEW, ...viewPatch }, step: s });

describe('host request schemas', () => {
  it('has a schema for every request the session answers, and no schema without a handler', async () => {
    const session = await Session.open({ dataPath: null });
    try {
      expect(Object.keys(session.handlers).sort()).toEqual(Object.keys(HOST_REQUEST_SCHEMAS).sort());
      expect([...HOST_REQUEST_NAMES].sort()).toEqual(Object.keys(HOST_REQUEST_SCHEMAS).sort());
    } finally {
      await session.close();
    }
  });

  it('speaks the user\'s words: nn.Conv2d names and page labels, not contract keys', () => {
    expect(refusal('setLayer', layer({ outChannels: 100000 })).message).toBe(`out_channels: must be from 1 to ${LIMITS.maxOutChannels}, got 100000`);
    expect(refusal('setLayer', layer({ kernelSize: [3, 0] })).message).toBe(`kernel_size (width): must be from 1 to ${LIMITS.maxKernel}, got 0`);
    expect(refusal('getStep', step({ batchSize: 0 })).message).toBe(`batch size: must be from 1 to ${LIMITS.maxBatchSize}, got 0`);
    expect(refusal('exportStep', { view: DEFAULT_VIEW, step: 0, display: { ...DEFAULT_DISPLAY, normalization: 'fixed', range: [2, 1] } }).message)
      .toBe('fixed range: low must be below high, got [2, 1]');
    expect(refusal('openDataset', { path: '' }).message).toBe('dataset path: is empty');
  });

  it('accepts the defaults for every request and rebuilds the arguments from checked fields', () => {
    const valid: Record<string, unknown> = {
      getDataset: {}, getLayer: {}, listPresets: {},
      listModelTensors: { bytes: new Uint8Array(4), fileName: 'model.pt' },
      openDataset: { path: '/data/cifar-10-batches-bin' },
      setLayer: { config: DEFAULT_LAYER },
      setWeights: { source: { kind: 'init', seed: 0 } },
      getStep: { view: DEFAULT_VIEW, step: 156 },
      exportStep: { view: DEFAULT_VIEW, step: 0, display: DEFAULT_DISPLAY },
      startStats: { view: DEFAULT_VIEW },
      startExportAll: { view: DEFAULT_VIEW, display: DEFAULT_DISPLAY, dir: null },
      startDownload: { dataset: 'cifar-10' },
      openLogdir: { logdir: '/runs' },
      getLoggedImage: { run: '.', tag: 'nn_conv2d_output', step: 3 },
      getJob: { jobId: '0b7c2e64-1d1b-4f6e-9a77-3a7f0c1d2e3f' },
      cancelJob: { jobId: '0b7c2e64-1d1b-4f6e-9a77-3a7f0c1d2e3f' },
    };
    expect(Object.keys(valid).sort()).toEqual([...HOST_REQUEST_NAMES].sort());
    for (const name of HOST_REQUEST_NAMES) {
      const out = validateRequest(name, valid[name]);
      expect(out).toEqual(valid[name]);
      expect(out).not.toBe(valid[name]);
    }
    expect(validateRequest('openDataset', { path: '/images', transform: { resize: 256, centerCrop: null } })).toEqual({ path: '/images', transform: { resize: 256, centerCrop: null } });
    expect(validateRequest('setLayer', layer({ padding: 'same' })).config.padding).toBe('same');
    const npy = validateRequest('setWeights', { source: { kind: 'npy', weight: new Uint8Array(10), weightName: 'w.npy' } });
    expect(npy.source).toEqual({ kind: 'npy', weight: new Uint8Array(10), weightName: 'w.npy', bias: null, biasName: null });
    if (PRESET_NAMES.length > 0) {
      expect(validateRequest('setWeights', { source: { kind: 'preset', name: PRESET_NAMES[0], seed: 3 } }).source).toMatchObject({ name: PRESET_NAMES[0] });
    }
  });

  it('refuses unknown requests, non-objects, unknown and missing fields', () => {
    expect(refusal('readFile', {}).field).toBe('request');
    expect(refusal('getDataset', null).message).toBe('arguments: expected an object, got null');
    expect(refusal('getDataset', { path: '/etc/passwd' }).field).toBe('path');
    expect(refusal('getStep', { view: DEFAULT_VIEW }).field).toBe('step');
    expect(refusal('setLayer', { config: { ...DEFAULT_LAYER, extra: 1 } }).field).toBe('config.extra');
    const { groups: _g, ...noGroups } = DEFAULT_LAYER;
    expect(refusal('setLayer', { config: noGroups }).message).toBe('groups: missing');
  });

  it('checks layer types and magnitudes, naming the field', () => {
    expect(refusal('setLayer', layer({ stride: [1.5, 1] })).message).toBe('stride (height): expected an integer, got 1.5');
    expect(refusal('setLayer', layer({ stride: 2 })).message).toBe('stride: expected a pair [h, w], got 2');
    expect(refusal('setLayer', layer({ kernelSize: [3, 0] })).field).toBe('config.kernelSize[1]');
    expect(refusal('setLayer', layer({ outChannels: 100000 })).field).toBe('config.outChannels');
    expect(refusal('setLayer', layer({ padding: 'full' })).field).toBe('config.padding');
    expect(refusal('setLayer', layer({ padding: [1, 1e9] })).field).toBe('config.padding[1]');
    expect(refusal('setLayer', layer({ paddingMode: 'mirror' })).message).toBe("padding_mode: expected one of 'zeros', 'reflect', 'replicate', 'circular', got \"mirror\"");
    expect(refusal('setLayer', layer({ bias: 'yes' })).field).toBe('config.bias');
    expect(refusal('setLayer', layer({ groups: NaN })).field).toBe('config.groups');
    // What PyTorch itself refuses is let through, so the page shows PyTorch's message (from planConv2d).
    expect(validateRequest('setLayer', layer({ stride: [0, 1], padding: [-1, 0], groups: 0 })).config.stride).toEqual([0, 1]);
  });

  it('checks views, steps and displays', () => {
    expect(refusal('getStep', step({ split: 'validation' })).field).toBe('view.split');
    expect(refusal('getStep', step({ batchSize: 0 })).field).toBe('view.batchSize');
    expect(refusal('getStep', step({ batchSize: 64.5 })).field).toBe('view.batchSize');
    expect(refusal('getStep', step({ shuffle: 1 })).field).toBe('view.shuffle');
    expect(refusal('getStep', step({}, -1)).field).toBe('step');
    expect(refusal('getStep', step({}, '3')).field).toBe('step');
    const ex = (d: Record<string, unknown>) => ({ view: DEFAULT_VIEW, step: 0, display: { ...DEFAULT_DISPLAY, ...d } });
    expect(refusal('exportStep', ex({ layout: 'grid' })).field).toBe('display.layout');
    expect(refusal('exportStep', ex({ normalization: 'fixed' })).message).toBe("fixed range: required when normalization is 'fixed'");
    expect(refusal('exportStep', ex({ normalization: 'fixed', range: [1, 1] })).field).toBe('display.range');
    expect(refusal('exportStep', ex({ range: [0, Infinity] })).field).toBe('display.range[1]');
    expect(refusal('exportStep', ex({ columns: 0 })).field).toBe('display.columns');
    expect(validateRequest('exportStep', ex({ normalization: 'fixed', range: [-1, 1] })).display.range).toEqual([-1, 1]);
  });

  it('checks weight sources: kinds, preset names, file bytes and sizes', () => {
    expect(refusal('setWeights', { source: { kind: 'random' } }).field).toBe('source.kind');
    expect(refusal('setWeights', { source: { kind: 'init', seed: -1 } }).field).toBe('source.seed');
    expect(refusal('setWeights', { source: { kind: 'init', seed: 0, name: 'x' } }).field).toBe('source.name');
    expect(refusal('setWeights', { source: { kind: 'preset', name: 'no-such-preset', seed: 0 } }).field).toBe('source.name');
    expect(refusal('setWeights', { source: { kind: 'npy', weight: [1, 2], weightName: 'w.npy' } }).message)
      .toBe('weight file: expected file bytes (Uint8Array)');
    expect(refusal('setWeights', { source: { kind: 'npy', weight: new Uint8Array(LIMITS.maxNpyBytes + 1), weightName: 'w.npy' } }).field).toBe('source.weight');
    expect(refusal('setWeights', { source: { kind: 'npy', weight: new Uint8Array(1), weightName: 'w.npy', bias: new Uint8Array(1) } }).field).toBe('source.biasName');
    expect(refusal('setWeights', { source: { kind: 'npy', weight: new Uint8Array(1), weightName: 'x'.repeat(300) } }).field).toBe('source.weightName');
  });

  it('checks paths and job ids', () => {
    expect(refusal('openDataset', { path: '' }).field).toBe('path');
    expect(refusal('openDataset', { path: 'a\0b' }).message).toBe('dataset path: contains a NUL character');
    expect(refusal('openDataset', { path: 'x'.repeat(LIMITS.maxPathLength + 1) }).field).toBe('path');
    expect(refusal('startExportAll', { view: DEFAULT_VIEW, display: DEFAULT_DISPLAY, dir: 7 }).field).toBe('dir');
    expect(refusal('getJob', { jobId: '../../etc' }).message).toBe('job id: not a job id');
    expect(refusal('cancelJob', { jobId: 42 }).field).toBe('jobId');
  });
});
