import { layerShape, stepBatchCount, type LayerShape } from '../core/layerShape';
import type { AppState } from './appState';
import { errorText } from './errorText';

/**
 * The layer's output shape for the step the user asked for, from the core's planner and the page's
 * own state (the last batch of a split is smaller); a message when it cannot be computed.
 */
export function shapeOnScreen(state: AppState): LayerShape | string | null {
  const { layer, dataset, view, step } = state;
  if (!layer || !dataset) return null;
  const count = dataset.splits.find((s) => s.split === view.split)?.count ?? 0;
  try {
    return layerShape(layer.config, dataset.imageShape, stepBatchCount(count, view, step));
  } catch (error) {
    return errorText(error);
  }
}
