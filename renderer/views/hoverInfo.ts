import { h } from '../dom/element';

export interface HoverPart {
  label: string;
  value: string;
  testId?: string;
}

const GAP = 14;

/** The read-out next to the pointer (or the keyboard cursor): what is under it, in numbers. */
export class HoverInfo {
  readonly element: HTMLElement;

  constructor() {
    this.element = h('div', { class: 'grid-tooltip', 'data-testid': 'hover-info', role: 'status', 'aria-live': 'polite', hidden: true });
  }

  /** `at`: the pointer (or cursor) position in viewport pixels. */
  show(title: string, parts: HoverPart[], at: { x: number; y: number }): void {
    this.element.replaceChildren(
      h('span', { class: 'hover-title' }, title),
      ...parts.map((p) => h('span', { class: 'hover-part' }, h('span', { class: 'hover-label' }, p.label), ' ', h('span', { class: 'hover-value', 'data-testid': p.testId }, p.value))),
    );
    this.element.hidden = false;
    // Right of and below the pointer, flipped when that would leave the window.
    const { width, height } = this.element.getBoundingClientRect();
    const left = at.x + GAP + width > window.innerWidth ? Math.max(0, at.x - GAP - width) : at.x + GAP;
    const top = at.y + GAP + height > window.innerHeight ? Math.max(0, at.y - GAP - height) : at.y + GAP;
    this.element.style.left = `${left}px`;
    this.element.style.top = `${top}px`;
  }

  clear(): void {
    this.element.hidden = true;
  }
}
