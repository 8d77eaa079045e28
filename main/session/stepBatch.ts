import { stepCount, stepIndices } from '../../core/dataLoader';
import type { Split, ViewConfig } from '../../core/hostContract';
import type { OpenedDataset } from '../datasets/datasetSource';
import type { SplitImages } from '../datasets/openedDataset';
import { SessionError } from './hostErrors';

/** One step's input may not exceed this many bytes (photographs at full size can): refused before allocating. */
export const MAX_STEP_INPUT_BYTES = 256 * 1024 * 1024;

/** One DataLoader step's images, gathered from the dataset. */
export interface StepBatch {
  step: number;
  stepCount: number;
  indices: Uint32Array;
  /** [n, C, H, W] bytes as stored (or, for image files, as decoded and transformed). */
  pixels: Uint8Array;
  labels: Uint16Array;
  shape: [number, number, number, number];
}

export function splitImages(dataset: OpenedDataset, split: Split): SplitImages {
  const images = dataset.splits[split];
  if (!images) {
    const have = Object.keys(dataset.splits).join(', ') || 'none';
    throw new SessionError(`split: this dataset has no '${split}' split (it has: ${have})`, 'split');
  }
  return images;
}

/** Steps of `view` over the dataset; refuses a view that yields none. */
export function viewStepCount(dataset: OpenedDataset, view: ViewConfig): number {
  const images = splitImages(dataset, view.split);
  const steps = stepCount(images.count, view);
  if (steps === 0) {
    throw new SessionError(`batchSize: ${view.batchSize} with drop_last leaves no step for ${images.count} images`, 'batchSize');
  }
  return steps;
}

/**
 * The step's pixels and labels: at once for data in memory, a promise when image files must be
 * read and decoded (this step's only).
 */
export function gatherStep(dataset: OpenedDataset, view: ViewConfig, step: number): StepBatch | Promise<StepBatch> {
  const images = splitImages(dataset, view.split);
  const steps = viewStepCount(dataset, view);
  if (!Number.isInteger(step) || step < 0 || step >= steps) {
    throw new SessionError(`step: ${step} is out of range (the ${view.split} split has steps 0 to ${steps - 1})`, 'step');
  }
  const indices = stepIndices(images.count, view, step);
  const [c, h, w] = dataset.info.imageShape;
  const n = indices.length;
  if (n * c * h * w > MAX_STEP_INPUT_BYTES) {
    throw new SessionError(
      `batchSize: ${n} images of ${c}x${h}x${w} are ${n * c * h * w} bytes per step, more than the ${MAX_STEP_INPUT_BYTES} this app holds; use a smaller batch, or --resize/--center-crop for an image folder`,
      'batchSize',
    );
  }
  const pixels = new Uint8Array(n * c * h * w);
  const labels = new Uint16Array(n);
  indices.forEach((index, i) => (labels[i] = images.labels[index]!));
  const batch: StepBatch = { step, stepCount: steps, indices, pixels, labels, shape: [n, c, h, w] };
  const reading = images.readPixels(indices, pixels);
  return reading instanceof Promise ? reading.then(() => batch) : batch;
}
