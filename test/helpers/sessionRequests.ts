import { expect } from 'vitest';
import type { HostArgs, HostErrorInfo, HostRequestName, HostResult } from '../../core/hostContract';
import type { Session } from '../../main/session/session';

/** A request through the session's one entry (validation included) that must succeed. */
export async function ok<K extends HostRequestName>(s: Session, name: K, args: HostArgs<K>): Promise<HostResult<K>> {
  const r = await s.handle(name, args);
  if (!r.ok) throw new Error(`${name} failed: ${r.error.message}`);
  return r.value as HostResult<K>;
}

/** A request that must be refused with the contract's one-line error, never an internal one or a stack. */
export async function fails(s: Session, name: HostRequestName, args: unknown): Promise<HostErrorInfo> {
  const r = await s.handle(name, args);
  if (r.ok) throw new Error(`${name} succeeded but should have failed`);
  expect(r.error.message).not.toContain('\n');
  expect(r.error.message).not.toMatch(/^internal error|at .*\.ts:\d+/);
  return r.error;
}
