// --resize N and --center-crop N: torchvision's Resize(N) and CenterCrop(N) for image folders.
import type { ImageFolderTransform } from '../datasets/datasetSource';
import { UsageError } from './cliErrors';
import { parseInteger } from './cliValues';

export type { ImageFolderTransform } from '../datasets/datasetSource';

/** Side lengths past this would be a 4-gigapixel-per-step request, not a transform. */
const MAX_SIDE = 8192;

function side(option: string, text: string): number {
  const v = parseInteger(option, text, 1);
  if (v > MAX_SIDE) throw new UsageError(`--${option}: at most ${MAX_SIDE}, got ${v}`);
  return v;
}

export function parseImageTransform(resize: string | undefined, centerCrop: string | undefined): ImageFolderTransform {
  const t: ImageFolderTransform = {};
  if (resize !== undefined) t.resize = side('resize', resize);
  if (centerCrop !== undefined) t.centerCrop = side('center-crop', centerCrop);
  return t;
}
