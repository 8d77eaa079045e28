import type { LayerConfig, LayerState } from '../../core/hostContract';
import { PADDING_MODES, type PaddingMode } from '../../core/conv2dOptions';
import type { LayerShape } from '../../core/layerShape';
import type { ErrorMap, ErrorSlot, WeightChoice } from '../appState';
import type { WeightIntent } from '../appController';
import { field, h, numberInput, option } from '../dom/element';
import { ModelTensorPicker } from './modelTensorPicker';
import { PoolFields } from './poolFields';

export interface LayerPanelEvents {
  configChanged(config: LayerConfig): void;
  weightsChanged(source: WeightIntent): void;
  /** The workflow's defaults again (layer, weights, display). */
  reset(): void;
  /** The layer in use as PyTorch code, for the clipboard; resolves with the text copied. */
  copyCode(): Promise<string>;
}

type PairInputs = [HTMLInputElement, HTMLInputElement];

/**
 * nn.Conv2d's arguments as a form. Every change is sent as is: the back end validates with the core's
 * own messages (PyTorch's wording) and the message appears next to the field; the last valid output
 * stays on screen until a valid configuration arrives.
 */
export class LayerPanel {
  readonly element: HTMLElement;
  private readonly outChannels = numberInput(1, 512, 6);
  private readonly kernel: PairInputs = [numberInput(1, 32, 3), numberInput(1, 32, 3)];
  private readonly stride: PairInputs = [numberInput(1, 32, 1), numberInput(1, 32, 1)];
  private readonly paddingKind = h('select', {}, option('numbers', '(h, w)'), option('same', "'same'"), option('valid', "'valid'"));
  private readonly padding: PairInputs = [numberInput(0, 32, 0), numberInput(0, 32, 0)];
  private readonly dilation: PairInputs = [numberInput(1, 32, 1), numberInput(1, 32, 1)];
  private readonly groups = numberInput(1, 512, 1);
  private readonly bias = h('input', { type: 'checkbox' });
  private readonly paddingMode = h('select', {}, ...PADDING_MODES.map((m) => option(m, `'${m}'`)));
  private readonly relu = h('input', { type: 'checkbox', 'data-testid': 'layer-relu' });
  private readonly pool: PoolFields;
  private readonly weightKind = h(
    'select',
    {},
    option('init', 'nn.Conv2d default init'),
    option('preset', 'preset'),
    option('npy', 'load .npy'),
    option('model', 'model file'),
  );
  private readonly modelPicker: ModelTensorPicker;
  private readonly seed = numberInput(0, 2 ** 31 - 1, 0);
  private readonly preset = h('select', {});
  private readonly weightFile = h('input', { type: 'file', accept: '.npy' });
  private readonly biasFile = h('input', { type: 'file', accept: '.npy' });
  private readonly loadNpy = h('button', { type: 'button', class: 'button' }, 'Load .npy');
  private readonly presetRow: HTMLElement;
  private readonly npyRows: HTMLElement;
  private readonly seedRow: HTMLElement;
  private readonly errors = new Map<ErrorSlot, HTMLSpanElement>();
  private readonly shapeText = h('div', { class: 'shape-line', 'data-testid': 'output-shape' });
  private readonly weightText = h('div', { class: 'muted' });
  private readonly formulaH = h('code', { 'data-testid': 'formula-h' });
  private readonly formulaW = h('code', { 'data-testid': 'formula-w' });
  private readonly poolShapeText = h('div', { class: 'shape-line', 'data-testid': 'layer-pool-shape' });
  private readonly poolFormulaH = h('code', { 'data-testid': 'pool-formula-h' });
  private readonly poolFormulaW = h('code', { 'data-testid': 'pool-formula-w' });
  private readonly poolShapeBox: HTMLElement;
  private readonly weightNote = h('div', { class: 'weight-note', 'data-testid': 'weight-note', role: 'status', hidden: true });
  private weights: WeightChoice | null = null;
  private readonly resetButton = h('button', { type: 'button', class: 'button', 'data-testid': 'layer-reset', title: 'nn.Conv2d(3, 6, 3), seed 0, the TensorBoard display, batch 64' }, 'Reset to defaults');
  private readonly copyButton = h('button', { type: 'button', class: 'button', 'data-testid': 'layer-copy' }, 'Copy as PyTorch');
  private readonly copyStatus = h('div', { class: 'muted copy-status', 'data-testid': 'copy-status', 'aria-live': 'polite' });

  constructor(private readonly events: LayerPanelEvents) {
    const pairRow = (label: string, inputs: PairInputs, slot: ErrorSlot, prefix?: HTMLElement): HTMLElement => {
      inputs[0].setAttribute('aria-label', `${label} (h)`);
      inputs[1].setAttribute('aria-label', `${label} (w)`);
      inputs[0].id = `layer-${slot}-h`;
      inputs[1].id = `layer-${slot}-w`;
      const error = h('span', { class: 'field-error', role: 'alert', 'data-testid': `error-${slot}` });
      this.errors.set(slot, error);
      return h(
        'div',
        { class: 'field' },
        h('label', { for: inputs[0].id }, label),
        h('span', { class: 'pair' }, prefix ?? null, inputs[0], h('label', { for: inputs[1].id, class: 'pair-sep' }, '×'), inputs[1]),
        error,
      );
    };
    const single = (label: string, control: HTMLElement, slot: ErrorSlot, id: string): HTMLElement => {
      control.id = `layer-${id}`;
      const f = field(label, control);
      f.error.setAttribute('data-testid', `error-${slot}`);
      this.errors.set(slot, f.error);
      return f.row;
    };
    this.bias.checked = true;
    const sendConfig = () => {
      this.syncPaddingInputs();
      this.events.configChanged(this.readConfig());
    };
    this.pool = new PoolFields(sendConfig);
    this.errors.set('pool', this.pool.error);
    this.modelPicker = new ModelTensorPicker({
      fileOpened: (bytes, fileName) => this.events.weightsChanged({ kind: 'modelFile', bytes, fileName }),
      tensorChosen: (weightName, biasName) => this.events.weightsChanged({ kind: 'model', weightName, biasName }),
    });
    this.poolShapeBox = h(
      'div',
      { class: 'pool-shape', hidden: true },
      this.poolShapeText,
      h('div', { class: 'formula' }, h('span', {}, 'H_pool = '), this.poolFormulaH),
      h('div', { class: 'formula' }, h('span', {}, 'W_pool = '), this.poolFormulaW),
    );
    this.paddingKind.id = 'layer-padding-kind';
    const paddingKind = h('span', { class: 'pair-kind' }, h('label', { for: this.paddingKind.id, class: 'visually-hidden' }, 'padding kind'), this.paddingKind);
    const paddingRow = pairRow('padding', this.padding, 'padding', paddingKind);

    this.seedRow = single('seed', this.seed, 'seed', 'seed');
    this.preset.id = 'layer-preset';
    this.presetRow = field('preset', this.preset).row;
    this.weightKind.id = 'layer-weight-source';
    this.weightFile.id = 'layer-weight-npy';
    this.biasFile.id = 'layer-bias-npy';
    this.npyRows = h(
      'div',
      { class: 'npy-rows' },
      field('weight .npy', this.weightFile).row,
      field('bias .npy (optional)', this.biasFile).row,
      h('div', { class: 'field' }, this.loadNpy),
    );
    const layerError = h('div', { class: 'field-error panel-error', role: 'alert', 'data-testid': 'error-layer' });
    this.errors.set('layer', layerError);
    const weightsError = h('div', { class: 'field-error panel-error', role: 'alert', 'data-testid': 'error-weights' });
    this.errors.set('weights', weightsError);

    this.element = h(
      'section',
      { class: 'panel', 'aria-label': 'Layer' },
      h('h2', { class: 'panel-title' }, 'Layer ', h('code', { class: 'panel-code' }, 'nn.Conv2d')),
      h('div', { class: 'layer-actions' }, this.resetButton, this.copyButton),
      this.copyStatus,
      layerError,
      single('out_channels', this.outChannels, 'outChannels', 'out-channels'),
      pairRow('kernel_size', this.kernel, 'kernelSize'),
      pairRow('stride', this.stride, 'stride'),
      paddingRow,
      pairRow('dilation', this.dilation, 'dilation'),
      single('groups', this.groups, 'groups', 'groups'),
      single('bias', this.bias, 'bias', 'bias'),
      single('padding_mode', this.paddingMode, 'paddingMode', 'padding-mode'),
      single('nn.ReLU', this.relu, 'relu', 'relu'),
      this.pool.element,
      h(
        'div',
        { class: 'shape-box' },
        this.shapeText,
        h('div', { class: 'formula' }, h('span', {}, 'H_out = '), this.formulaH),
        h('div', { class: 'formula' }, h('span', {}, 'W_out = '), this.formulaW),
        this.poolShapeBox,
      ),
      h('h3', { class: 'panel-subtitle' }, 'Weights'),
      field('source', this.weightKind).row,
      this.seedRow,
      this.presetRow,
      this.npyRows,
      this.modelPicker.element,
      weightsError,
      this.weightNote,
      this.weightText,
    );

    for (const control of [this.outChannels, ...this.kernel, ...this.stride, this.paddingKind, ...this.padding, ...this.dilation, this.groups, this.bias, this.paddingMode, this.relu]) {
      control.addEventListener('change', sendConfig);
    }
    this.weightKind.addEventListener('change', () => {
      this.syncWeightRows();
      const kind = this.weightKind.value;
      if (kind === 'init' || kind === 'preset') this.events.weightsChanged(this.readSeededSource());
      else if (kind === 'npy' && this.weights?.npy && !this.weightFile.files?.length) {
        // The files loaded earlier are still in the page: switching back uses them again.
        const { weight, weightName, bias, biasName } = this.weights.npy;
        this.events.weightsChanged({ kind: 'npy', weight, weightName, bias, biasName });
      } else if (kind === 'model' && this.weights?.model?.weightName) {
        // So is the model file: its tensor is loaded again, and the layer takes its shape again.
        const { weightName, biasName } = this.weights.model;
        this.events.weightsChanged({ kind: 'model', weightName, biasName });
      }
    });
    for (const control of [this.seed, this.preset]) control.addEventListener('change', () => this.events.weightsChanged(this.readSeededSource()));
    this.loadNpy.addEventListener('click', () => void this.sendNpy());
    this.resetButton.addEventListener('click', () => {
      this.copyStatus.textContent = '';
      this.events.reset();
    });
    this.copyButton.addEventListener('click', () => {
      this.events.copyCode().then(
        (code) => this.copyStatus.replaceChildren('copied: ', h('code', { 'data-testid': 'copied-code' }, code)),
        (error: unknown) => (this.copyStatus.textContent = `could not copy: ${error instanceof Error ? error.message : String(error)}`),
      );
    });
    this.syncPaddingInputs();
    this.syncWeightRows();
  }

  setPresets(names: string[]): void {
    this.preset.replaceChildren(...names.map((n) => option(n, n)));
    const presetOption = this.weightKind.querySelector('option[value="preset"]') as HTMLOptionElement | null;
    if (presetOption) presetOption.disabled = names.length === 0;
  }

  /** Fills the form from the back end's state (first load, dataset change). */
  setConfig(config: LayerConfig): void {
    this.outChannels.value = String(config.outChannels);
    setPair(this.kernel, config.kernelSize);
    setPair(this.stride, config.stride);
    if (typeof config.padding === 'string') this.paddingKind.value = config.padding;
    else {
      this.paddingKind.value = 'numbers';
      setPair(this.padding, config.padding);
    }
    setPair(this.dilation, config.dilation);
    this.groups.value = String(config.groups);
    this.bias.checked = config.bias;
    this.paddingMode.value = config.paddingMode;
    this.relu.checked = config.relu === true;
    this.pool.set(config.pool);
    this.syncPaddingInputs();
  }

  /** The layer in use: weight shape and description. */
  showLayer(layer: LayerState): void {
    this.weightText.textContent = `weight [${layer.weightShape.join(', ')}]${layer.bias ? `, bias [${layer.bias.length}]` : ', no bias'} — ${layer.weightDescription}`;
  }

  /** The output shape of the step on screen, or why it cannot be computed. */
  showShape(shape: LayerShape | string): void {
    if (typeof shape === 'string') {
      this.shapeText.textContent = shape;
      this.formulaH.textContent = '';
      this.formulaW.textContent = '';
      this.poolShapeBox.hidden = true;
      return;
    }
    const pool = shape.pool;
    this.shapeText.textContent = pool ? `Conv2d output [${shape.convShape.join(', ')}]` : `output shape [${shape.outputShape.join(', ')}]`;
    this.formulaH.textContent = shape.formulas.h;
    this.formulaW.textContent = shape.formulas.w;
    this.poolShapeBox.hidden = !pool;
    this.poolShapeText.textContent = pool ? `MaxPool2d output [${pool.shape.join(', ')}]` : '';
    this.poolFormulaH.textContent = pool?.formulas.h ?? '';
    this.poolFormulaW.textContent = pool?.formulas.w ?? '';
  }

  /** The weight fields as the layer in use has them (after a reload too), and why loaded weights are not in use. */
  showWeights(weights: WeightChoice): void {
    this.weights = weights;
    // A model file opened but none of its tensors loaded yet: the user is still choosing one.
    const choosing = this.weightKind.value === 'model' && weights.model?.weightName === null;
    if (!choosing) this.weightKind.value = weights.kind;
    if (document.activeElement !== this.seed) this.seed.value = String(weights.seed);
    if (weights.preset && [...this.preset.options].some((o) => o.value === weights.preset)) this.preset.value = weights.preset;
    this.weightNote.textContent = weights.note ?? '';
    this.weightNote.hidden = !weights.note;
    this.modelPicker.render(weights.model ?? null);
    this.syncWeightRows();
  }

  showErrors(errors: ErrorMap): void {
    let any = false;
    for (const [slot, element] of this.errors) {
      const message = errors[slot] ?? '';
      if (element.textContent !== message) element.textContent = message;
      if (message) any = true;
    }
    this.element.classList.toggle('has-error', any);
  }

  readConfig(): LayerConfig {
    const kind = this.paddingKind.value;
    return {
      outChannels: Number(this.outChannels.value),
      kernelSize: readPair(this.kernel),
      stride: readPair(this.stride),
      padding: kind === 'same' || kind === 'valid' ? kind : readPair(this.padding),
      dilation: readPair(this.dilation),
      groups: Number(this.groups.value),
      bias: this.bias.checked,
      paddingMode: this.paddingMode.value as PaddingMode,
      relu: this.relu.checked,
      pool: this.pool.read(),
    };
  }

  private readSeededSource(): WeightIntent {
    const seed = Number(this.seed.value);
    return this.weightKind.value === 'preset' ? { kind: 'preset', name: this.preset.value, seed } : { kind: 'init', seed };
  }

  private async sendNpy(): Promise<void> {
    const weight = this.weightFile.files?.[0];
    if (!weight) {
      const kept = this.weights?.npy;
      if (kept) this.events.weightsChanged({ kind: 'npy', weight: kept.weight, weightName: kept.weightName, bias: kept.bias, biasName: kept.biasName });
      else this.errors.get('weights')!.textContent = 'weight .npy: choose a file first';
      return;
    }
    const bias = this.biasFile.files?.[0] ?? null;
    this.events.weightsChanged({
      kind: 'npy',
      weight: new Uint8Array(await weight.arrayBuffer()),
      weightName: weight.name,
      bias: bias ? new Uint8Array(await bias.arrayBuffer()) : null,
      biasName: bias ? bias.name : null,
    });
  }

  private syncPaddingInputs(): void {
    const numbers = this.paddingKind.value === 'numbers';
    for (const input of this.padding) input.disabled = !numbers;
  }

  private syncWeightRows(): void {
    const kind = this.weightKind.value;
    this.presetRow.hidden = kind !== 'preset';
    this.npyRows.hidden = kind !== 'npy';
    this.modelPicker.element.hidden = kind !== 'model';
    // Presets are fixed filters: the seed means nothing to them.
    this.seedRow.hidden = kind !== 'init';
  }
}

function setPair(inputs: PairInputs, values: readonly [number, number]): void {
  inputs[0].value = String(values[0]);
  inputs[1].value = String(values[1]);
}

function readPair(inputs: PairInputs): [number, number] {
  return [Number(inputs[0].value), Number(inputs[1].value)];
}
