// A deterministic fuzzer for core's parsers: seeded mutations of real fixtures. Each input is
// accepted, refused (one of the project's own errors, one clean short line) or bad (anything
// else, too slow, too much memory). FUZZ_INPUTS sets inputs per parser, FUZZ_SEED the run,
// FUZZ_ONLY one parser and FUZZ_INDEX one input, to replay a bad one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyInput } from './classifyInput';
import { mutate } from './mutate';
import { PARSER_TARGETS } from './parserTargets';
import { inputSeed, seededRandom } from './seededRandom';

const INPUTS = Number(process.env.FUZZ_INPUTS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const ONLY = process.env.FUZZ_ONLY;
const INDEX = process.env.FUZZ_INDEX === undefined ? null : Number(process.env.FUZZ_INDEX);
const REPORT = resolve(__dirname, '../../out/fuzz-report.json');

interface Counts { accepted: number; refused: number; bad: number; slowestMs: number }
interface BadInput { parser: string; seed: number; index: number; length: number; hexPrefix: string; reason: string }

const counts: Record<string, Counts> = {};
const badInputs: BadInput[] = [];

const hex = (bytes: Uint8Array, n = 64) => Buffer.from(bytes.subarray(0, n)).toString('hex');

afterAll(() => {
  mkdirSync(resolve(REPORT, '..'), { recursive: true });
  writeFileSync(REPORT, `${JSON.stringify({ seed: SEED, inputsPerParser: INPUTS, parsers: counts, bad: badInputs.slice(0, 200) }, null, 2)}\n`);
});

describe(`parser fuzzing (seed ${SEED}, ${INPUTS} inputs per parser)`, () => {
  for (const target of PARSER_TARGETS) {
    if (ONLY && ONLY !== target.name) continue;
    it(`${target.name}: every input is accepted or cleanly refused`, () => {
      const seeds = target.seeds();
      expect(seeds.length).toBeGreaterThan(0);
      const c: Counts = { accepted: 0, refused: 0, bad: 0, slowestMs: 0 };
      counts[target.name] = c;
      // The unmutated seeds come first: real files must be accepted (or, for odd fixtures, refused).
      const first = INDEX ?? 0;
      const last = INDEX ?? INPUTS - 1;
      for (let index = first; index <= last; index++) {
        const bytes = index < seeds.length ? seeds[index]!.slice() : mutate(seededRandom(inputSeed(SEED, target.name, index)), seeds);
        const verdict = classifyInput(target, bytes);
        c.slowestMs = Math.max(c.slowestMs, Math.round(verdict.ms));
        c[verdict.kind]++;
        if (verdict.kind === 'bad') {
          badInputs.push({ parser: target.name, seed: SEED, index, length: bytes.length, hexPrefix: hex(bytes), reason: verdict.reason });
          console.error(`bad input: FUZZ_SEED=${SEED} FUZZ_ONLY=${target.name} FUZZ_INDEX=${index} (${bytes.length} bytes, starts ${hex(bytes, 32)}): ${verdict.reason}`);
        }
      }
      console.log(`${target.name}: ${c.accepted} accepted, ${c.refused} refused, ${c.bad} bad (slowest ${c.slowestMs} ms)`);
      expect(badInputs.filter((b) => b.parser === target.name).map((b) => `#${b.index}: ${b.reason}`).slice(0, 10)).toEqual([]);
      expect(c.accepted).toBeGreaterThan(0);
    }, Math.max(60_000, INPUTS * 20));
  }
});

describe('the fuzz classifier', () => {
  const target = (run: () => never, refusals: (new (...args: never[]) => Error)[] = [RangeError]) => ({ name: 't', seeds: () => [], refusals, run });
  it('calls foreign exceptions, dirty messages and returned dirty reasons bad', () => {
    expect(classifyInput(target(() => { throw new TypeError('x is undefined'); }), new Uint8Array(0)).kind).toBe('bad');
    expect(classifyInput(target(() => { throw new RangeError('two\nlines'); }), new Uint8Array(0)).kind).toBe('bad');
    expect(classifyInput(target(() => { throw new RangeError('\x1b[2J'); }), new Uint8Array(0)).kind).toBe('bad');
    expect(classifyInput(target(() => { throw new RangeError('y'.repeat(501)); }), new Uint8Array(0)).kind).toBe('bad');
    expect(classifyInput(target(() => { throw new RangeError('a clean "\\n" line'); }), new Uint8Array(0)).kind).toBe('refused');
    expect(classifyInput({ name: 't', seeds: () => [], refusals: [], run: () => ({ refused: 'bad \ud800' }) }, new Uint8Array(0)).kind).toBe('bad');
  });
});
