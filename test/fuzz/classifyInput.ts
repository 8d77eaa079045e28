import type { ParserTarget } from './parserTargets';

export type Verdict = { kind: 'accepted' } | { kind: 'refused' } | { kind: 'bad'; reason: string };

export const MAX_MESSAGE_LENGTH = 500;
export const MAX_MILLISECONDS = 2000;
export const MAX_HEAP_GROWTH = 512 * 1024 * 1024;

// Control characters (C0, DEL, C1), line and paragraph separators, bidi overrides and lone surrogates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a refusal message is not one clean short line, or null when it is. */
export function messageProblem(message: string): string | null {
  if (message.length === 0) return 'an empty message';
  if (message.length > MAX_MESSAGE_LENGTH) return `a ${message.length}-character message`;
  const m = UNSAFE.exec(message);
  if (m) return `a message holding U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m.index}`;
  return null;
}

const PARSED_NOTHING = Symbol('nothing');

function memory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Runs one input and judges it; the result is kept referenced until memory is measured. */
export function classifyInput(target: ParserTarget, bytes: Uint8Array): Verdict & { ms: number } {
  const before = memory();
  const started = performance.now();
  let verdict: Verdict;
  let kept: unknown;
  try {
    const outcome = target.run(bytes);
    kept = outcome;
    if ('refused' in outcome) {
      const problem = messageProblem(outcome.refused);
      verdict = problem ? { kind: 'bad', reason: `refused with ${problem}: ${JSON.stringify(outcome.refused.slice(0, 200))}` } : { kind: 'refused' };
    } else {
      verdict = { kind: 'accepted' };
    }
  } catch (e) {
    const error = e as Error;
    const ours = target.refusals.some((cls) => e instanceof cls);
    const problem = ours ? messageProblem(error.message) : null;
    if (!ours) verdict = { kind: 'bad', reason: `threw ${error?.name ?? typeof e}: ${JSON.stringify(String(error?.message ?? e).slice(0, 200))}` };
    else if (problem) verdict = { kind: 'bad', reason: `${error.name} with ${problem}: ${JSON.stringify(error.message.slice(0, 200))}` };
    else verdict = { kind: 'refused' };
  }
  const ms = performance.now() - started;
  const growth = memory() - before;
  // Read after measuring, so what the parser built is still alive when the heap is measured.
  if (kept === PARSED_NOTHING) verdict = { kind: 'bad', reason: 'unreachable' };
  if (ms > MAX_MILLISECONDS) verdict = { kind: 'bad', reason: `took ${Math.round(ms)} ms` };
  else if (growth > MAX_HEAP_GROWTH) verdict = { kind: 'bad', reason: `grew the heap by ${Math.round(growth / 2 ** 20)} MB` };
  return { ...verdict, ms };
}
