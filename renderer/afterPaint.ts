/**
 * Runs `work` once the frame now being prepared is on screen, coalescing repeated calls into the
 * newest one: the histogram waits for the grids instead of delaying them.
 */
export function coalescedAfterPaint<T>(work: (value: T) => void): (value: T) => void {
  let latest: { value: T } | null = null;
  return (value: T) => {
    const scheduled = latest !== null;
    latest = { value };
    if (scheduled) return;
    requestAnimationFrame(() =>
      setTimeout(() => {
        const job = latest;
        latest = null;
        if (job) work(job.value);
      }, 0),
    );
  };
}
