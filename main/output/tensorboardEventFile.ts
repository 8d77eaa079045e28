import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type EventImage, fileVersionEvent, imagesEvent } from '../../core/tensorboardEvents';
import { frameRecord } from '../../core/tfRecordFrame';

/** TensorBoard's own naming: events.out.tfevents.<10-digit seconds>.<host>.<pid>.<n>. */
export function eventFileName(wallTimeSeconds: number, host = hostname(), pid = process.pid, n = 0): string {
  return `events.out.tfevents.${String(Math.floor(wallTimeSeconds)).padStart(10, '0')}.${host}.${pid}.${n}`;
}

/**
 * Writes add_images events for every step, in step order, to a temporary file that becomes the
 * events file only when complete: TensorBoard never reads a half-written run of ours.
 */
export class TensorboardEventFile {
  private pending = new Map<number, EventImage[]>();
  private nextStep: number;

  private constructor(
    private readonly handle: FileHandle,
    private readonly tempPath: string,
    readonly path: string,
    firstStep: number,
  ) {
    this.nextStep = firstStep;
  }

  static async create(dir: string, firstStep: number, now = Date.now() / 1000): Promise<TensorboardEventFile> {
    const path = join(dir, eventFileName(now));
    const tempPath = `${path}.${randomBytes(4).toString('hex')}.partial`;
    const handle = await open(tempPath, 'wx');
    const file = new TensorboardEventFile(handle, tempPath, path, firstStep);
    await handle.write(frameRecord(fileVersionEvent(now)));
    return file;
  }

  /** Steps may arrive in any order (a worker pool finishes them so); they are written in order. */
  async addStep(step: number, images: EventImage[]): Promise<void> {
    this.pending.set(step, images);
    while (this.pending.has(this.nextStep)) {
      const ready = this.pending.get(this.nextStep)!;
      this.pending.delete(this.nextStep);
      await this.handle.write(frameRecord(imagesEvent(Date.now() / 1000, this.nextStep, ready)));
      this.nextStep++;
    }
  }

  async commit(): Promise<void> {
    if (this.pending.size > 0) throw new Error(`events file: steps ${[...this.pending.keys()].join(', ')} arrived without step ${this.nextStep}`);
    await this.handle.close();
    await rename(this.tempPath, this.path);
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.tempPath, { force: true });
  }
}
