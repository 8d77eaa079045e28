import { referenceConvEngine } from '../../core/conv2d';
import type { ConvEngine } from '../../core/convEngine';
import { loadFastConvEngine } from './fastConvLoader';

let engine: ConvEngine | null = null;

/**
 * The fastest engine this process can run: the WebAssembly SIMD engine, or the reference engine
 * where WebAssembly SIMD is unavailable (CONVBOARD_ENGINE=reference forces it, for comparisons).
 */
export async function loadConvEngine(): Promise<ConvEngine> {
  if (engine) return engine;
  if (process.env.CONVBOARD_ENGINE === 'reference') return (engine = referenceConvEngine);
  try {
    engine = loadFastConvEngine();
  } catch {
    engine = referenceConvEngine;
  }
  return engine;
}
