import { DATASET_CATALOG, type DatasetId } from '../../core/datasetCatalog';
import type { JobView } from '../appState';
import { h, option } from '../dom/element';
import { ProgressRow } from './progressRow';

/** The catalog's titles without the "(binary version)" the catalog adds for the CLI. */
function shortTitle(id: DatasetId): string {
  return DATASET_CATALOG[id].title.replace(/\s*\(.*\)$/, '');
}

/**
 * "Download CIFAR-10": offered while the embedded sample is open, fetches a catalog dataset into
 * the back end's data folder and opens it; progress and Cancel like the other long jobs.
 */
export class DownloadRow {
  readonly element: HTMLDivElement;
  private readonly select = h('select', { id: 'download-dataset', 'aria-label': 'dataset to download' });
  private readonly button = h('button', { type: 'button', class: 'button', id: 'download-start' });
  private readonly progress: ProgressRow;
  private readonly error = h('div', { class: 'field-error', role: 'alert', 'data-testid': 'error-download' });

  constructor(onStart: (dataset: DatasetId) => void, onCancel: () => void) {
    const ids = Object.keys(DATASET_CATALOG) as DatasetId[];
    this.select.replaceChildren(...ids.map((id) => option(id, shortTitle(id), id === 'cifar-10')));
    const label = () => (this.button.textContent = `Download ${shortTitle(this.select.value as DatasetId)}`);
    label();
    this.select.addEventListener('change', label);
    this.button.addEventListener('click', () => onStart(this.select.value as DatasetId));
    this.progress = new ProgressRow('download', 'download', onCancel);
    this.element = h(
      'div',
      { class: 'download-row', 'data-testid': 'download-row' },
      h('div', { class: 'muted' }, 'No dataset yet? Fetch one from its publisher (into the data folder of the machine running ConvBoard):'),
      h('div', { class: 'open-row' }, this.select, this.button),
      this.progress.element,
      this.error,
    );
  }

  render(job: JobView, error: string | undefined): void {
    this.progress.render(job);
    this.button.disabled = job.state === 'running';
    this.select.disabled = job.state === 'running';
    this.error.textContent = error ?? '';
  }
}
