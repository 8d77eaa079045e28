/** Builds DOM nodes without innerHTML: the page's CSP forbids inline code, and text is never parsed as markup. */
type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === 'class') node.className = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

let nextId = 0;
/** A unique id so every control can carry a <label for>. */
export function uid(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A labelled control in a field row: <div class="field"><label for>…</label>control<span class="field-error"></span></div>. */
export function field(labelText: string, control: HTMLElement, hint?: string): { row: HTMLDivElement; error: HTMLSpanElement } {
  if (!control.id) control.id = uid('f');
  const error = h('span', { class: 'field-error', role: 'alert' });
  const row = h('div', { class: 'field' }, h('label', { for: control.id }, labelText), control, hint ? h('span', { class: 'hint' }, hint) : null, error);
  return { row, error };
}

export function option(value: string, text: string, selected = false): HTMLOptionElement {
  const o = h('option', { value }, text);
  o.selected = selected;
  return o;
}

export function numberInput(min: number, max: number, value: number, step = 1): HTMLInputElement {
  const input = h('input', { type: 'number', min, max, step });
  input.value = String(value);
  return input;
}
