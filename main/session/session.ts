/**
 * The session service: one per window (Electron) or per server (browser mode). It owns the opened
 * dataset and the layer, answers every request of the Host contract, and hands all convolution
 * work to worker threads. It knows nothing of its transport: both hosts call `handle`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createFolder } from '../output/createFolder';
import type { ConvWeights } from '../../core/conv2dInit';
import { checkConv2dModule } from '../../core/conv2dModule';
import {
  DEFAULT_LAYER, DEFAULT_SEED, DEFAULT_VIEW, type DatasetInfo, type ExportAllResult, type ExportStepRequest,
  type HostRequestName, type HostResponse, type HostResult, type LayerConfig, type LayerState,
  type StatsResult, type StepRequest, type StepResult, type ViewConfig, type WeightSource,
} from '../../core/hostContract';
import { HostArgsError, isHostRequestName, parseHostArgs, type ParsedHostArgs } from '../../core/hostSchemas';
import { describeWeightSource, layerWeights, type ResolvedWeightSource, WeightShapeError } from '../../core/layerWeights';
import { parseNpy } from '../../core/npy';
import { checkWeightChannels } from '../../core/weightChannels';
import { PRESET_NAMES } from '../../core/weightPresets';
import { writeFileAtomic } from '../output/atomicWrite';
import { ComputeClient } from '../compute/computeClient';
import { ComputePool } from '../compute/computePool';
import { openDataset, type OpenedDataset } from '../datasets/datasetSource';
import { distPath } from '../appPaths';
import { SessionError, toHostError } from './hostErrors';
import { JobRegistry } from './jobs';
import { listModelTensorsFor, resolveModelWeights } from './modelWeightSource';
import { planLayerPipeline } from '../../core/layerPipeline';
import { planLayer } from './layerPlan';
import { gatherStep, viewStepCount } from './stepBatch';
import { StepCache } from './stepCache';
import { ExportConflictError, exportSteps } from './stepExport';
import { stepPngNames } from '../output/stepPngs';
import { exportFolderUnderRoot } from './exportRoot';
import { LayerBudgetError, planLayerWithinBudget } from './layerBudget';
import { defaultDataDir, startDownloadJob, type DownloadSettings } from './downloadJob';
import { LoggedRuns } from './loggedRuns';
import type { ImageFolderTransform } from '../datasets/datasetSource';

export interface SessionOptions {
  /** What to open first; null is the embedded sample. */
  dataPath: string | null;
  /** dist/computeWorker.js by default. */
  workerPath?: string;
  /** Workers for the dataset-wide passes (stats, export all). */
  poolSize?: number;
  log?: (line: string) => void;
  /** Electron asks the user with a dialog; browser mode has none, so a null path is refused. */
  chooseDatasetPath?: () => Promise<string | null>;
  /** Electron asks for a folder; with it, "export current step" also writes the two PNGs there. */
  chooseExportDir?: (purpose: 'step' | 'all') => Promise<string | null>;
  /** Electron asks for the log folder with a dialog: a folder named by the page is never read there. */
  chooseLogdir?: () => Promise<string | null>;
  /** Lift the per-step work budget (main/session/layerBudget.ts); `--allow-large` on the command line. */
  allowLarge?: boolean;
  /** Browser mode: export folders are sub-folders of this root, named by the page. */
  exportRoot?: string;
  /** Electron: the path behind an id main handed out; throws for anything else. */
  grantedPath?: (id: string, what: string) => string;
  /** Resize/CenterCrop for the first dataset when it is an image folder. */
  transform?: ImageFolderTransform;
  /** Where "Download" puts datasets, and mirror overrides; dataDir defaults to ./data. */
  download?: Partial<DownloadSettings>;
}

/** One step's output may not exceed this many floats (128 MB): beyond it the layer is refused. */
export const MAX_STEP_OUTPUT_FLOATS = 32 * 1024 * 1024;

interface Layer {
  config: LayerConfig;
  weights: ConvWeights;
  source: ResolvedWeightSource;
  description: string;
  /** Set when `source` is default init standing in for a chosen source that does not fit. */
  fallback?: { wanted: string; why: string };
}

type Handlers = { [K in HostRequestName]: (args: ParsedHostArgs<K>) => Promise<HostResult<K>> };

export class Session {
  private dataset: OpenedDataset;
  private layer: Layer;
  /** Bumped when the dataset or the layer changes; part of every cache key. */
  private generation = 0;
  private readonly cache = new StepCache<StepResult>(8, 96 * 1024 * 1024);
  private readonly inFlight = new Map<string, Promise<StepResult>>();
  private readonly jobs: JobRegistry;
  private readonly log: (line: string) => void;
  readonly compute: ComputeClient;
  private readonly workerPath: string;
  /** One pool for every job and export of this session: jobs queue on it instead of starting pools of their own. */
  private sharedPool: ComputePool | null = null;
  private closed = false;
  private readonly logged = new LoggedRuns();

  private constructor(private readonly options: SessionOptions, dataset: OpenedDataset) {
    this.dataset = dataset;
    this.log = options.log ?? (() => {});
    this.workerPath = options.workerPath ?? distPath('computeWorker.js');
    this.compute = new ComputeClient({ workerPath: this.workerPath, log: this.log });
    this.jobs = new JobRegistry((e) => toHostError(e, this.log));
    const source: ResolvedWeightSource = { kind: 'init', seed: DEFAULT_SEED };
    this.layer = this.buildLayer(DEFAULT_LAYER, source);
  }

  /** Opens the dataset (DatasetError when it cannot be read) and starts with the default layer. */
  static async open(options: SessionOptions): Promise<Session> {
    return new Session(options, await openDataset(options.dataPath, { transform: options.transform }));
  }

  /** The whole request path for a transport: validate, run, and wrap the answer or a one-line error. */
  async handle(name: string, args: unknown): Promise<HostResponse<HostRequestName>> {
    try {
      if (!isHostRequestName(name)) throw new HostArgsError('request', `unknown request '${String(name).slice(0, 40)}'`);
      if (this.closed) throw new SessionError('the session is closed');
      const valid = parseHostArgs(name, args);
      const value = await (this.handlers[name] as (a: unknown) => Promise<unknown>)(valid);
      return { ok: true, value: value as HostResult<HostRequestName> };
    } catch (e) {
      return { ok: false, error: toHostError(e, this.log) };
    }
  }

  /** The requests, with already-validated arguments (in-process callers and tests). */
  readonly handlers: Handlers = {
    getDataset: async () => this.dataset.info,
    openDataset: async ({ path, transform }) => this.openDataset(path, transform ? { ...(transform.resize !== null && { resize: transform.resize }), ...(transform.centerCrop !== null && { centerCrop: transform.centerCrop }) } : undefined),
    getLayer: async () => this.layerState(),
    setLayer: async ({ config }) => this.setLayer(config),
    setWeights: async ({ source }) => this.setWeights(source),
    listPresets: async () => ({ names: [...PRESET_NAMES] }),
    listModelTensors: async (args) => listModelTensorsFor(args, this.inChannels),
    getStep: async (req) => this.getStep(req),
    exportStep: async (req) => this.exportStep(req),
    startStats: async ({ view }) => ({ jobId: this.startStats(view) }),
    startExportAll: async (req) => ({ jobId: await this.startExportAll(req.view, req.display, req.dir, req.overwrite === true) }),
    startDownload: async ({ dataset }) => ({
      jobId: startDownloadJob(this.jobs, dataset, { dataDir: defaultDataDir(), ...this.options.download }, (path) => this.openDataset(path)),
    }),
    openLogdir: async ({ logdir }) => this.logged.open(await this.logdirToOpen(logdir)),
    getLoggedImage: async ({ run, tag, step }) => this.logged.image(run, tag, step),
    getJob: async ({ jobId }) => this.jobs.get(jobId) as HostResult<'getJob'>,
    cancelJob: async ({ jobId }) => ({ cancelled: this.jobs.cancel(jobId) }),
  };

  get datasetInfo(): DatasetInfo {
    return this.dataset.info;
  }

  /** Resolves when a job has stopped (tests and the CLI wait on it instead of polling). */
  settled(jobId: string) {
    return this.jobs.settled(jobId);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.jobs.cancelAll();
    await Promise.all([this.compute.close(), this.sharedPool?.close()]);
  }

  private get pool(): ComputePool {
    this.sharedPool ??= new ComputePool({ workerPath: this.workerPath, size: this.options.poolSize ?? 2, log: this.log });
    return this.sharedPool;
  }

  /** Plans a full batch of `view` from shapes (no weights made) and applies the work budget. */
  private planWithinBudget(config: LayerConfig, view: ViewConfig): void {
    try {
      planLayerWithinBudget(config, this.batchShape(view.batchSize), { allowLarge: this.options.allowLarge === true, overrideHint: 'start ConvBoard with --allow-large' });
    } catch (e) {
      if (e instanceof LayerBudgetError) throw new SessionError(e.message, null);
      throw e;
    }
  }

  private get inChannels(): number {
    return this.dataset.info.imageShape[0];
  }

  private batchShape(n: number): [number, number, number, number] {
    const [c, h, w] = this.dataset.info.imageShape;
    return [n, c, h, w];
  }

  private invalidate(): void {
    this.generation++;
    this.cache.clear();
    this.inFlight.clear();
  }

  /** Electron: only a folder the user picked in a dialog; browser mode: the path the page typed. */
  private async logdirToOpen(logdir: string | null): Promise<string> {
    if (this.options.chooseLogdir) {
      const chosen = await this.options.chooseLogdir();
      if (chosen === null) throw new SessionError('log folder: none chosen', 'logdir');
      return chosen;
    }
    if (logdir === null) throw new SessionError('log folder: type the path of a TensorBoard log folder', 'logdir');
    return logdir;
  }

  private async openDataset(path: string | null, transform?: ImageFolderTransform): Promise<DatasetInfo> {
    let chosen = path;
    if (chosen !== null && this.options.grantedPath) chosen = this.options.grantedPath(chosen, 'path');
    if (chosen === null) {
      if (!this.options.chooseDatasetPath) throw new SessionError('path: a dataset path is required here (a CIFAR folder, .bin or .tar.gz, MNIST-family idx files or their folder, or an image folder)', 'path');
      chosen = await this.options.chooseDatasetPath();
      if (chosen === null) return this.dataset.info;
    }
    const opened = await openDataset(chosen, { transform });
    const previous = this.dataset;
    this.dataset = opened;
    if (opened.info.imageShape[0] !== previous.info.imageShape[0]) {
      // The weights depend on the input channels (Conv2d(1, ...) for grey images, (3, ...) for
      // colour): rebuild them, and fall back to the default layer when groups no longer divide.
      let config = this.layer.config;
      try {
        checkConv2dModule(config, this.inChannels);
      } catch {
        config = DEFAULT_LAYER;
      }
      this.layer = this.buildLayer(config, this.layer.source.kind === 'npy' ? { kind: 'init', seed: DEFAULT_SEED } : this.layer.source);
    } else if (opened.info.imageShape.join() !== previous.info.imageShape.join()) {
      this.layer = this.buildLayer(this.layer.config, { kind: 'init', seed: DEFAULT_SEED });
    }
    this.invalidate();
    return opened.info;
  }

  /** Weights for `config` from `source`; a preset or file that no longer fits falls back to default init, and says so. */
  private buildLayer(config: LayerConfig, source: ResolvedWeightSource): Layer {
    try {
      return { config, weights: layerWeights(source, config, this.inChannels), source, description: describeWeightSource(source) };
    } catch (e) {
      const seed = source.kind === 'npy' || source.kind === 'model' ? DEFAULT_SEED : source.seed;
      const fallback: ResolvedWeightSource = { kind: 'init', seed };
      const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      return {
        config,
        weights: layerWeights(fallback, config, this.inChannels),
        source: fallback,
        description: `${describeWeightSource(fallback)} (${describeWeightSource(source)} does not fit this layer: ${why})`,
        fallback: { wanted: describeWeightSource(source), why: why ?? '' },
      };
    }
  }

  /** Plans a batch of the workflow's size and refuses layers whose output would not fit in memory. */
  private checkLayer(layer: Layer): void {
    const plan = planLayer(layer.config, layer.weights, this.batchShape(DEFAULT_VIEW.batchSize));
    const floats = plan.n * plan.cOut * plan.hOut * plan.wOut;
    if (floats > MAX_STEP_OUTPUT_FLOATS && this.options.allowLarge !== true) {
      throw new SessionError(
        `layer: one step's output would be [${plan.n}, ${plan.cOut}, ${plan.hOut}, ${plan.wOut}] = ${floats} floats, more than the ${MAX_STEP_OUTPUT_FLOATS} this app holds per step`,
        'outChannels',
      );
    }
  }

  private layerState(): LayerState {
    const { config, weights, description, source, fallback } = this.layer;
    return {
      config: structuredClone(config),
      weightShape: [...weights.weight.shape] as [number, number, number, number],
      weightDescription: description,
      source: {
        kind: source.kind,
        seed: source.kind === 'init' || source.kind === 'preset' ? source.seed : null,
        name: source.kind === 'init' ? null : source.kind === 'preset' ? source.name : describeWeightSource(source),
        fallback: fallback ? { ...fallback } : null,
      },
      weight: weights.weight.data.slice(),
      bias: weights.bias ? weights.bias.slice() : null,
    };
  }

  /** Validates the new layer on a batch-shaped input first; on any error the previous layer stays. */
  private setLayer(config: LayerConfig): LayerState {
    checkConv2dModule(config, this.inChannels);
    this.planWithinBudget(config, DEFAULT_VIEW);
    const next = this.buildLayer(config, this.layer.source);
    this.checkLayer(next);
    this.layer = next;
    this.invalidate();
    return this.layerState();
  }

  private setWeights(source: WeightSource): LayerState {
    let resolved: ResolvedWeightSource;
    let config = this.layer.config;
    if (source.kind === 'model') {
      // The layer follows the file's weight (its shape, and an ONNX Conv's attributes).
      ({ config, resolved } = resolveModelWeights(source, config, this.inChannels));
      checkConv2dModule(config, this.inChannels);
    } else if (source.kind === 'npy') {
      const weight = parseNpy(source.weight, source.weightName);
      const bias = source.bias && source.biasName ? parseNpy(source.bias, source.biasName) : null;
      resolved = { kind: 'npy', weight, weightName: source.weightName, bias, biasName: source.biasName };
    } else {
      resolved = source;
    }
    let weights: ConvWeights;
    try {
      if (resolved.kind === 'npy') checkWeightChannels(resolved.weight.shape, config, this.dataset.info.imageShape, resolved.weightName, this.dataset.info.title);
      weights = layerWeights(resolved, config, this.inChannels);
    } catch (e) {
      if (e instanceof WeightShapeError) throw new SessionError(e.message, 'weights');
      if (source.kind === 'preset' && e instanceof Error) throw new SessionError(e.message.split('\n')[0]!, 'weights');
      throw e;
    }
    const next: Layer = { config, weights, source: resolved, description: describeWeightSource(resolved) };
    this.checkLayer(next);
    this.layer = next;
    this.invalidate();
    return this.layerState();
  }

  private async getStep(req: StepRequest): Promise<StepResult> {
    const key = `${this.generation}|${JSON.stringify(req.view)}|${req.step}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const running = this.inFlight.get(key);
    if (running) return running;
    const promise = this.computeStep(req, key);
    this.inFlight.set(key, promise);
    try {
      return await promise;
    } finally {
      if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
    }
  }

  private async computeStep(req: StepRequest, key: string): Promise<StepResult> {
    const generation = this.generation;
    const { config, weights } = this.layer;
    this.planWithinBudget(config, req.view);
    const gathered = gatherStep(this.dataset, req.view, req.step);
    const batch = gathered instanceof Promise ? await gathered : gathered;
    const plan = planLayer(config, weights, batch.shape);
    if (plan.n * plan.cOut * plan.hOut * plan.wOut > MAX_STEP_OUTPUT_FLOATS && this.options.allowLarge !== true) {
      throw new SessionError(`batchSize: ${plan.n} images with this layer give more than the ${MAX_STEP_OUTPUT_FLOATS} output floats this app holds per step`, 'batchSize');
    }
    const pipeline = planLayerPipeline(plan, config);
    const r = await this.compute.run(
      { mode: 'step', plan, pipeline, pixels: batch.pixels, weight: weights.weight.data, bias: weights.bias },
      [batch.pixels.buffer as ArrayBuffer],
    );
    const result: StepResult = {
      step: batch.step,
      stepCount: batch.stepCount,
      indices: batch.indices,
      inputShape: batch.shape,
      input: r.input,
      labels: batch.labels,
      outputShape: pipeline.outputShape,
      output: r.output!,
      channelStats: r.channelStats,
      computeMs: r.computeMs,
    };
    // A layer change while this ran makes the result stale: answer it, but do not cache it.
    if (generation === this.generation) {
      this.cache.set(key, result, result.input.byteLength + result.output.byteLength);
    }
    return result;
  }

  /** The step's PNGs are computed and encoded in a worker: the main thread stays free for other requests. */
  private async exportStep(req: ExportStepRequest): Promise<HostResult<'exportStep'>> {
    const { config, weights } = this.layer;
    this.planWithinBudget(config, req.view);
    const batch = await gatherStep(this.dataset, req.view, req.step);
    const plan = planLayer(config, weights, batch.shape);
    const r = await this.pool.run(
      { mode: 'export', plan, pipeline: planLayerPipeline(plan, config), pixels: batch.pixels, weight: weights.weight.data, bias: weights.bias, display: req.display },
      [batch.pixels.buffer as ArrayBuffer],
    );
    const png = r.png!;
    const names = stepPngNames(batch.step);
    let savedTo: string | null = null;
    if (this.options.chooseExportDir) {
      savedTo = await this.options.chooseExportDir('step');
      if (savedTo !== null) {
        if (req.overwrite !== true) {
          for (const name of [names.input, names.output]) {
            if (existsSync(join(savedTo, name))) throw new ExportConflictError(join(savedTo, name), 'ask again with overwrite');
          }
        }
        await createFolder(join(savedTo, 'input'));
        await createFolder(join(savedTo, 'output'));
        await writeFileAtomic(join(savedTo, names.input), png.input.png);
        await writeFileAtomic(join(savedTo, names.output), png.output.png);
      }
    }
    return { input: { name: names.input, bytes: png.input.png }, output: { name: names.output, bytes: png.output.png }, savedTo };
  }

  private startStats(view: ViewConfig): string {
    const dataset = this.dataset;
    const { config, weights } = this.layer;
    const steps = viewStepCount(dataset, view);
    this.planWithinBudget(config, view);
    planLayer(config, weights, this.batchShape(view.batchSize));
    const pool = this.pool;
    return this.jobs.start<StatsResult>('stats', steps, async (ctx) => {
      const out: StatsResult['steps'] = new Array(steps);
      {
        await pool.map(
          steps,
          async (i) => {
            const batch = await gatherStep(dataset, view, i);
            const plan = planLayer(config, weights, batch.shape);
            const pipeline = planLayerPipeline(plan, config);
            return { request: { mode: 'stats', plan, pipeline, pixels: batch.pixels, weight: weights.weight.data, bias: weights.bias }, transfer: [batch.pixels.buffer as ArrayBuffer] };
          },
          (i, r) => {
            out[i] = { mean: r.channelStats.map((s) => s.mean), std: r.channelStats.map((s) => s.std) };
          },
          { signal: ctx.signal, onProgress: (done) => ctx.progress(done) },
        );
      }
      return { steps: out };
    });
  }

  private async startExportAll(view: ViewConfig, display: ExportStepRequest['display'], dir: string | null, overwrite: boolean): Promise<string> {
    const dataset = this.dataset;
    const { config, weights } = this.layer;
    const steps = viewStepCount(dataset, view);
    this.planWithinBudget(config, view);
    planLayer(config, weights, this.batchShape(view.batchSize));
    let outDir = dir;
    if (this.options.exportRoot !== undefined) {
      if (outDir === null) throw new SessionError(`dir: name a sub-folder of the export folder ${this.options.exportRoot} to write into`, 'dir');
      outDir = await exportFolderUnderRoot(this.options.exportRoot, outDir);
    } else if (outDir !== null && this.options.grantedPath) {
      outDir = this.options.grantedPath(outDir, 'dir');
    }
    if (outDir === null) {
      if (!this.options.chooseExportDir) throw new SessionError('dir: choose a folder to export into', 'dir');
      outDir = await this.options.chooseExportDir('all');
      if (outDir === null) throw new SessionError('dir: no folder chosen, nothing exported', 'dir');
    }
    const target = outDir;
    return this.jobs.start<ExportAllResult>('exportAll', steps, async (ctx) => {
      const r = await exportSteps({
        dataset, view, layer: config, weights, display, outDir: target, overwrite, overwriteHint: 'export again with overwrite',
        signal: ctx.signal, onProgress: (done) => ctx.progress(done), pool: this.pool,
      });
      return { dir: r.dir, files: r.files };
    });
  }
}
