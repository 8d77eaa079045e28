// Colour maps for grey tiles as 256-entry tables: a tile's byte (what 'gray' would show, computed
// exactly as PyTorch does) indexes the table, so every map shares the grey path's tested arithmetic.
import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';
import type { DisplayConfig } from './displayConfig';

export { COLOR_MAP_NAMES } from './displayConfig';
export type ColorMapName = DisplayConfig['colorMap'];

/** What each map means, for the colour bar's legend. */
export const COLOR_MAP_LABELS: Record<ColorMapName, string> = {
  gray: 'gray',
  viridis: 'viridis (sequential)',
  diverging: 'RdBu (diverging: blue < 0 < red)',
};

const tables = new Map<ColorMapName, Uint8Array>();

/** 256 RGB triples (768 bytes): entry i is the colour for byte i, i.e. for t = i / 255. Read-only by convention. */
export function colorMapTable(name: ColorMapName): Uint8Array {
  let table = tables.get(name);
  if (!table) {
    table = buildTable(name);
    tables.set(name, table);
  }
  return table;
}

function buildTable(name: ColorMapName): Uint8Array {
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let rgb: [number, number, number];
    switch (name) {
      case 'gray': rgb = [i, i, i]; break;
      case 'viridis': rgb = parseCssColor(interpolateViridis(t)); break;
      // Negative activations blue, positive red (matplotlib's RdBu_r), white at the centre.
      case 'diverging': rgb = parseCssColor(interpolateRdBu(1 - t)); break;
      default: throw new Error(`unknown colour map '${String(name)}'`);
    }
    table.set(rgb, i * 3);
  }
  return table;
}

/** d3's schemes answer "#rrggbb" (ramps) or "rgb(r, g, b)" (interpolators). */
function parseCssColor(css: string): [number, number, number] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)];
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`unexpected colour '${css}' from d3-scale-chromatic`);
}
