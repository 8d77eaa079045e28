import { ZOOM_LEVELS } from './views/zoomControls';

export interface Room {
  /** Width and height one grid may take in its card, in CSS pixels, after the card's own chrome. */
  width: number;
  height: number;
}

/**
 * The largest whole-number zoom at which every grid fits its card's room (each image pixel stays a
 * crisp square); 1 when even that does not fit: the grid then scrolls inside its card.
 */
export function fitZoom(grids: { width: number; height: number }[], room: Room): number {
  const width = Math.max(...grids.map((g) => g.width));
  const height = Math.max(...grids.map((g) => g.height));
  let best = 1;
  for (const z of ZOOM_LEVELS) if (width * z <= room.width && height * z <= room.height) best = Math.max(best, z);
  return best;
}
