import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ComputeClient, ComputeWorkerError } from '../main/compute/computeClient';
import { CancelledError, ComputePool } from '../main/compute/computePool';
import type { ComputeRequest } from '../main/compute/computeProtocol';

// A stand-in worker whose behaviour is chosen by the first pixel: 0 answers, 1 crashes with an
// uncaught error, 2 hangs, 3 refuses the request, 4 exits the thread, 5 answers after 30 ms.
const tmp = mkdtempSync(join(tmpdir(), 'convboard-worker-'));
const fakeWorker = join(tmp, 'fakeWorker.js');
writeFileSync(fakeWorker, `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', ({ id, request }) => {
  const how = request.pixels[0];
  if (how === 1) throw new Error('boom in the worker');
  if (how === 2) { for (;;) {} }
  if (how === 3) return parentPort.postMessage({ id, ok: false, message: 'refused by the worker' });
  if (how === 4) process.exit(7);
  if (how === 5) { const t = Date.now(); while (Date.now() - t < 30) {} }
  const pixels = request.pixels;
  parentPort.postMessage({ id, ok: true, result: { input: pixels, output: null, channelStats: [{ min: threadId, max: request.pixels[1], mean: 0, std: 0 }], computeMs: 1, png: null } }, [pixels.buffer]);
});
`);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const req = (how: number, tag = 0): ComputeRequest => ({ mode: 'stats', plan: {} as never, pixels: new Uint8Array([how, tag]), weight: new Float32Array(0), bias: null });

describe('ComputeClient', () => {
  it('transfers the input to the worker and gets it back', async () => {
    const client = new ComputeClient({ workerPath: fakeWorker });
    try {
      const r = req(0, 9);
      const result = await client.run(r, [r.pixels.buffer as ArrayBuffer]);
      expect(r.pixels.byteLength).toBe(0); // moved, not copied
      expect([...result.input]).toEqual([0, 9]);
      expect(result.channelStats[0]!.max).toBe(9);
    } finally {
      await client.close();
    }
  });

  it('a crash rejects only the in-flight request; queued requests run on a new worker', async () => {
    const logs: string[] = [];
    const client = new ComputeClient({ workerPath: fakeWorker, log: (l) => logs.push(l) });
    try {
      const first = await client.run(req(0, 1));
      const crash = client.run(req(1));
      const after = [client.run(req(0, 2)), client.run(req(0, 3))];
      await expect(crash).rejects.toThrow(new ComputeWorkerError('the compute worker stopped while computing (boom in the worker); it has been restarted, try again'));
      const results = await Promise.all(after);
      expect(results.map((r) => r.channelStats[0]!.max)).toEqual([2, 3]);
      expect(results[0]!.channelStats[0]!.min).not.toBe(first.channelStats[0]!.min); // another thread
      expect(client.restarts).toBe(1);
      expect(logs.some((l) => l.includes('boom in the worker'))).toBe(true);
      // A thread that exits by itself is handled the same way.
      await expect(client.run(req(4))).rejects.toThrow('the compute worker stopped while computing (exit code 7); it has been restarted, try again');
      expect((await client.run(req(0, 5))).channelStats[0]!.max).toBe(5);
      expect(client.restarts).toBe(2);
    } finally {
      await client.close();
    }
  });

  it('a hung worker is stopped after the timeout and replaced', async () => {
    const client = new ComputeClient({ workerPath: fakeWorker, timeoutMs: 300 });
    try {
      await expect(client.run(req(2))).rejects.toThrow('the compute worker stopped while computing (no answer within 0.3 s); it has been restarted, try again');
      expect((await client.run(req(0, 4))).channelStats[0]!.max).toBe(4);
    } finally {
      await client.close();
    }
  });

  it('a refused request is an ordinary error and keeps the worker', async () => {
    const client = new ComputeClient({ workerPath: fakeWorker });
    try {
      await client.run(req(0));
      const thread = client.currentWorker!.threadId;
      await expect(client.run(req(3))).rejects.toThrow('refused by the worker');
      expect(client.currentWorker!.threadId).toBe(thread);
      expect(client.restarts).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('close rejects waiting requests and refuses new ones', async () => {
    const client = new ComputeClient({ workerPath: fakeWorker, timeoutMs: 10_000 });
    const hung = client.run(req(2));
    const waiting = client.run(req(0));
    const outcomes = Promise.allSettled([hung, waiting]);
    await new Promise((r) => setTimeout(r, 50));
    await client.close();
    const [a, b] = await outcomes;
    expect(a.status === 'rejected' && (a.reason as Error).message).toBe('the compute worker is shut down');
    expect(b.status === 'rejected' && (b.reason as Error).message).toBe('the compute worker is shut down');
    await expect(client.run(req(0))).rejects.toThrow('the compute worker is shut down');
  });
});

describe('ComputePool', () => {
  it('spreads tasks over its workers and reports progress', async () => {
    const pool = new ComputePool({ workerPath: fakeWorker, size: 2 });
    try {
      const threads = new Set<number>();
      const got: number[] = [];
      const progress: number[] = [];
      await pool.map(12, (i) => ({ request: req(0, i), transfer: [] }), (i, r) => {
        threads.add(r.channelStats[0]!.min);
        got[i] = r.channelStats[0]!.max;
      }, { onProgress: (done, total) => { progress.push(done); expect(total).toBe(12); } });
      expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(threads.size).toBe(2);
      expect(progress).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    } finally {
      await pool.close();
    }
  });

  it('stops at the first failure and at cancel', async () => {
    const pool = new ComputePool({ workerPath: fakeWorker, size: 2 });
    try {
      // Both workers started first, so the failure is seen while most tasks are still to come.
      await pool.map(4, (i) => ({ request: req(0, i), transfer: [] }), () => {});
      let handled = 0;
      await expect(pool.map(50, (i) => ({ request: req(i === 2 ? 3 : 5, i), transfer: [] }), () => { handled++; })).rejects.toThrow('refused by the worker');
      expect(handled).toBeLessThan(10);
      const controller = new AbortController();
      let done = 0;
      await expect(pool.map(1000, (i) => ({ request: req(0, i % 256), transfer: [] }), () => {
        if (++done === 5) controller.abort();
      }, { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
      expect(done).toBeLessThan(10);
    } finally {
      await pool.close();
    }
  });
});
