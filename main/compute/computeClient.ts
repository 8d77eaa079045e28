/**
 * The session's handle on one compute worker thread. Requests are queued here and posted one at a
 * time, so when the worker dies (a crash, an out-of-memory kill, a hang past the timeout) exactly
 * one request is lost: that one is rejected with a ComputeWorkerError, the worker is replaced,
 * and the queue carries on with the new worker.
 */
import { Worker } from 'node:worker_threads';
import { CancelledError } from './cancelledError';
import type { ComputeRequest, ComputeResult, WorkerInbound, WorkerOutbound } from './computeProtocol';

export class ComputeWorkerError extends Error {
  override readonly name = 'ComputeWorkerError';
}

export interface ComputeClientOptions {
  /** dist/computeWorker.js (see distPaths.ts). */
  workerPath: string;
  /** A request taking longer than this is treated as a hung worker. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

interface Pending {
  id: number;
  request: ComputeRequest;
  transfer: ArrayBuffer[];
  resolve: (r: ComputeResult) => void;
  reject: (e: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class ComputeClient {
  private worker: Worker | null = null;
  private inFlight: Pending | null = null;
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;
  private lastWorkerError: string | null = null;
  private closed = false;
  /** How many times a worker died and was replaced. */
  restarts = 0;

  constructor(private readonly options: ComputeClientOptions) {}

  /** Requests waiting or running. */
  get pending(): number {
    return this.queue.length + (this.inFlight ? 1 : 0);
  }

  /** The live worker thread, if any: for diagnostics and for tests that kill it. */
  get currentWorker(): Worker | null {
    return this.worker;
  }

  /**
   * `transfer` lists the request's buffers to move to the worker; they are unusable here afterwards.
   * When `signal` fires, a waiting request is dropped and a running one stops at once: its worker is
   * terminated (a new one takes the next request), and the promise rejects with CancelledError.
   */
  run(request: ComputeRequest, transfer: ArrayBuffer[] = [], signal?: AbortSignal): Promise<ComputeResult> {
    if (this.closed) return Promise.reject(new ComputeWorkerError('the compute worker is shut down'));
    if (signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise((resolve, reject) => {
      const settle = <A>(f: (a: A) => void) => (a: A) => {
        if (p.onAbort) p.signal?.removeEventListener('abort', p.onAbort);
        f(a);
      };
      const p: Pending = { id: this.nextId++, request, transfer, resolve: settle(resolve), reject: settle(reject), signal };
      if (signal) {
        p.onAbort = () => this.abort(p);
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.queue.push(p);
      this.pump();
    });
  }

  private abort(p: Pending): void {
    const queued = this.queue.indexOf(p);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
    } else if (this.inFlight === p) {
      const w = this.worker;
      // Detached first, so its exit is not taken for a crash.
      this.worker = null;
      this.inFlight = null;
      this.clearTimer();
      if (w) void w.terminate();
    } else {
      return;
    }
    p.reject(new CancelledError());
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new ComputeWorkerError('the compute worker is shut down'));
    const w = this.worker;
    this.worker = null;
    if (this.inFlight) {
      this.inFlight.reject(new ComputeWorkerError('the compute worker is shut down'));
      this.inFlight = null;
    }
    this.clearTimer();
    if (w) await w.terminate();
  }

  private spawn(): Worker {
    const w = new Worker(this.options.workerPath);
    this.lastWorkerError = null;
    w.on('message', (msg: WorkerOutbound) => this.onMessage(w, msg));
    w.on('error', (e) => {
      this.lastWorkerError = e.message.split('\n')[0]!;
      this.options.log?.(`compute worker error: ${e.stack ?? e.message}`);
    });
    w.on('exit', (code) => this.onExit(w, code));
    // An idle worker must not keep the process alive (the CLI exits when its work is done).
    w.unref();
    return w;
  }

  private pump(): void {
    if (this.closed || this.inFlight || this.queue.length === 0) return;
    if (!this.worker) this.worker = this.spawn();
    const p = this.queue.shift()!;
    this.inFlight = p;
    this.worker.ref();
    const timeoutMs = this.options.timeoutMs ?? 120_000;
    this.timer = setTimeout(() => {
      this.lastWorkerError = `no answer within ${timeoutMs / 1000} s`;
      void this.worker?.terminate();
    }, timeoutMs);
    this.timer.unref();
    const msg: WorkerInbound = { id: p.id, request: p.request };
    this.worker.postMessage(msg, p.transfer);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private onMessage(w: Worker, msg: WorkerOutbound): void {
    const p = this.inFlight;
    if (w !== this.worker || !p || p.id !== msg.id) return;
    this.inFlight = null;
    this.clearTimer();
    w.unref();
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(msg.message));
    this.pump();
  }

  private onExit(w: Worker, code: number): void {
    if (w !== this.worker) return;
    this.worker = null;
    this.clearTimer();
    if (this.closed) return;
    this.restarts++;
    const why = this.lastWorkerError ?? `exit code ${code}`;
    this.options.log?.(`compute worker stopped (${why}); a new one starts with the next request`);
    const p = this.inFlight;
    this.inFlight = null;
    p?.reject(new ComputeWorkerError(`the compute worker stopped while computing (${why}); it has been restarted, try again`));
    // Waiting requests were never posted, so they are intact: the new worker takes them.
    this.pump();
  }
}
