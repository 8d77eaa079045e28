import type { PendingConfirm } from '../appState';
import { h } from '../dom/element';

/** A question in the page (a modal <dialog>), answered with the two buttons or Escape (no). */
export class ConfirmDialog {
  readonly element: HTMLDialogElement;
  private readonly title = h('h2', { class: 'dialog-title', id: 'confirm-title' });
  private readonly message = h('p', { class: 'dialog-message', id: 'confirm-message' });
  private readonly yes = h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'confirm-yes' }, 'Confirm');
  private readonly no = h('button', { type: 'button', class: 'button', 'data-testid': 'confirm-no' }, 'Cancel');
  private shown: PendingConfirm | null = null;

  constructor(answer: (yes: boolean) => void) {
    this.element = h(
      'dialog',
      { class: 'confirm-dialog', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-message', 'data-testid': 'confirm-dialog' },
      this.title,
      this.message,
      h('div', { class: 'dialog-buttons' }, this.no, this.yes),
    );
    this.yes.addEventListener('click', () => answer(true));
    this.no.addEventListener('click', () => answer(false));
    this.element.addEventListener('cancel', (event) => {
      event.preventDefault();
      answer(false);
    });
  }

  render(question: PendingConfirm | null): void {
    if (question === this.shown) return;
    this.shown = question;
    if (!question) {
      if (this.element.open) this.element.close();
      return;
    }
    this.title.textContent = question.title;
    this.message.textContent = question.message;
    this.yes.textContent = question.confirmLabel;
    if (!this.element.open) this.element.showModal();
    this.no.focus();
  }
}
