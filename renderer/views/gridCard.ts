import type { RgbaImage } from '../../core/rgbaImage';
import { h } from '../dom/element';

export interface TileRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * One TensorBoard-style image card. The canvas always holds exactly one canvas pixel per image pixel
 * (what the export writes); zoom only scales it with CSS, pixelated. Class highlighting draws on a
 * separate overlay so the grid's own pixels never change.
 */
export class GridCard {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly overlay: HTMLCanvasElement;
  private readonly subtitle: HTMLSpanElement;
  private readonly footer: HTMLDivElement;
  private readonly description: HTMLDivElement;
  private readonly frame: HTMLDivElement;
  private zoom = 2;
  private hoverHandler: ((x: number, y: number) => void) | null = null;
  private leaveHandler: (() => void) | null = null;

  constructor(title: string, testId: string, description: string) {
    this.canvas = h('canvas', { 'data-testid': testId, class: 'grid-canvas', width: 1, height: 1, role: 'img', 'aria-label': `${title} grid` });
    this.overlay = h('canvas', { class: 'grid-overlay', width: 1, height: 1, 'aria-hidden': 'true' });
    this.subtitle = h('span', { class: 'card-subtitle' });
    this.footer = h('div', { class: 'card-footer' });
    this.frame = h('div', { class: 'grid-frame' }, this.canvas, this.overlay);
    this.description = h('div', { class: 'card-description' }, description);
    this.element = h(
      'section',
      { class: 'card image-card', 'aria-label': `${title} card` },
      h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, title), this.subtitle),
      this.description,
      h('div', { class: 'grid-scroll' }, this.frame),
      this.footer,
    );
    this.canvas.addEventListener('mousemove', (event) => {
      const x = Math.floor((event.offsetX / this.canvas.clientWidth) * this.canvas.width);
      const y = Math.floor((event.offsetY / this.canvas.clientHeight) * this.canvas.height);
      if (x >= 0 && y >= 0 && x < this.canvas.width && y < this.canvas.height) this.hoverHandler?.(x, y);
    });
    this.canvas.addEventListener('mouseleave', () => this.leaveHandler?.());
  }

  onHover(handler: (x: number, y: number) => void, leave: () => void): void {
    this.hoverHandler = handler;
    this.leaveHandler = leave;
  }

  draw(image: RgbaImage): void {
    if (this.canvas.width !== image.width || this.canvas.height !== image.height) {
      this.canvas.width = image.width;
      this.canvas.height = image.height;
      this.overlay.width = image.width;
      this.overlay.height = image.height;
      this.applyZoom();
    }
    const context = this.canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw on a canvas');
    const pixels = new Uint8ClampedArray(image.rgba.buffer as ArrayBuffer, image.rgba.byteOffset, image.rgba.byteLength);
    context.putImageData(new ImageData(pixels, image.width, image.height), 0, 0);
  }

  setCaption(subtitle: string, footer: string, description?: string): void {
    if (description !== undefined) this.description.textContent = description;
    this.subtitle.textContent = subtitle;
    this.footer.textContent = footer;
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

  private applyZoom(): void {
    const width = `${this.canvas.width * this.zoom}px`;
    const height = `${this.canvas.height * this.zoom}px`;
    for (const c of [this.canvas, this.overlay]) {
      c.style.width = width;
      c.style.height = height;
    }
  }
}
