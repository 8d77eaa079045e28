export interface ShortcutActions {
  step(delta: number): void;
  first(): void;
  last(): void;
  togglePlay(): void;
}

/** Left/Right, Home/End and Space step through the data, except while typing in a form control. */
export function installKeyboardShortcuts(target: Document, actions: ShortcutActions): void {
  target.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const el = event.target as HTMLElement | null;
    const tag = el?.tagName;
    // The slider handles its own arrows (it fires 'input'), and text fields need their keys.
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || el?.isContentEditable) return;
    // Space on a focused button is that button's click.
    if (event.key === ' ' && tag === 'BUTTON') return;
    // Inside the sample panel or a dialog, keys belong there.
    if (el?.closest('dialog, .sample-panel')) return;
    const handlers: Record<string, () => void> = {
      ArrowLeft: () => actions.step(-1),
      ArrowRight: () => actions.step(1),
      Home: () => actions.first(),
      End: () => actions.last(),
      ' ': () => actions.togglePlay(),
    };
    const handler = handlers[event.key];
    if (!handler) return;
    event.preventDefault();
    handler();
  });
}
