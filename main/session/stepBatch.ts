import { gatherBatch } from '../../core/cifarBinary';
import { stepCount, stepIndices } from '../../core/dataLoader';
import type { Split, ViewConfig } from '../../core/hostContract';
import type { OpenedDataset } from '../datasets/datasetSource';
import { SessionError } from './hostErrors';

/** One DataLoader step's images, gathered from the dataset's bytes. */
export interface StepBatch {
  step: number;
  stepCount: number;
  indices: Uint32Array;
  /** [n, C, H, W] bytes as stored. */
  pixels: Uint8Array;
  labels: Uint16Array;
  shape: [number, number, number, number];
}

export function splitRecords(dataset: OpenedDataset, split: Split) {
  const records = dataset.records[split];
  if (!records) {
    const have = Object.keys(dataset.records).join(', ') || 'none';
    throw new SessionError(`split: this dataset has no '${split}' split (it has: ${have})`, 'split');
  }
  return records;
}

/** Steps of `view` over the dataset; refuses a view that yields none. */
export function viewStepCount(dataset: OpenedDataset, view: ViewConfig): number {
  const records = splitRecords(dataset, view.split);
  const steps = stepCount(records.count, view);
  if (steps === 0) {
    throw new SessionError(`batchSize: ${view.batchSize} with drop_last leaves no step for ${records.count} images`, 'batchSize');
  }
  return steps;
}

export function gatherStep(dataset: OpenedDataset, view: ViewConfig, step: number): StepBatch {
  const records = splitRecords(dataset, view.split);
  const steps = viewStepCount(dataset, view);
  if (!Number.isInteger(step) || step < 0 || step >= steps) {
    throw new SessionError(`step: ${step} is out of range (the ${view.split} split has steps 0 to ${steps - 1})`, 'step');
  }
  const indices = stepIndices(records.count, view, step);
  const [c, h, w] = dataset.info.imageShape;
  const n = indices.length;
  const pixels = new Uint8Array(n * c * h * w);
  const labels = new Uint16Array(n);
  gatherBatch(records, indices, pixels, labels);
  return { step, stepCount: steps, indices, pixels, labels, shape: [n, c, h, w] };
}
