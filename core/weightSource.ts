// Where the layer's weights come from: nn.Conv2d's default init, a preset, .npy files, or a tensor of
// a model file (PyTorch checkpoint, .safetensors, .npz, .onnx).
import './zodSetup';
import { z } from 'zod';
import { PRESET_NAMES } from './weightPresets';

// A model file travels whole with the request: under browser mode's request body limit (160 MB).
export const WEIGHT_SOURCE_LIMITS = { maxNpyBytes: 64 * 1024 * 1024, maxModelBytes: 128 * 1024 * 1024, maxNameLength: 255, maxTensorNameLength: 1024 } as const;

const seed = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const fileBytes = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected file bytes (Uint8Array)' })
  .refine((b) => b.byteLength <= WEIGHT_SOURCE_LIMITS.maxNpyBytes, { message: `file is larger than ${WEIGHT_SOURCE_LIMITS.maxNpyBytes / 1024 / 1024} MB` });
const fileName = z.string().max(WEIGHT_SOURCE_LIMITS.maxNameLength);
export const modelFileBytes = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected file bytes (Uint8Array)' })
  .refine((b) => b.byteLength <= WEIGHT_SOURCE_LIMITS.maxModelBytes, { message: `file is larger than ${WEIGHT_SOURCE_LIMITS.maxModelBytes / 1024 / 1024} MB` });
export const modelFileName = z.string().min(1).max(WEIGHT_SOURCE_LIMITS.maxNameLength);
const tensorName = z.string().min(1).max(WEIGHT_SOURCE_LIMITS.maxTensorNameLength);

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
  /**
   * A tensor of a model file the user picked (bytes read by the page). biasName: a tensor name,
   * null for no bias, or absent to pair one by name (`conv1.bias` beside `conv1.weight`, or the
   * ONNX Conv's third input). Loading it makes the layer follow the weight's shape.
   */
  z.strictObject({
    kind: z.literal('model'),
    bytes: modelFileBytes,
    fileName: modelFileName,
    weightName: tensorName,
    biasName: tensorName.nullable().optional(),
  }),
]);

export type WeightSource = z.infer<typeof weightSourceSchema>;
