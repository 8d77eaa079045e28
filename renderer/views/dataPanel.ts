import type { DatasetId } from '../../core/datasetCatalog';
import type { DatasetFormat, DatasetInfo, Split, ViewConfig } from '../../core/hostContract';
import type { DatasetTransform } from '../appController';
import type { ErrorMap, JobView } from '../appState';
import { field, h, numberInput, option } from '../dom/element';
import { DownloadRow } from './downloadRow';

export interface DataPanelEvents {
  viewChanged(view: ViewConfig): void;
  highlight(classIndex: number | null): void;
  open(path: string | null, transform?: DatasetTransform): void;
  download?(dataset: DatasetId): void;
  cancelDownload?(): void;
}

/** Every format the path field takes, as the user knows them. */
export const PATH_HINT = 'CIFAR folder, .bin or .tar.gz · MNIST-family idx file or folder · image folder (one subfolder per class)';

const FORMAT_NAMES: Record<DatasetFormat, string> = {
  'cifar-10': 'CIFAR-10 binary',
  'cifar-100': 'CIFAR-100 binary',
  mnist: 'MNIST idx',
  'fashion-mnist': 'Fashion-MNIST idx',
  kmnist: 'KMNIST idx',
  emnist: 'EMNIST idx',
  'image-folder': 'image folder (ImageFolder)',
};

/** "1×28×28 (grey)" / "3×32×32 (RGB)": the channel count decides the layer's in_channels. */
export function shapeText(shape: readonly [number, number, number]): string {
  return `${shape.join('×')} (${shape[0] === 1 ? 'grey, 1 channel' : `RGB, ${shape[0]} channels`})`;
}

/** An empty field is "not applied"; anything else is sent as typed for the back end to judge. */
function sideValue(input: HTMLInputElement): number | null {
  const text = input.value.trim();
  return text === '' ? null : Number(text);
}

/** What is open (marked when synthetic), the DataLoader view (split, batch size), and class highlighting. */
export class DataPanel {
  readonly element: HTMLElement;
  private readonly title = h('div', { class: 'dataset-title', 'data-testid': 'dataset-title' });
  private readonly meta = h('div', { class: 'muted dataset-meta' });
  private readonly split = h('select', { id: 'data-split' });
  private readonly batchSize = numberInput(1, 1024, 64);
  private readonly highlightSelect = h('select', { id: 'data-highlight' });
  private readonly classList = h('ul', { class: 'class-list' });
  private readonly path = h('input', { type: 'text', id: 'data-path', placeholder: '/path/to/cifar-10-batches-bin or ./data/MNIST/raw or ./images', spellcheck: 'false', title: PATH_HINT });
  private readonly resize = h('input', { type: 'number', id: 'data-resize', min: 1, max: 8192, step: 1, placeholder: 'none' });
  private readonly centerCrop = h('input', { type: 'number', id: 'data-center-crop', min: 1, max: 8192, step: 1, placeholder: 'none' });
  private readonly downloadRow: DownloadRow | null;
  private readonly openButton = h('button', { type: 'button', class: 'button' }, 'Open');
  private dataset: DatasetInfo | null = null;
  private view: ViewConfig | null = null;
  private readonly batchError: HTMLSpanElement;
  private readonly pathError = h('div', { class: 'field-error', role: 'alert', 'data-testid': 'error-datasetPath' });

  constructor(private readonly events: DataPanelEvents, hostKind: 'electron' | 'browser') {
    this.batchSize.id = 'data-batch-size';
    const batchField = field('batch_size', this.batchSize);
    this.batchError = batchField.error;
    this.batchError.setAttribute('data-testid', 'error-batchSize');
    const openRow =
      hostKind === 'browser'
        ? h('div', { class: 'open-row' }, field('dataset path', this.path, PATH_HINT).row, this.openButton)
        : h('div', { class: 'open-row' }, this.openButton, h('span', { class: 'hint' }, PATH_HINT));
    const transformRow = h(
      'div',
      { class: 'transform-row', 'data-testid': 'image-folder-transform' },
      h('span', { class: 'hint' }, 'image folder only (torchvision transforms, empty = not applied):'),
      field('Resize', this.resize).row,
      field('CenterCrop', this.centerCrop).row,
    );
    this.downloadRow = events.download ? new DownloadRow((d) => events.download!(d), () => events.cancelDownload?.()) : null;
    this.pathError.id = 'data-path-error';
    this.path.setAttribute('aria-describedby', this.pathError.id);
    if (hostKind === 'electron') this.openButton.textContent = 'Open dataset…';
    this.element = h(
      'section',
      { class: 'panel', 'aria-label': 'Data' },
      h('h2', { class: 'panel-title' }, 'Data'),
      this.title,
      this.meta,
      field('split', this.split).row,
      batchField.row,
      field('highlight class', this.highlightSelect).row,
      this.classList,
      openRow,
      transformRow,
      this.pathError,
      this.downloadRow?.element ?? null,
    );
    if (this.downloadRow) this.downloadRow.element.hidden = true;
    const sendView = () => {
      if (!this.view) return;
      // Sent as typed: the controller names what is wrong with 0, 2.5 or an empty field.
      const text = this.batchSize.value.trim();
      this.events.viewChanged({ ...this.view, split: this.split.value as Split, batchSize: text === '' ? NaN : Number(text) });
    };
    this.split.addEventListener('change', sendView);
    this.batchSize.addEventListener('change', sendView);
    this.highlightSelect.addEventListener('change', () => {
      const v = this.highlightSelect.value;
      this.events.highlight(v === '' ? null : Number(v));
    });
    const open = () => {
      const transform = { resize: sideValue(this.resize), centerCrop: sideValue(this.centerCrop) };
      this.events.open(hostKind === 'browser' ? this.path.value.trim() : null, transform.resize === null && transform.centerCrop === null ? undefined : transform);
    };
    this.openButton.addEventListener('click', open);
    this.path.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') open();
    });
  }

  /** The download job's progress (the row itself shows only while the embedded sample is open). */
  showDownload(job: JobView, errors: ErrorMap): void {
    this.downloadRow?.render(job, errors.download);
  }

  showErrors(errors: ErrorMap): void {
    this.batchError.textContent = errors.batchSize ?? errors.split ?? '';
    this.pathError.textContent = errors.datasetPath ?? '';
    this.batchSize.setAttribute('aria-invalid', String(Boolean(errors.batchSize)));
    this.path.setAttribute('aria-invalid', String(Boolean(errors.datasetPath)));
  }

  render(dataset: DatasetInfo, view: ViewConfig, highlight: number | null): void {
    const datasetChanged = dataset !== this.dataset;
    this.dataset = dataset;
    this.view = view;
    if (datasetChanged) {
      this.title.replaceChildren(dataset.title);
      if (dataset.synthetic) this.title.append(h('span', { class: 'badge badge-warn', 'data-testid': 'synthetic-badge', title: 'Generated images, not CIFAR: open a dataset to see real ones' }, 'synthetic sample'));
      this.meta.textContent = `${FORMAT_NAMES[dataset.format] ?? dataset.format} · ${shapeText(dataset.imageShape)} · ${dataset.source}`;
      if (this.downloadRow) this.downloadRow.element.hidden = !dataset.synthetic;
      this.split.replaceChildren(...dataset.splits.map((s) => option(s.split, `${s.split} (${s.count} images)`)));
      this.highlightSelect.replaceChildren(option('', '(none)'), ...dataset.classNames.map((name, i) => option(String(i), `${i} ${name}`)));
    }
    this.split.value = view.split;
    if (document.activeElement !== this.batchSize) this.batchSize.value = String(view.batchSize);
    this.highlightSelect.value = highlight === null ? '' : String(highlight);
    const counts = dataset.classCounts[view.split] ?? [];
    this.classList.replaceChildren(
      ...dataset.classNames.map((name, i) => {
        const button = h('button', { type: 'button', class: i === highlight ? 'class-item selected' : 'class-item', 'aria-pressed': String(i === highlight), title: `Highlight ${name}` }, h('span', { class: 'class-index' }, String(i)), h('span', { class: 'class-name' }, name), h('span', { class: 'class-count' }, counts[i] !== undefined ? String(counts[i]) : ''));
        button.addEventListener('click', () => this.events.highlight(i === highlight ? null : i));
        const item = h('li', {}, button);
        return item;
      }),
    );
  }
}
