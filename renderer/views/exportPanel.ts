import type { ExportAllResult, Host, PngFile, ViewConfig } from '../../core/hostContract';
import type { DisplayConfig } from '../../core/displayConfig';
import { field, h } from '../dom/element';
import { JobRunner } from './jobRunner';
import { ProgressRow } from './progressRow';

export interface ExportContext {
  host: Host;
  view(): ViewConfig;
  step(): number;
  display(): DisplayConfig;
  error(error: unknown): void;
}

/** PNGs of the current step (same pixels as the screen and the CLI) and of every step, into a folder. */
export class ExportPanel {
  readonly element: HTMLElement;
  private readonly stepButton = h('button', { type: 'button', class: 'button', 'data-testid': 'export-step' }, 'Export current step (PNG)');
  private readonly dir = h('input', { type: 'text', id: 'export-dir', placeholder: '/tmp/convboard-export', spellcheck: 'false' });
  private readonly allButton = h('button', { type: 'button', class: 'button', 'data-testid': 'export-all' }, 'Export all steps');
  private readonly progress = new ProgressRow('export', 'export');
  private readonly status = h('div', { class: 'muted export-status', 'data-testid': 'export-status', 'aria-live': 'polite' });
  private readonly job: JobRunner;

  constructor(private readonly context: ExportContext) {
    const dirRow = field(context.host.kind === 'browser' ? 'folder on the server machine' : 'folder (empty: ask)', this.dir);
    this.element = h(
      'section',
      { class: 'panel', 'aria-label': 'Export' },
      h('h2', { class: 'panel-title' }, 'Export'),
      h('div', { class: 'field' }, this.stepButton),
      dirRow.row,
      h('div', { class: 'field' }, this.allButton),
      this.progress.element,
      this.status,
    );
    this.job = new JobRunner(context.host, this.progress, this.allButton, (error) => context.error(error));
    this.stepButton.addEventListener('click', () => void this.exportStep());
    this.allButton.addEventListener('click', () => void this.exportAll());
    // Electron's File menu items "Export current step" / "Export all steps" arrive as this event
    // (main/ipcChannel.ts MENU_EVENT): the page knows the current step and display.
    window.addEventListener('convboard-menu', (event) => {
      const command = (event as CustomEvent<unknown>).detail;
      if (command === 'exportStep') void this.exportStep();
      else if (command === 'exportAll') void this.exportAll();
    });
  }

  private async exportStep(): Promise<void> {
    this.stepButton.disabled = true;
    try {
      const result = await this.context.host.request('exportStep', { view: this.context.view(), step: this.context.step(), display: this.context.display() });
      if (this.context.host.kind === 'browser') {
        download(result.input);
        download(result.output);
      }
      this.status.textContent = result.savedTo ? `saved to ${result.savedTo}` : `downloaded ${result.input.name} and ${result.output.name}`;
    } catch (error) {
      this.context.error(error);
    } finally {
      this.stepButton.disabled = false;
    }
  }

  private async exportAll(): Promise<void> {
    const dir = this.dir.value.trim();
    if (this.context.host.kind === 'browser' && !dir) {
      this.context.error(new Error('export folder: type the path of a folder to write the PNGs into'));
      return;
    }
    const outcome = await this.job.run<ExportAllResult>(
      () => this.context.host.request('startExportAll', { view: this.context.view(), display: this.context.display(), dir: dir || null }),
      'export',
      () => 'done',
    );
    if (outcome.state === 'finished') this.status.textContent = `wrote ${outcome.result.files} files to ${outcome.result.dir}`;
    else if (outcome.state === 'cancelled') this.status.textContent = 'export cancelled; no partial files were left';
  }
}

function download(file: PngFile): void {
  const url = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
  const link = h('a', { href: url, download: file.name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
