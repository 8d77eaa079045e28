import type { AppState } from '../appState';
import { field, h } from '../dom/element';
import { ProgressRow } from './progressRow';

export interface ExportEvents {
  exportStep(): void;
  exportAll(dir: string): void;
  cancel(): void;
}

/** PNGs of the current step (same pixels as the screen and the CLI) and of every step, into a folder. */
export class ExportPanel {
  readonly element: HTMLElement;
  private readonly stepButton = h('button', { type: 'button', class: 'button', 'data-testid': 'export-step' }, 'Export current step (PNG)');
  private readonly stepError = h('div', { class: 'field-error', role: 'alert', 'data-testid': 'error-exportStep' });
  private readonly dir = h('input', { type: 'text', id: 'export-dir', spellcheck: 'false', autocomplete: 'off' });
  private readonly dirError: HTMLSpanElement;
  private readonly allButton = h('button', { type: 'button', class: 'button', 'data-testid': 'export-all' }, 'Export all steps');
  private readonly progress: ProgressRow;
  private readonly status = h('div', { class: 'muted export-status', 'data-testid': 'export-status', 'aria-live': 'polite' });

  constructor(events: ExportEvents, hostKind: 'electron' | 'browser') {
    this.progress = new ProgressRow('export', 'export', () => events.cancel());
    const dirRow = field(hostKind === 'browser' ? 'folder on the server machine' : 'folder (empty: ask)', this.dir, hostKind === 'browser' ? 'an absolute path; created if missing' : undefined);
    this.dirError = dirRow.error;
    this.dirError.setAttribute('data-testid', 'error-exportDir');
    this.dirError.id = 'export-dir-error';
    this.dir.setAttribute('aria-describedby', this.dirError.id);
    this.element = h(
      'section',
      { class: 'panel', 'aria-label': 'Export' },
      h('h2', { class: 'panel-title' }, 'Export'),
      h('div', { class: 'field' }, this.stepButton),
      this.stepError,
      dirRow.row,
      h('div', { class: 'field' }, this.allButton),
      this.progress.element,
      this.status,
    );
    this.stepButton.addEventListener('click', () => events.exportStep());
    this.allButton.addEventListener('click', () => events.exportAll(this.dir.value.trim()));
    this.dir.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') events.exportAll(this.dir.value.trim());
    });
    // Electron's File menu items "Export current step" / "Export all steps" arrive as this event
    // (the main process's MENU_EVENT): the page knows the current step and display.
    window.addEventListener('convboard-menu', (event) => {
      const command = (event as CustomEvent<unknown>).detail;
      if (command === 'exportStep') events.exportStep();
      else if (command === 'exportAll') events.exportAll(this.dir.value.trim());
    });
  }

  render(state: AppState): void {
    const job = state.jobs.exportAll;
    this.progress.render(job);
    this.allButton.disabled = job.state === 'running';
    this.status.textContent = state.exportStatus;
    this.stepError.textContent = state.errors.exportStep ?? '';
    this.dirError.textContent = state.errors.exportDir ?? '';
    this.dir.setAttribute('aria-invalid', String(Boolean(state.errors.exportDir)));
  }
}
