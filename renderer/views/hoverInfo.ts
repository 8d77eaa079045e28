import { h } from '../dom/element';

export interface HoverPart {
  label: string;
  value: string;
  testId?: string;
}

/** The read-out under the cards: what the pointer is over, in numbers. */
export class HoverInfo {
  readonly element: HTMLElement;
  private readonly idleText = 'Hover a grid to read pixel bytes, classes and activation values.';

  constructor() {
    this.element = h('div', { class: 'hover-info', 'data-testid': 'hover-info', 'aria-live': 'polite' }, this.idleText);
  }

  show(title: string, parts: HoverPart[]): void {
    this.element.replaceChildren(
      h('span', { class: 'hover-title' }, title),
      ...parts.map((p) => h('span', { class: 'hover-part' }, h('span', { class: 'hover-label' }, p.label), ' ', h('span', { class: 'hover-value', 'data-testid': p.testId }, p.value))),
    );
  }

  clear(): void {
    this.element.textContent = this.idleText;
  }
}
