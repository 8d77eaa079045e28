import type { RgbaImage } from '../../core/rgbaImage';
import { h } from '../dom/element';

export interface TileRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A box drawn over the grid, in canvas pixels: the hovered pixel, a linked tile, a receptive field. */
export interface GridMark extends TileRect {
  kind: 'pixel' | 'tile' | 'field';
}

/**
 * The traced value's marks, kept apart from the hover marks (which come and go with the pointer):
 * the field's outline, each tap cell (padding taps outside the image), the next window (stride),
 * the tap row hovered in the trace panel, and the traced pixel on the output card.
 */
export interface TraceMark extends TileRect {
  kind: 'trace-padding' | 'trace-field' | 'trace-tap' | 'trace-pad' | 'trace-stride' | 'trace-active' | 'trace-pixel';
}

export interface GridCardEvents {
  /** The pointer or keyboard cursor is over canvas pixel (x, y); `at` is where to put a tooltip, in viewport pixels. */
  hover(x: number, y: number, at: { x: number; y: number }): void;
  leave(): void;
  /** A click (not a drag) or Enter on canvas pixel (x, y). */
  open(x: number, y: number): void;
  /** Ctrl+wheel or a pinch: +1 zooms in, -1 out. */
  zoomBy(delta: number): void;
}

/** A press that moves less than this is a click; more is a pan. */
const DRAG_PX = 4;

/**
 * One TensorBoard-style image card. The canvas always holds exactly one canvas pixel per image pixel
 * (what the export writes); zoom only scales it with CSS, pixelated. Class highlighting draws on a
 * separate overlay, and marks are boxes above it, so the grid's own pixels never change.
 * The canvas is focusable: arrow keys move a cursor over it with the same read-out as the pointer.
 */
export class GridCard {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly scroller: HTMLDivElement;
  private readonly overlay: HTMLCanvasElement;
  private readonly subtitle: HTMLSpanElement;
  private readonly footer: HTMLDivElement;
  private readonly description: HTMLSpanElement;
  private readonly note: HTMLDivElement;
  private readonly noteText: HTMLSpanElement;
  private readonly noteAction: HTMLButtonElement;
  private readonly error: HTMLDivElement;
  private readonly frame: HTMLDivElement;
  private readonly marks: HTMLDivElement;
  private zoom = 2;
  private events: GridCardEvents | null = null;
  private cursor: { x: number; y: number } | null = null;
  private markList: GridMark[] = [];
  private readonly traceMarks: HTMLDivElement;
  private traceMarkList: TraceMark[] = [];
  private noteHandler: (() => void) | null = null;

  /** `enterDoes`: what a click or Enter on a pixel does, for the grid's accessible name. */
  constructor(readonly title: string, testId: string, description: string, enterDoes = 'opens the image') {
    this.canvas = h('canvas', {
      'data-testid': testId, class: 'grid-canvas', width: 1, height: 1, tabindex: 0, role: 'img',
      'aria-label': `${title} grid: arrow keys move a cursor, Enter ${enterDoes}`,
    });
    this.overlay = h('canvas', { class: 'grid-overlay', width: 1, height: 1, 'aria-hidden': 'true' });
    this.marks = h('div', { class: 'grid-marks', 'aria-hidden': 'true' });
    this.traceMarks = h('div', { class: 'grid-marks grid-trace-marks', 'aria-hidden': 'true', 'data-testid': `${testId}-trace-marks` });
    this.subtitle = h('span', { class: 'card-subtitle' });
    this.footer = h('div', { class: 'card-footer' });
    this.frame = h('div', { class: 'grid-frame' }, this.canvas, this.overlay, this.traceMarks, this.marks);
    this.description = h('span', { class: 'card-description' }, description);
    this.noteText = h('span', { 'data-testid': `${testId}-note` });
    this.noteAction = h('button', { type: 'button', class: 'button', hidden: true }, 'Change display');
    this.noteAction.addEventListener('click', () => this.noteHandler?.());
    this.note = h('div', { class: 'card-note', role: 'note', hidden: true }, this.noteText, this.noteAction);
    this.error = h('div', { class: 'field-error panel-error', role: 'alert', 'data-testid': `${testId}-error`, hidden: true });
    this.scroller = h('div', { class: 'grid-scroll' }, this.frame);
    this.element = h(
      'section',
      { class: 'card image-card', 'aria-label': `${title} card` },
      h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, title), this.subtitle, this.description),
      this.note,
      this.error,
      this.scroller,
      this.footer,
    );
    this.listen();
  }

  on(events: GridCardEvents): void {
    this.events = events;
  }

  private pixelAt(clientX: number, clientY: number): { x: number; y: number } | null {
    const rect = this.canvas.getBoundingClientRect();
    const x = Math.floor(((clientX - rect.left) / rect.width) * this.canvas.width);
    const y = Math.floor(((clientY - rect.top) / rect.height) * this.canvas.height);
    return x >= 0 && y >= 0 && x < this.canvas.width && y < this.canvas.height ? { x, y } : null;
  }

  private listen(): void {
    this.canvas.addEventListener('mousemove', (event) => {
      const p = this.pixelAt(event.clientX, event.clientY);
      if (p) this.events?.hover(p.x, p.y, { x: event.clientX, y: event.clientY });
    });
    this.canvas.addEventListener('mouseleave', () => {
      if (!this.cursor) this.events?.leave();
    });

    // Drag pans a zoomed grid that overflows its card; a press without movement is a click.
    let press: { x: number; y: number; left: number; top: number; moved: boolean } | null = null;
    this.scroller.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      press = { x: event.clientX, y: event.clientY, left: this.scroller.scrollLeft, top: this.scroller.scrollTop, moved: false };
    });
    window.addEventListener('pointermove', (event) => {
      if (!press) return;
      const dx = event.clientX - press.x;
      const dy = event.clientY - press.y;
      if (!press.moved && Math.hypot(dx, dy) < DRAG_PX) return;
      if (!this.pannable()) return;
      press.moved = true;
      this.scroller.classList.add('panning');
      this.scroller.scrollLeft = press.left - dx;
      this.scroller.scrollTop = press.top - dy;
    });
    window.addEventListener('pointerup', (event) => {
      const was = press;
      press = null;
      this.scroller.classList.remove('panning');
      if (!was || was.moved || event.target !== this.canvas) return;
      const p = this.pixelAt(event.clientX, event.clientY);
      if (p) this.events?.open(p.x, p.y);
    });

    // Ctrl+wheel, and a touchpad pinch (which Chromium reports as a ctrl+wheel), zoom the grids.
    this.scroller.addEventListener(
      'wheel',
      (event) => {
        if (!event.ctrlKey) return;
        event.preventDefault();
        if (event.deltaY !== 0) this.events?.zoomBy(event.deltaY < 0 ? 1 : -1);
      },
      { passive: false },
    );

    this.canvas.addEventListener('keydown', (event) => {
      const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      const move = moves[event.key];
      if (move) {
        event.preventDefault();
        event.stopPropagation();
        // Shift moves a whole tile's worth of pixels at a time would need the layout; eight pixels is enough to travel.
        const step = event.shiftKey ? 8 : 1;
        const from = this.cursor ?? { x: 0, y: 0 };
        const x = Math.min(this.canvas.width - 1, Math.max(0, from.x + (this.cursor ? move[0] * step : 0)));
        const y = Math.min(this.canvas.height - 1, Math.max(0, from.y + (this.cursor ? move[1] * step : 0)));
        this.moveCursor(x, y);
      } else if (event.key === 'Enter' && this.cursor) {
        event.preventDefault();
        this.events?.open(this.cursor.x, this.cursor.y);
      } else if (event.key === 'Escape' && this.cursor) {
        this.cursor = null;
        this.events?.leave();
      }
    });
    this.canvas.addEventListener('blur', () => {
      if (!this.cursor) return;
      this.cursor = null;
      this.events?.leave();
    });
  }

  private moveCursor(x: number, y: number): void {
    this.cursor = { x, y };
    const rect = this.canvas.getBoundingClientRect();
    const scale = rect.width / this.canvas.width;
    const at = { x: rect.left + (x + 1) * scale, y: rect.top + (y + 1) * scale };
    // Keep the cursor in view inside a scrolled grid.
    const box = this.scroller.getBoundingClientRect();
    if (at.x > box.right) this.scroller.scrollLeft += at.x - box.right + 20;
    if (at.x < box.left) this.scroller.scrollLeft -= box.left - at.x + 20;
    if (at.y > box.bottom) this.scroller.scrollTop += at.y - box.bottom + 20;
    if (at.y < box.top) this.scroller.scrollTop -= box.top - at.y + 20;
    const after = this.canvas.getBoundingClientRect();
    this.events?.hover(x, y, { x: after.left + (x + 1) * scale, y: after.top + (y + 1) * scale });
  }

  private pannable(): boolean {
    return this.scroller.scrollWidth > this.scroller.clientWidth || this.scroller.scrollHeight > this.scroller.clientHeight;
  }

  draw(image: RgbaImage): void {
    if (this.canvas.width !== image.width || this.canvas.height !== image.height) {
      this.canvas.width = image.width;
      this.canvas.height = image.height;
      this.overlay.width = image.width;
      this.overlay.height = image.height;
      this.cursor = null;
      this.applyZoom();
    }
    const context = this.canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw on a canvas');
    const pixels = new Uint8ClampedArray(image.rgba.buffer as ArrayBuffer, image.rgba.byteOffset, image.rgba.byteLength);
    context.putImageData(new ImageData(pixels, image.width, image.height), 0, 0);
  }

  /** Size of the grid in canvas pixels. */
  get gridSize(): { width: number; height: number } {
    return { width: this.canvas.width, height: this.canvas.height };
  }

  setCaption(subtitle: string, footer: string, description?: string): void {
    if (description !== undefined) this.description.textContent = description;
    this.subtitle.textContent = subtitle;
    this.footer.textContent = footer;
  }

  /** A one-line note on the card (e.g. values clipped), with an optional button. */
  setNote(text: string | null, action?: { label: string; run: () => void }): void {
    this.note.hidden = !text;
    this.noteText.textContent = text ?? '';
    this.noteAction.hidden = !action;
    if (action) this.noteAction.textContent = action.label;
    this.noteHandler = action?.run ?? null;
  }

  setError(message: string | null): void {
    this.error.hidden = !message;
    this.error.textContent = message ?? '';
  }

  setZoom(zoom: number): void {
    this.zoom = zoom;
    this.applyZoom();
  }

  /** Dims everything but the `keep` tiles; null clears the overlay. */
  setHighlight(keep: TileRect[] | null): void {
    const context = this.overlay.getContext('2d');
    if (!context) return;
    context.clearRect(0, 0, this.overlay.width, this.overlay.height);
    if (!keep) return;
    context.fillStyle = 'rgba(16, 18, 24, 0.72)';
    context.fillRect(0, 0, this.overlay.width, this.overlay.height);
    for (const tile of keep) context.clearRect(tile.x, tile.y, tile.width, tile.height);
  }

  /** Boxes over the grid (canvas pixel units); an empty list clears them. */
  setMarks(marks: GridMark[]): void {
    this.markList = marks;
    this.marks.replaceChildren(
      ...marks.map((m) => {
        const box = h('div', { class: `grid-mark grid-mark-${m.kind}`, 'data-mark': m.kind });
        box.dataset['rect'] = `${m.x},${m.y},${m.width},${m.height}`;
        return box;
      }),
    );
    this.placeMarks();
  }

  /** The traced value's marks (canvas pixel units); an empty list clears them. */
  setTraceMarks(marks: TraceMark[]): void {
    this.traceMarkList = marks;
    this.traceMarks.replaceChildren(
      ...marks.map((m) => {
        const box = h('div', { class: `grid-mark grid-mark-${m.kind}`, 'data-trace-mark': m.kind });
        box.dataset['rect'] = `${m.x},${m.y},${m.width},${m.height}`;
        return box;
      }),
    );
    this.placeMarks();
  }

  private placeMarks(): void {
    this.placeIn(this.marks, this.markList);
    this.placeIn(this.traceMarks, this.traceMarkList);
  }

  private placeIn(layer: HTMLElement, list: TileRect[]): void {
    const boxes = [...layer.children] as HTMLElement[];
    boxes.forEach((box, i) => {
      const m = list[i]!;
      box.style.left = `${m.x * this.zoom}px`;
      box.style.top = `${m.y * this.zoom}px`;
      box.style.width = `${m.width * this.zoom}px`;
      box.style.height = `${m.height * this.zoom}px`;
    });
  }

  private applyZoom(): void {
    const width = `${this.canvas.width * this.zoom}px`;
    const height = `${this.canvas.height * this.zoom}px`;
    for (const c of [this.canvas, this.overlay]) {
      c.style.width = width;
      c.style.height = height;
    }
    this.placeMarks();
    this.scroller.classList.toggle('pannable', this.pannable());
  }
}
