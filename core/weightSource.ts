// Where the layer's weights come from: nn.Conv2d's default init, a preset, or .npy files.
import { z } from 'zod';
import { PRESET_NAMES } from './weightPresets';

export const WEIGHT_SOURCE_LIMITS = { maxNpyBytes: 64 * 1024 * 1024, maxNameLength: 255 } as const;

const seed = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const fileBytes = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected file bytes (Uint8Array)' })
  .refine((b) => b.byteLength <= WEIGHT_SOURCE_LIMITS.maxNpyBytes, { message: `file is larger than ${WEIGHT_SOURCE_LIMITS.maxNpyBytes / 1024 / 1024} MB` });
const fileName = z.string().max(WEIGHT_SOURCE_LIMITS.maxNameLength);

export const weightSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('init'), seed }),
  z.strictObject({ kind: z.literal('preset'), name: z.enum(PRESET_NAMES as [string, ...string[]]), seed }),
  /** .npy bytes read by the page from a file the user picked; names are for messages only. */
  z
    .strictObject({
      kind: z.literal('npy'),
      weight: fileBytes,
      weightName: fileName,
      bias: fileBytes.nullable().default(null),
      biasName: fileName.nullable().default(null),
    })
    .superRefine((s, ctx) => {
      if (s.bias !== null && s.biasName === null) ctx.addIssue({ code: 'custom', path: ['biasName'], message: 'missing (required with bias)' });
    })
    .transform((s) => (s.bias === null ? { ...s, biasName: null } : s)),
]);

export type WeightSource = z.infer<typeof weightSourceSchema>;
