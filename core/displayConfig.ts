/**
 * How activations become pixels. The same config drives the screen and every export, so what you
 * see is what you export. 'tensorboard' reproduces add_images exactly; the rest are ConvBoard's own.
 */
export interface DisplayConfig {
  /** 'rgb': channels in threes as RGB tiles, reshape(-1, 3, H, W) (grey tiles when C % 3 != 0); 'channels': one tile per channel. */
  layout: 'rgb' | 'channels';
  /**
   * 'tensorboard': x255, clip, truncate on raw values; 'tile': each tile's own min..max;
   * 'channel': per channel across the batch; 'batch': the whole step; 'fixed': `range`.
   */
  normalization: 'tensorboard' | 'tile' | 'channel' | 'batch' | 'fixed';
  range?: [number, number];
  /** Applies to grey (single-channel) tiles only. */
  colorMap: 'gray' | 'viridis' | 'diverging';
  /** 'tensorboard': ncols = min(N, 8), no padding, black canvas; 'torchvision': make_grid(nrow, padding, pad_value). */
  grid: 'tensorboard' | 'torchvision';
  columns: number;
  padding: number;
  padValue: number;
}
