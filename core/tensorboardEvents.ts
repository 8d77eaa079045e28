import { EventProto } from './tensorboardProto';

export interface EventImage {
  tag: string;
  png: Uint8Array;
  width: number;
  height: number;
}

/** The first event of every file: TensorBoard refuses files without it. */
export function fileVersionEvent(wallTime: number): Uint8Array {
  return EventProto.encode(EventProto.create({ wallTime, fileVersion: 'brain.Event:2' })).finish();
}

/** An add_images event: colorspace 3 (RGB), the PNG as encoded. */
export function imagesEvent(wallTime: number, step: number, images: readonly EventImage[]): Uint8Array {
  const value = images.map((im) => ({
    tag: im.tag,
    image: { height: im.height, width: im.width, colorspace: 3, encodedImageString: im.png },
  }));
  return EventProto.encode(EventProto.create({ wallTime, step, summary: { value } })).finish();
}

/** Decodes an event (for tests and for reading back what we wrote). */
export function decodeEvent(bytes: Uint8Array): {
  wallTime: number; step: number; fileVersion: string;
  summary?: { value: { tag: string; image?: { height: number; width: number; colorspace: number; encodedImageString: Uint8Array } }[] };
} {
  const msg = EventProto.decode(bytes);
  return EventProto.toObject(msg, { longs: Number, defaults: true }) as ReturnType<typeof decodeEvent>;
}
