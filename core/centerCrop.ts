// torchvision 0.14's center_crop on a PIL image: an image smaller than the crop is first padded
// with 0 ((crop - size) // 2 before, the rest after), then cut at
// top = int(round((height - crop) / 2.0)), left likewise, with Python's round-half-to-even.
import type { HwcImage } from './hwcImage';

/** Python's round(d / 2) for an integer d >= 0 (ties go to the even neighbour). */
function roundHalfEvenHalf(d: number): number {
  if (d % 2 === 0) return d / 2;
  const below = (d - 1) / 2;
  return below % 2 === 0 ? below : below + 1;
}

/** CenterCrop([cropHeight, cropWidth]) (CenterCrop(n) is n by n). */
export function torchvisionCenterCrop(image: HwcImage, cropHeight: number, cropWidth: number = cropHeight): HwcImage {
  if (!Number.isInteger(cropHeight) || !Number.isInteger(cropWidth) || cropHeight < 1 || cropWidth < 1) {
    throw new RangeError(`crop size must be positive integers, got ${cropHeight} x ${cropWidth}`);
  }
  const { channels } = image;
  // After padding only the dimensions that were too small, the padded image is at least the crop.
  const padLeft = cropWidth > image.width ? Math.floor((cropWidth - image.width) / 2) : 0;
  const padTop = cropHeight > image.height ? Math.floor((cropHeight - image.height) / 2) : 0;
  const paddedWidth = Math.max(image.width, cropWidth);
  const paddedHeight = Math.max(image.height, cropHeight);
  const top = roundHalfEvenHalf(paddedHeight - cropHeight);
  const left = roundHalfEvenHalf(paddedWidth - cropWidth);
  const out = new Uint8Array(cropWidth * cropHeight * channels);
  for (let y = 0; y < cropHeight; y++) {
    const sy = y + top - padTop;
    if (sy < 0 || sy >= image.height) continue;
    for (let x = 0; x < cropWidth; x++) {
      const sx = x + left - padLeft;
      if (sx < 0 || sx >= image.width) continue;
      const from = (sy * image.width + sx) * channels;
      out.set(image.data.subarray(from, from + channels), (y * cropWidth + x) * channels);
    }
  }
  return { width: cropWidth, height: cropHeight, channels, data: out };
}
