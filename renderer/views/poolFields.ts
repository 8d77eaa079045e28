import type { PoolConfig } from '../../core/layerConfig';
import { h, numberInput } from '../dom/element';

const DEFAULT_POOL: PoolConfig = { kernelSize: [2, 2], stride: null, padding: [0, 0], dilation: [1, 1], ceilMode: false };

type PairInputs = [HTMLInputElement, HTMLInputElement];

/**
 * nn.MaxPool2d's arguments as a group of fields: off, or kernel_size, stride (PyTorch's stride=None,
 * the kernel size, unless set), padding, dilation and ceil_mode. PyTorch's refusals go in `error`.
 */
export class PoolFields {
  readonly element: HTMLElement;
  /** Where a refusal of the pool (field 'pool') is shown. */
  readonly error = h('span', { class: 'field-error', role: 'alert', 'data-testid': 'error-pool' });
  private readonly enabled = h('input', { type: 'checkbox', id: 'layer-pool', 'data-testid': 'pool-enabled' });
  private readonly kernel: PairInputs = [numberInput(1, 32, 2), numberInput(1, 32, 2)];
  private readonly strideIsKernel = h('input', { type: 'checkbox', id: 'layer-pool-stride-default', 'data-testid': 'pool-stride-default' });
  private readonly stride: PairInputs = [numberInput(1, 32, 2), numberInput(1, 32, 2)];
  private readonly padding: PairInputs = [numberInput(0, 16, 0), numberInput(0, 16, 0)];
  private readonly dilation: PairInputs = [numberInput(1, 16, 1), numberInput(1, 16, 1)];
  private readonly ceilMode = h('input', { type: 'checkbox', id: 'layer-pool-ceil-mode' });
  private readonly body: HTMLElement;

  constructor(onChange: () => void) {
    this.strideIsKernel.checked = true;
    const pairRow = (label: string, inputs: PairInputs, id: string, before?: HTMLElement): HTMLElement => {
      inputs[0].id = `layer-pool-${id}-h`;
      inputs[1].id = `layer-pool-${id}-w`;
      inputs[0].setAttribute('aria-label', `pool ${label} (h)`);
      inputs[1].setAttribute('aria-label', `pool ${label} (w)`);
      return h(
        'div',
        { class: 'field' },
        h('label', { for: inputs[0].id }, label),
        h('span', { class: 'pair' }, before ?? null, inputs[0], h('label', { for: inputs[1].id, class: 'pair-sep' }, '×'), inputs[1]),
      );
    };
    const strideDefault = h('span', { class: 'pair-kind' }, this.strideIsKernel, h('label', { for: this.strideIsKernel.id }, ' = kernel'));
    this.body = h(
      'div',
      { class: 'pool-fields' },
      pairRow('kernel_size', this.kernel, 'kernel'),
      pairRow('stride', this.stride, 'stride', strideDefault),
      pairRow('padding', this.padding, 'padding'),
      pairRow('dilation', this.dilation, 'dilation'),
      h('div', { class: 'field' }, h('label', { for: this.ceilMode.id }, 'ceil_mode'), this.ceilMode),
    );
    this.element = h(
      'fieldset',
      { class: 'pool-group', 'data-testid': 'pool-group' },
      h('legend', {}, this.enabled, h('label', { for: this.enabled.id }, ' nn.MaxPool2d')),
      this.body,
      this.error,
    );
    for (const control of [this.enabled, ...this.kernel, this.strideIsKernel, ...this.stride, ...this.padding, ...this.dilation, this.ceilMode]) {
      control.addEventListener('change', () => {
        this.sync();
        onChange();
      });
    }
    this.sync();
  }

  /** Fills the fields from a layer (first load, reset): no pool leaves nn.MaxPool2d(2)'s values ready. */
  set(pool: PoolConfig | null | undefined): void {
    this.enabled.checked = !!pool;
    const shown = pool ?? DEFAULT_POOL;
    setPair(this.kernel, shown.kernelSize);
    this.strideIsKernel.checked = shown.stride === null;
    setPair(this.stride, shown.stride ?? shown.kernelSize);
    setPair(this.padding, shown.padding);
    setPair(this.dilation, shown.dilation);
    this.ceilMode.checked = shown.ceilMode;
    this.sync();
  }

  read(): PoolConfig | null {
    if (!this.enabled.checked) return null;
    return {
      kernelSize: readPair(this.kernel),
      stride: this.strideIsKernel.checked ? null : readPair(this.stride),
      padding: readPair(this.padding),
      dilation: readPair(this.dilation),
      ceilMode: this.ceilMode.checked,
    };
  }

  private sync(): void {
    this.body.hidden = !this.enabled.checked;
    // stride=None follows the kernel: show the numbers it stands for.
    if (this.strideIsKernel.checked) setPair(this.stride, readPair(this.kernel));
    for (const input of this.stride) input.disabled = this.strideIsKernel.checked;
  }
}

function setPair(inputs: PairInputs, values: readonly [number, number]): void {
  inputs[0].value = String(values[0]);
  inputs[1].value = String(values[1]);
}

function readPair(inputs: PairInputs): [number, number] {
  return [Number(inputs[0].value), Number(inputs[1].value)];
}
