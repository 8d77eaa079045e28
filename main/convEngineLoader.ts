import { referenceConvEngine } from '../core/conv2d';
import type { ConvEngine } from '../core/convEngine';

/** The fastest engine available in this process; the reference engine is always there. */
export async function loadConvEngine(): Promise<ConvEngine> {
  return referenceConvEngine;
}
