import { h, uid } from '../dom/element';

/** A labelled progress bar with a Cancel button, for the two dataset-wide jobs. */
export class ProgressRow {
  readonly element: HTMLDivElement;
  readonly cancel: HTMLButtonElement;
  private readonly bar: HTMLProgressElement;
  private readonly text: HTMLSpanElement;

  constructor(label: string, testId: string) {
    const id = uid('progress');
    this.bar = h('progress', { id, max: 1, value: 0, 'data-testid': `${testId}-progress` });
    this.text = h('span', { class: 'progress-text', 'data-testid': `${testId}-progress-text` });
    this.cancel = h('button', { type: 'button', class: 'button button-quiet' }, 'Cancel');
    this.element = h('div', { class: 'progress-row', hidden: true }, h('label', { for: id }, label), this.bar, this.text, this.cancel);
  }

  start(): void {
    this.element.hidden = false;
    this.cancel.disabled = false;
    this.bar.max = 1;
    this.bar.value = 0;
    this.text.textContent = 'starting…';
  }

  progress(done: number, total: number): void {
    this.bar.max = Math.max(1, total);
    this.bar.value = done;
    this.text.textContent = `${done} / ${total}`;
  }

  finish(message: string): void {
    this.cancel.disabled = true;
    this.text.textContent = message;
  }
}
