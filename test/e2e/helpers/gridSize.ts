/** TensorBoard's add_images grid size (ncols = min(tiles, 8), no padding) — what the page must draw. */
export function tensorboardGridSize(tiles: number, tileH: number, tileW: number): [number, number] {
  const cols = Math.min(tiles, 8);
  return [cols * tileW, Math.ceil(tiles / cols) * tileH];
}

/** Output card for [n, c, h, w] in RGB layout: reshape(-1, 3, h, w) gives n*c/3 tiles. */
export function outputGridSize(n: number, c: number, h: number, w: number): [number, number] {
  return tensorboardGridSize((n * c) / 3, h, w);
}
