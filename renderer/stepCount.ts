import type { DatasetInfo, ViewConfig } from '../core/hostContract';

/** DataLoader's len(): ceil(count / batch) steps, or floor with drop_last. Used before the first step arrives. */
export function stepCountFor(dataset: DatasetInfo, view: ViewConfig): number {
  const count = dataset.splits.find((s) => s.split === view.split)?.count ?? 0;
  if (view.batchSize <= 0) return 0;
  return view.dropLast ? Math.floor(count / view.batchSize) : Math.ceil(count / view.batchSize);
}
