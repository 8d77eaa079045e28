import { h } from '../dom/element';

/** Failures of no field (the server is gone, the token is wrong); the app keeps working underneath. */
export class ErrorBanner {
  readonly element: HTMLDivElement;
  private readonly text: HTMLSpanElement;

  constructor(dismiss: () => void) {
    this.text = h('span', { class: 'error-text', 'data-testid': 'error', role: 'alert', 'aria-live': 'assertive' });
    const close = h('button', { type: 'button', class: 'error-close', 'aria-label': 'Dismiss error', title: 'Dismiss' }, '×');
    close.addEventListener('click', dismiss);
    this.element = h('div', { class: 'error-banner', hidden: true }, h('span', { class: 'error-icon', 'aria-hidden': 'true' }, '!'), this.text, close);
  }

  render(message: string | null): void {
    if (this.text.textContent !== (message ?? '')) this.text.textContent = message ?? '';
    this.element.hidden = !message;
  }
}
