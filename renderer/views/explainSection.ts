import type { ExplainTab } from '../appState';
import { h } from '../dom/element';

const TABS: { tab: ExplainTab; label: string }[] = [
  { tab: 'trace', label: 'Trace a value' },
  { tab: 'geometry', label: 'Layer geometry' },
  { tab: 'ab', label: 'A/B compare' },
];

/**
 * The Explain section right under the cards (above the charts): a tab list over the trace panel,
 * the layer geometry and the A/B comparison, one shown at a time. Arrow keys move between tabs.
 */
export class ExplainSection {
  readonly element: HTMLElement;
  private readonly tabs: HTMLButtonElement[];
  private readonly panels: HTMLElement[];

  constructor(views: Record<ExplainTab, HTMLElement>, show: (tab: ExplainTab) => void) {
    this.tabs = TABS.map(({ tab, label }) => {
      const b = h('button', { type: 'button', role: 'tab', id: `explain-tab-${tab}`, class: 'explain-tab', 'data-testid': `explain-tab-${tab}`, 'aria-controls': `explain-panel-${tab}` }, label);
      b.addEventListener('click', () => show(tab));
      return b;
    });
    this.panels = TABS.map(({ tab }) => h('div', { role: 'tabpanel', id: `explain-panel-${tab}`, 'aria-labelledby': `explain-tab-${tab}` }, views[tab]));
    const list = h('div', { class: 'explain-tabs', role: 'tablist', 'aria-label': 'Explain' }, ...this.tabs);
    list.addEventListener('keydown', (event) => {
      const at = this.tabs.indexOf(document.activeElement as HTMLButtonElement);
      if (at < 0) return;
      const to = event.key === 'ArrowRight' ? at + 1 : event.key === 'ArrowLeft' ? at - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? this.tabs.length - 1 : null;
      if (to === null) return;
      event.preventDefault();
      const next = (to + this.tabs.length) % this.tabs.length;
      show(TABS[next]!.tab);
      this.tabs[next]!.focus();
    });
    this.element = h('section', { class: 'explain-section', id: 'explain', tabindex: -1, 'aria-label': 'Explain', 'data-testid': 'explain-section' }, list, ...this.panels);
    this.render('trace');
  }

  render(current: ExplainTab): void {
    TABS.forEach(({ tab }, i) => {
      const on = tab === current;
      this.tabs[i]!.setAttribute('aria-selected', String(on));
      this.tabs[i]!.tabIndex = on ? 0 : -1;
      this.panels[i]!.hidden = !on;
    });
  }
}
