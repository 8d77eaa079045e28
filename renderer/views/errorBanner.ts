import { h } from '../dom/element';

/** The one place errors are shown; the app keeps working underneath, and the next success does not hide it by surprise. */
export class ErrorBanner {
  readonly element: HTMLDivElement;
  private readonly text: HTMLSpanElement;

  constructor() {
    this.text = h('span', { class: 'error-text', 'data-testid': 'error', role: 'alert', 'aria-live': 'assertive' });
    const close = h('button', { type: 'button', class: 'error-close', 'aria-label': 'Dismiss error', title: 'Dismiss' }, '×');
    close.addEventListener('click', () => this.clear());
    this.element = h('div', { class: 'error-banner', hidden: true }, h('span', { class: 'error-icon', 'aria-hidden': 'true' }, '!'), this.text, close);
  }

  show(message: string): void {
    this.text.textContent = message;
    this.element.hidden = false;
  }

  clear(): void {
    this.text.textContent = '';
    this.element.hidden = true;
  }
}
