import type { MainView } from '../appState';
import { h } from '../dom/element';

const VIEWS: { view: MainView; label: string }[] = [
  { view: 'images', label: 'Images' },
  { view: 'lessons', label: 'Lessons' },
];

/** The app bar's dashboards, TensorBoard-style: one button per view, the shown one marked current. */
export class AppTabs {
  readonly element: HTMLElement;
  private readonly buttons: HTMLButtonElement[];

  constructor(show: (view: MainView) => void) {
    this.buttons = VIEWS.map(({ view, label }) => {
      const b = h('button', { type: 'button', class: 'appbar-tab appbar-tab-button', 'data-testid': `tab-${view}` }, label);
      b.addEventListener('click', () => show(view));
      return b;
    });
    this.element = h('nav', { class: 'appbar-tabs', 'aria-label': 'Dashboards' }, ...this.buttons);
    this.render('images');
  }

  render(current: MainView): void {
    VIEWS.forEach(({ view }, i) => {
      const b = this.buttons[i]!;
      b.classList.toggle('active', view === current);
      b.setAttribute('aria-pressed', String(view === current));
    });
  }
}
