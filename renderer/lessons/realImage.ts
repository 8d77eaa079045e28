import { DEFAULT_VIEW, type Host } from '../../core/hostContract';
import { bytesToTensorData } from '../../core/toTensor';

/** One image of the open dataset as ToTensor floats, [C, H, W]. */
export interface RealImage {
  shape: [number, number, number];
  data: Float32Array;
  /** Where it came from, for the caption. */
  label: string;
}

const cache = new WeakMap<Host, Promise<RealImage>>();

/** The first image of the test split's first batch, fetched once per host. */
export function firstImage(host: Host): Promise<RealImage> {
  let p = cache.get(host);
  if (!p) {
    p = host.request('getStep', { view: DEFAULT_VIEW, step: 0 }).then((step) => {
      const [, c, hh, w] = step.inputShape;
      const data = new Float32Array(c * hh * w);
      bytesToTensorData(step.input.subarray(0, c * hh * w), data);
      return { shape: [c, hh, w] as [number, number, number], data, label: `dataset image #${step.indices[0] ?? 0}` };
    });
    p.catch(() => cache.delete(host));
    cache.set(host, p);
  }
  return p;
}
