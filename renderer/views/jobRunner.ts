import type { Host } from '../../core/hostContract';
import { pollJob } from '../jobPoller';
import type { ProgressRow } from './progressRow';

export type JobOutcome<T> = { state: 'finished'; result: T } | { state: 'cancelled' } | { state: 'failed' };

/**
 * One dataset-wide back-end job at a time behind a start button and a progress row: start it,
 * poll its progress, cancel it, and report a failure through `onError`. The stats pass and
 * "export all steps" differ only in what they start and what they do with the result.
 */
export class JobRunner {
  private jobId: string | null = null;

  constructor(
    private readonly host: Host,
    private readonly progress: ProgressRow,
    private readonly button: HTMLButtonElement,
    private readonly onError: (error: unknown) => void,
  ) {
    progress.cancel.addEventListener('click', () => void this.cancel());
  }

  /** `what` names the job in a failure message; `doneText` is shown when it finishes. */
  async run<T>(start: () => Promise<{ jobId: string }>, what: string, doneText: (result: T) => string): Promise<JobOutcome<T>> {
    if (this.jobId) return { state: 'failed' };
    this.button.disabled = true;
    this.progress.start();
    try {
      this.jobId = (await start()).jobId;
      const status = await pollJob<T>(this.host, this.jobId, (done, total) => this.progress.progress(done, total));
      if (status.state === 'finished' && status.result) {
        this.progress.finish(doneText(status.result));
        return { state: 'finished', result: status.result };
      }
      if (status.state === 'cancelled') {
        this.progress.finish('cancelled');
        return { state: 'cancelled' };
      }
      this.progress.finish('failed');
      this.onError(new Error(status.error ?? `the ${what} failed`));
    } catch (error) {
      this.progress.finish('failed');
      this.onError(error);
    } finally {
      this.jobId = null;
      this.button.disabled = false;
    }
    return { state: 'failed' };
  }

  private async cancel(): Promise<void> {
    if (!this.jobId) return;
    this.progress.cancel.disabled = true;
    try {
      await this.host.request('cancelJob', { jobId: this.jobId });
    } catch (error) {
      this.onError(error);
    }
  }
}
