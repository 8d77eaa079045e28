/**
 * The compute worker thread: ToTensor + conv2d (+ stats, + PNGs for exports) for one step per
 * message, so the main thread never runs a convolution. Bundled to dist/computeWorker.js.
 */
import { parentPort } from 'node:worker_threads';
import type { WorkerInbound, WorkerOutbound } from './computeProtocol';
import { loadConvEngine } from './convEngineLoader';
import { computeStep } from './stepCompute';

if (!parentPort) throw new Error('computeWorker must run as a worker thread');
const port = parentPort;

// The one place the worker picks its conv engine: the fastest one available, the reference one otherwise.
const engine = loadConvEngine();

port.on('message', async (msg: WorkerInbound) => {
  let reply: WorkerOutbound;
  let transfer: ArrayBuffer[] = [];
  try {
    const done = computeStep(msg.request, await engine);
    reply = { id: msg.id, ok: true, result: done.result };
    transfer = done.transfer;
  } catch (e) {
    reply = { id: msg.id, ok: false, message: (e instanceof Error ? e.message : String(e)).split('\n')[0]! };
  }
  port.postMessage(reply, transfer);
});
