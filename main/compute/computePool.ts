/**
 * A few compute workers for dataset-wide passes (stats, export of every step): both cores busy,
 * the main thread only gathers batches and writes files. Cancellable through an AbortSignal.
 */
import { CancelledError } from './cancelledError';
import { ComputeClient, type ComputeClientOptions } from './computeClient';
import type { ComputeRequest, ComputeResult } from './computeProtocol';

export { CancelledError } from './cancelledError';

export interface PoolTask {
  request: ComputeRequest;
  transfer: ArrayBuffer[];
}

export interface MapOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export class ComputePool {
  private readonly clients: ComputeClient[];

  constructor(options: ComputeClientOptions & { size?: number }) {
    const size = Math.max(1, options.size ?? 2);
    this.clients = Array.from({ length: size }, () => new ComputeClient(options));
  }

  get size(): number {
    return this.clients.length;
  }

  run(request: ComputeRequest, transfer: ArrayBuffer[] = [], signal?: AbortSignal): Promise<ComputeResult> {
    const client = this.clients.reduce((a, b) => (b.pending < a.pending ? b : a));
    return client.run(request, transfer, signal);
  }

  /**
   * Runs tasks 0..count-1, two per worker in flight so no worker waits for the main thread, and
   * hands each result to `onResult` (in completion order). Stops at the first failure; on abort the
   * requests still computing are stopped at once (their workers terminated) and CancelledError is
   * thrown once every `onResult` already under way has returned. Other callers' requests on the
   * same pool carry on.
   */
  async map(count: number, makeTask: (i: number) => PoolTask | Promise<PoolTask>, onResult: (i: number, r: ComputeResult) => void | Promise<void>, options: MapOptions = {}): Promise<void> {
    const { signal, onProgress } = options;
    let next = 0;
    let done = 0;
    let failure: unknown = null;
    const stopped = () => failure !== null || signal?.aborted === true;
    const lane = async (): Promise<void> => {
      while (!stopped() && next < count) {
        const i = next++;
        try {
          const task = await makeTask(i);
          const result = await this.run(task.request, task.transfer, signal);
          if (stopped()) return;
          await onResult(i, result);
          done++;
          onProgress?.(done, count);
        } catch (e) {
          if (failure === null && !(e instanceof CancelledError && signal?.aborted)) failure = e;
          return;
        }
      }
    };
    onProgress?.(0, count);
    await Promise.all(Array.from({ length: Math.min(count, this.size * 2) }, lane));
    if (failure !== null) throw failure;
    if (signal?.aborted) throw new CancelledError();
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
  }
}
