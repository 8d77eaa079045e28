import type { StepResult } from '../core/hostContract';

/**
 * At most one step request in flight; while it runs only the newest wanted step is remembered, so
 * holding an arrow key never queues a backlog of stale steps. When idle it fetches the next step in
 * the direction the user is moving, so stepping and playback find it ready.
 */
export class StepLoader {
  private inFlight = false;
  private wanted: { step: number; requestedAt: number } | null = null;
  private lastStep = 0;
  private direction = 1;
  private prefetched: { step: number; promise: Promise<StepResult> } | null = null;

  constructor(
    private readonly fetchStep: (step: number) => Promise<StepResult>,
    private readonly onResult: (result: StepResult, requestedAt: number, receivedAt: number) => void,
    private readonly onError: (error: unknown, step: number) => void,
    private readonly stepCount: () => number,
  ) {}

  request(step: number): void {
    if (step !== this.lastStep) this.direction = step > this.lastStep ? 1 : -1;
    this.lastStep = step;
    this.wanted = { step, requestedAt: performance.now() };
    void this.pump();
  }

  /** The layer, view or dataset changed: a prefetched step shows the old configuration. */
  invalidate(): void {
    this.prefetched = null;
  }

  /** A newer step is waiting behind the one in flight. */
  get pending(): boolean {
    return this.wanted !== null;
  }

  private take(step: number): Promise<StepResult> {
    const ready = this.prefetched;
    this.prefetched = null;
    return ready && ready.step === step ? ready.promise : this.fetchStep(step);
  }

  private prefetch(after: number): void {
    const step = after + this.direction;
    if (step < 0 || step >= this.stepCount() || this.prefetched?.step === step) return;
    const promise = this.fetchStep(step);
    const entry = { step, promise };
    this.prefetched = entry;
    // A failed prefetch is forgotten; the real request asks again and reports its own error.
    promise.catch(() => {
      if (this.prefetched === entry) this.prefetched = null;
    });
  }

  private async pump(): Promise<void> {
    if (this.inFlight || !this.wanted) return;
    const job = this.wanted;
    this.wanted = null;
    this.inFlight = true;
    let delivered = false;
    try {
      const result = await this.take(job.step);
      this.onResult(result, job.requestedAt, performance.now());
      delivered = true;
    } catch (error) {
      // A failure for a step the user already left is noise; only the newest request reports.
      if (!this.wanted) this.onError(error, job.step);
    } finally {
      this.inFlight = false;
      if (this.wanted) void this.pump();
      else if (delivered) this.prefetch(job.step);
    }
  }
}
