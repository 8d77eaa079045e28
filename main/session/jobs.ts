/** Long-running requests (stats pass, export of all steps): started, polled for progress, cancelled. */
import { randomUUID } from 'node:crypto';
import type { HostErrorInfo, JobKind, JobStatus } from '../../core/hostContract';
import { CancelledError } from '../compute/computePool';
import { SessionError } from './hostErrors';

export interface JobContext {
  signal: AbortSignal;
  progress(done: number, total?: number): void;
  /** A progress line shown as it is (JobStatus.detail). */
  detail(text: string): void;
}

interface Job {
  status: JobStatus<unknown>;
  controller: AbortController;
  finished: Promise<void>;
}

/** Finished jobs kept for polling; older ones are forgotten first. */
const KEEP_FINISHED = 32;
/** Jobs running at once; they share the session's worker pool, so more would only queue there. */
export const MAX_RUNNING_JOBS = 4;

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly describeError: (e: unknown) => HostErrorInfo) {}

  start<T>(kind: JobKind, total: number, run: (ctx: JobContext) => Promise<T>): string {
    const running = [...this.jobs.values()].filter((j) => j.status.state === 'running').length;
    if (running >= MAX_RUNNING_JOBS) throw new SessionError(`jobs: ${running} jobs are already running; wait for one to finish or cancel it`, null);
    const id = randomUUID();
    const controller = new AbortController();
    const status: JobStatus<unknown> = { id, kind, done: 0, total, state: 'running', error: null, result: null };
    const ctx: JobContext = {
      signal: controller.signal,
      progress(done, t) {
        status.done = done;
        if (t !== undefined) status.total = t;
      },
      detail(text) {
        status.detail = text;
      },
    };
    const finished = (async () => {
      try {
        status.result = await run(ctx);
        status.state = 'finished';
      } catch (e) {
        if (e instanceof CancelledError || controller.signal.aborted) {
          status.state = 'cancelled';
          // An export says which files it left; a bare cancel has nothing to add.
          const said = e instanceof Error && !(e instanceof CancelledError) ? e.message.split('\n')[0]! : null;
          status.error = said;
        } else {
          status.state = 'failed';
          status.error = this.describeError(e).message;
        }
      }
    })();
    this.jobs.set(id, { status, controller, finished });
    this.forgetOld();
    return id;
  }

  /** A snapshot of the job's status. */
  get(id: string): JobStatus<unknown> {
    const job = this.jobs.get(id);
    if (!job) throw new SessionError(`jobId: no job ${id}`, 'jobId');
    return { ...job.status };
  }

  /** True when the job was running and is now being stopped. */
  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job) throw new SessionError(`jobId: no job ${id}`, 'jobId');
    if (job.status.state !== 'running' || job.controller.signal.aborted) return false;
    job.controller.abort();
    return true;
  }

  /** Resolves when the job has stopped, whatever its outcome. */
  async settled(id: string): Promise<JobStatus<unknown>> {
    const job = this.jobs.get(id);
    if (!job) throw new SessionError(`jobId: no job ${id}`, 'jobId');
    await job.finished;
    return { ...job.status };
  }

  /** Cancels every job and waits for them to stop, at most `waitMs` (a job stuck in I/O must not hang shutdown). */
  async cancelAll(waitMs = 5000): Promise<void> {
    for (const job of this.jobs.values()) job.controller.abort();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
      timer.unref();
    });
    await Promise.race([Promise.all([...this.jobs.values()].map((j) => j.finished)), timeout]);
    clearTimeout(timer);
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((j) => j.status.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.status.id);
  }
}
