import { stepCount } from '../core/dataLoader';
import type { DatasetInfo, ViewConfig } from '../core/hostContract';

/** DataLoader's len() for the view, before the first step arrives; 0 while the batch size field holds no valid size. */
export function stepCountFor(dataset: DatasetInfo, view: ViewConfig): number {
  const count = dataset.splits.find((s) => s.split === view.split)?.count ?? 0;
  if (!Number.isInteger(view.batchSize) || view.batchSize < 1) return 0;
  return stepCount(count, view);
}
