// LayerState names its weights in words only (describeWeightSource); the page needs the source back
// to fill its weight fields after a reload, and to notice when the back end had to fall back.

export type DescribedWeightSource =
  | { kind: 'init'; seed: number }
  | { kind: 'preset'; name: string }
  | { kind: 'npy'; names: string };

export interface DescribedWeights {
  /** What the layer's weights are now. */
  source: DescribedWeightSource;
  /** When the requested source did not fit the layer: what was asked for and why it was refused. */
  fallback: { wanted: string; why: string } | null;
}

const INIT = /^nn\.Conv2d default init, torch\.manual_seed\((\d+)\)/;
const FALLBACK = /^ \((.+?) does not fit this layer: (.*)\)$/;

/** Reads describeWeightSource's wording (and Session's fallback note) back into a source. */
export function weightSourceOfDescription(description: string): DescribedWeights {
  const init = INIT.exec(description);
  if (init) {
    const rest = FALLBACK.exec(description.slice(init[0].length));
    return { source: { kind: 'init', seed: Number(init[1]) }, fallback: rest ? { wanted: rest[1]!, why: rest[2]! } : null };
  }
  if (description.startsWith('preset ')) return { source: { kind: 'preset', name: description.slice('preset '.length) }, fallback: null };
  return { source: { kind: 'npy', names: description }, fallback: null };
}
