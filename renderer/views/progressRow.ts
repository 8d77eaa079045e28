import type { JobView } from '../appState';
import { h, uid } from '../dom/element';

/** A labelled progress bar with a Cancel button, for the two dataset-wide jobs. */
export class ProgressRow {
  readonly element: HTMLDivElement;
  readonly cancel: HTMLButtonElement;
  private readonly bar: HTMLProgressElement;
  private readonly text: HTMLSpanElement;

  constructor(label: string, testId: string, onCancel: () => void) {
    const id = uid('progress');
    this.bar = h('progress', { id, max: 1, value: 0, 'data-testid': `${testId}-progress` });
    this.text = h('span', { class: 'progress-text', 'data-testid': `${testId}-progress-text` });
    this.cancel = h('button', { type: 'button', class: 'button button-quiet' }, 'Cancel');
    this.cancel.addEventListener('click', onCancel);
    this.element = h('div', { class: 'progress-row', hidden: true }, h('label', { for: id }, label), this.bar, this.text, this.cancel);
  }

  render(job: JobView): void {
    this.element.hidden = job.state === 'idle';
    this.cancel.disabled = job.state !== 'running';
    this.bar.max = Math.max(1, job.total);
    this.bar.value = job.done;
    this.text.textContent = job.text;
  }
}
