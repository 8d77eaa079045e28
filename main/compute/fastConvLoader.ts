import { setFlagsFromString } from 'node:v8';
import { type FastConvEngine, createFastConvEngineSync } from '../../core/fastConv/fastConvEngine';

let relaxedSimdRequested = false;

/**
 * The fast conv engine for Node and Electron (main process or its workers), with relaxed-SIMD
 * fused multiply-add wherever V8 can run it. Electron's V8 ships relaxed SIMD; Node 20's keeps
 * it behind --experimental-wasm-relaxed-simd, which is turned on here (process-wide, before
 * the first compile) when the plain engine is all that validates. Synchronous: call it once per
 * worker and keep the engine.
 */
export function loadFastConvEngine(): FastConvEngine {
  const engine = createFastConvEngineSync();
  if (engine.instructionSet === 'relaxed-simd' || relaxedSimdRequested || process.versions.electron) return engine;
  relaxedSimdRequested = true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return createFastConvEngineSync();
}
