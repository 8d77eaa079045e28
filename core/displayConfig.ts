/**
 * How activations become pixels. The same config drives the screen and every export, so what you
 * see is what you export. 'tensorboard' reproduces add_images exactly; the rest are ConvBoard's own.
 * The schema is the single source of the type and of its validation at the host boundary.
 */
import './zodSetup';
import { z } from 'zod';

/** 'rgb': channels in threes as RGB tiles, reshape(-1, 3, H, W) (grey tiles when C % 3 != 0); 'channels': one tile per channel. */
export const LAYOUTS = ['rgb', 'channels'] as const;
/**
 * 'tensorboard': x255, clip, truncate on raw values; 'tile': each tile's own min..max;
 * 'channel': per channel across the batch; 'batch': the whole step; 'fixed': `range`.
 */
export const NORMALIZATIONS = ['tensorboard', 'tile', 'channel', 'batch', 'fixed'] as const;
/** Applies to grey (single-channel) tiles only. */
export const COLOR_MAP_NAMES = ['gray', 'viridis', 'diverging'] as const;
/** 'tensorboard': ncols = min(N, 8), no padding, black canvas; 'torchvision': make_grid(nrow, padding, pad_value). */
export const GRIDS = ['tensorboard', 'torchvision'] as const;

export const DISPLAY_LIMITS = { maxGridColumns: 1024, maxGridPadding: 64 } as const;

const finite = z.number().refine(Number.isFinite, { message: 'expected a finite number' });

export const displayConfigSchema = z
  .strictObject({
    layout: z.enum(LAYOUTS),
    normalization: z.enum(NORMALIZATIONS),
    range: z.tuple([finite, finite]).optional(),
    colorMap: z.enum(COLOR_MAP_NAMES),
    grid: z.enum(GRIDS),
    columns: z.number().int().min(1).max(DISPLAY_LIMITS.maxGridColumns),
    padding: z.number().int().min(0).max(DISPLAY_LIMITS.maxGridPadding),
    padValue: finite,
  })
  .superRefine((d, ctx) => {
    if (d.range && !(d.range[0] < d.range[1])) {
      ctx.addIssue({ code: 'custom', path: ['range'], message: `low must be below high, got [${d.range[0]}, ${d.range[1]}]` });
    }
    if (d.normalization === 'fixed' && d.range === undefined) {
      ctx.addIssue({ code: 'custom', path: ['range'], message: "required when normalization is 'fixed'" });
    }
  });

export type DisplayConfig = z.infer<typeof displayConfigSchema>;
