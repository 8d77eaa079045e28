// Which images a step holds: the DataLoader over a split (batch size, drop_last, seeded shuffle).
import './zodSetup';
import { z } from 'zod';

export const VIEW_LIMITS = { maxBatchSize: 1024 } as const;

export const SPLITS = ['train', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export const viewConfigSchema = z.strictObject({
  split: z.enum(SPLITS),
  batchSize: z.number().int().min(1).max(VIEW_LIMITS.maxBatchSize),
  dropLast: z.boolean(),
  shuffle: z.boolean(),
  shuffleSeed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

export type ViewConfig = z.infer<typeof viewConfigSchema>;

export const DEFAULT_VIEW: ViewConfig = { split: 'test', batchSize: 64, dropLast: false, shuffle: false, shuffleSeed: 0 };
