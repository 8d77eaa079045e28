import type { DatasetInfo, Split, ViewConfig } from '../../core/hostContract';
import type { ErrorMap } from '../appState';
import { field, h, numberInput, option } from '../dom/element';

export interface DataPanelEvents {
  viewChanged(view: ViewConfig): void;
  highlight(classIndex: number | null): void;
  open(path: string | null): void;
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
  private readonly path = h('input', { type: 'text', id: 'data-path', placeholder: '/path/to/cifar-10-batches-bin', spellcheck: 'false' });
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
        ? h('div', { class: 'open-row' }, field('dataset path (folder, .bin or .tar.gz)', this.path).row, this.openButton)
        : h('div', { class: 'open-row' }, this.openButton);
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
      this.pathError,
    );
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
    const open = () => this.events.open(hostKind === 'browser' ? this.path.value.trim() : null);
    this.openButton.addEventListener('click', open);
    this.path.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') open();
    });
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
      const format = dataset.format === 'cifar-10' ? 'CIFAR-10 binary' : dataset.format === 'cifar-100' ? 'CIFAR-100 binary' : dataset.format;
      this.meta.textContent = `${format} · ${dataset.imageShape.join('×')} · ${dataset.source}`;
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
