import type { ModelTensorEntry } from '../../core/hostContract';
import type { ModelFile } from '../appState';
import { h, option } from '../dom/element';

export interface ModelTensorPickerEvents {
  /** The user picked a model file: its bytes, read in the page. */
  fileOpened(bytes: Uint8Array, fileName: string): void;
  /** A tensor that fits was chosen, with its bias (null: none). */
  tensorChosen(weightName: string, biasName: string | null): void;
}

const NO_BIAS = '\u0000none';

/**
 * "Weights from a model file": the file, then its 4-D tensors with shape and dtype. Only those that
 * fit the layer's input can be chosen; the others say why. The bias paired with the weight is
 * used unless the user picks none.
 */
export class ModelTensorPicker {
  readonly element: HTMLElement;
  private readonly file = h('input', { type: 'file', id: 'layer-model-file', accept: '.pt,.pth,.bin,.ckpt,.safetensors,.npz,.onnx', 'data-testid': 'model-file' });
  private readonly list = h('ul', { class: 'model-tensors', 'data-testid': 'model-tensors', 'aria-label': 'weight tensors' });
  private readonly bias = h('select', { id: 'layer-model-bias', 'data-testid': 'model-bias' });
  private readonly biasRow: HTMLElement;
  private model: ModelFile | null = null;
  private chosen: string | null = null;

  constructor(private readonly events: ModelTensorPickerEvents) {
    this.biasRow = h('div', { class: 'field' }, h('label', { for: this.bias.id }, 'bias'), this.bias);
    this.element = h(
      'div',
      { class: 'model-rows' },
      h('div', { class: 'field' }, h('label', { for: this.file.id }, 'model file'), this.file),
      this.list,
      this.biasRow,
    );
    this.file.addEventListener('change', () => void this.readFile());
    this.bias.addEventListener('change', () => {
      if (this.chosen) this.events.tensorChosen(this.chosen, this.biasChoice());
    });
    this.render(null);
  }

  /** The file the page holds (or none), with the tensor in use checked. */
  render(model: ModelFile | null): void {
    if (model === this.model) return;
    this.model = model;
    this.chosen = model?.weightName ?? null;
    const weights = model?.tensors.filter((t) => t.shape.length === 4) ?? [];
    this.list.replaceChildren(...weights.map((t) => this.row(t)));
    if (model && weights.length === 0) this.list.append(h('li', { class: 'muted' }, `${model.fileName} holds no 4-D tensor to use as a conv weight`));
    this.syncBias(model?.biasName);
  }

  private row(t: ModelTensorEntry): HTMLElement {
    const radio = h('input', { type: 'radio', name: 'model-tensor', value: t.name, disabled: !t.fits });
    radio.checked = t.name === this.chosen;
    radio.addEventListener('change', () => {
      this.chosen = t.name;
      this.syncBias(undefined);
      this.events.tensorChosen(t.name, this.biasChoice());
    });
    const label = h('label', {}, radio, ' ', h('code', {}, t.name), ` [${t.shape.join(', ')}] ${t.dtype}`);
    return h('li', { 'data-tensor': t.name, class: t.fits ? 'fits' : 'does-not-fit' }, label, t.fits ? null : h('div', { class: 'muted why' }, t.why ?? 'does not fit'));
  }

  /** The bias choices for the chosen weight: its paired bias (the default) or none. `current`: the bias in use, if known. */
  private syncBias(current: string | null | undefined): void {
    const paired = this.model?.tensors.find((t) => t.name === this.chosen)?.pairedBias ?? null;
    this.bias.replaceChildren(...(paired ? [option(paired, paired)] : []), option(NO_BIAS, 'none'));
    this.bias.value = current === null || !paired ? NO_BIAS : paired;
    this.biasRow.hidden = !this.chosen;
  }

  private biasChoice(): string | null {
    return this.bias.value === NO_BIAS ? null : this.bias.value;
  }

  private async readFile(): Promise<void> {
    const file = this.file.files?.[0];
    if (!file) return;
    this.events.fileOpened(new Uint8Array(await file.arrayBuffer()), file.name);
  }
}
