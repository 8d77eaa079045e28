import type { Host, JobStatus } from '../core/hostContract';

const POLL_MS = 150;

/** Polls a back-end job until it ends; progress goes to `onProgress`. Resolves with the final status. */
export async function pollJob<T>(host: Host, jobId: string, onProgress: (done: number, total: number, detail?: string) => void): Promise<JobStatus<T>> {
  for (;;) {
    const status = (await host.request('getJob', { jobId })) as JobStatus<T>;
    onProgress(status.done, status.total, status.detail);
    if (status.state !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
