import { h } from '../dom/element';

export interface CellGridOptions {
  caption: string;
  rows: number;
  cols: number;
  text: (r: number, c: number) => string;
  /** Extra classes per cell ('pad', 'active', 'done', 'current'). */
  classes?: (r: number, c: number) => string;
  /** Makes cells editable number inputs; called with the new integer. */
  edit?: (r: number, c: number, value: number) => void;
  editable?: (r: number, c: number) => boolean;
  testId?: string;
}

/** A small matrix as an accessible table; editable cells are labelled number inputs. */
export function cellGrid(o: CellGridOptions): HTMLTableElement {
  const body = h('tbody');
  for (let r = 0; r < o.rows; r++) {
    const tr = h('tr');
    for (let c = 0; c < o.cols; c++) {
      const cls = o.classes?.(r, c) ?? '';
      if (o.edit && (o.editable?.(r, c) ?? true)) {
        const input = h('input', { type: 'number', step: 1, 'aria-label': `${o.caption} row ${r} column ${c}` });
        input.value = o.text(r, c);
        input.addEventListener('change', () => {
          const v = Math.trunc(Number(input.value));
          if (Number.isFinite(v)) o.edit!(r, c, v);
        });
        tr.append(h('td', { class: cls }, input));
      } else tr.append(h('td', { class: cls }, o.text(r, c)));
    }
    body.append(tr);
  }
  return h('table', { class: 'cell-grid', 'data-testid': o.testId }, h('caption', {}, o.caption), body);
}
