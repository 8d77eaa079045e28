// Writes the embedded synthetic sample: a tiny dataset in the CIFAR-10 binary format whose 32x32
// images have structure a 3x3 convolution visibly reacts to (edges at many orientations, lines,
// gradients, checkerboards, stripes, shapes, digits, letters). Deterministic: a seeded integer
// PRNG and only + - * / sqrt floor (all exactly rounded in IEEE doubles), so every machine writes
// the same bytes; test/sampleDataset.test.ts regenerates it and compares.
//
//   node tools/makeSample.mjs [outDir]    (default assets/sample/cifar-10-batches-bin)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(root, 'assets', 'sample', 'cifar-10-batches-bin'));

const CLASS_NAMES = ['edge', 'line', 'gradient', 'checkerboard', 'stripes', 'circle', 'square', 'triangle', 'digit', 'letter'];
const TEST_COUNT = 320; // 5 steps of 64
const TRAIN_COUNT = 192; // 3 steps of 64
const S = 32;
const SUB = 4; // 4x4 supersampling for smooth shape borders

/** mulberry32: a 32-bit integer PRNG, identical on every platform. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Integer direction vectors, about 9 degrees apart over a half turn: orientations without trig.
const DIRECTIONS = [
  [1, 0], [6, 1], [3, 1], [2, 1], [3, 2], [1, 1], [2, 3], [1, 2], [1, 3], [1, 6],
  [0, 1], [-1, 6], [-1, 3], [-1, 2], [-2, 3], [-1, 1], [-3, 2], [-2, 1], [-3, 1], [-6, 1],
].map(([x, y]) => {
  const n = Math.sqrt(x * x + y * y);
  return [x / n, y / n];
});

// A 5x7 bitmap font for the digits and capital letters.
const GLYPHS = {
  0: ['.###.', '#...#', '#..##', '#.#.#', '##..#', '#...#', '.###.'],
  1: ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  2: ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  3: ['#####', '...#.', '..#..', '...#.', '....#', '#...#', '.###.'],
  4: ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  5: ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  6: ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
  7: ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  8: ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  9: ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],
  A: ['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  B: ['####.', '#...#', '#...#', '####.', '#...#', '#...#', '####.'],
  C: ['.###.', '#...#', '#....', '#....', '#....', '#...#', '.###.'],
  D: ['###..', '#..#.', '#...#', '#...#', '#...#', '#..#.', '###..'],
  E: ['#####', '#....', '#....', '####.', '#....', '#....', '#####'],
  F: ['#####', '#....', '#....', '####.', '#....', '#....', '#....'],
  G: ['.###.', '#...#', '#....', '#.###', '#...#', '#...#', '.####'],
  H: ['#...#', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  I: ['.###.', '..#..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  J: ['..###', '...#.', '...#.', '...#.', '...#.', '#..#.', '.##..'],
  K: ['#...#', '#..#.', '#.#..', '##...', '#.#..', '#..#.', '#...#'],
  L: ['#....', '#....', '#....', '#....', '#....', '#....', '#####'],
  M: ['#...#', '##.##', '#.#.#', '#.#.#', '#...#', '#...#', '#...#'],
  N: ['#...#', '#...#', '##..#', '#.#.#', '#..##', '#...#', '#...#'],
  O: ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  P: ['####.', '#...#', '#...#', '####.', '#....', '#....', '#....'],
  Q: ['.###.', '#...#', '#...#', '#...#', '#.#.#', '#..#.', '.##.#'],
  R: ['####.', '#...#', '#...#', '####.', '#.#..', '#..#.', '#...#'],
  S: ['.####', '#....', '#....', '.###.', '....#', '....#', '####.'],
  T: ['#####', '..#..', '..#..', '..#..', '..#..', '..#..', '..#..'],
  U: ['#...#', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  V: ['#...#', '#...#', '#...#', '#...#', '#...#', '.#.#.', '..#..'],
  W: ['#...#', '#...#', '#...#', '#.#.#', '#.#.#', '#.#.#', '.#.#.'],
  X: ['#...#', '#...#', '.#.#.', '..#..', '.#.#.', '#...#', '#...#'],
  Y: ['#...#', '#...#', '.#.#.', '..#..', '..#..', '..#..', '..#..'],
  Z: ['#####', '....#', '...#.', '..#..', '.#...', '#....', '#####'],
};
const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const luma = (c) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
const mean = (c) => (c[0] + c[1] + c[2]) / 3;

function makeImage(label, variant, rand) {
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const colour = () => [int(0, 255), int(0, 255), int(0, 255)];
  // Two colours far enough apart in brightness (perceived, and the plain channel mean a grey
  // view shows) that the structure is always visible.
  const pair = () => {
    for (;;) {
      const a = colour();
      const b = colour();
      if (Math.abs(luma(a) - luma(b)) > 80 && Math.abs(mean(a) - mean(b)) > 60) return [a, b];
    }
  };
  const [fg, bg] = pair();
  const dir = DIRECTIONS[variant % DIRECTIONS.length];
  const cx = 16 + int(-4, 4);
  const cy = 16 + int(-4, 4);
  const outlined = rand() < 0.4;

  // coverage(x, y) in [0, 1] at a sub-pixel point; 1 means foreground.
  let coverage;
  let background = () => bg;
  switch (CLASS_NAMES[label]) {
    case 'edge':
      coverage = (x, y) => ((x - cx) * dir[0] + (y - cy) * dir[1] > 0 ? 1 : 0);
      break;
    case 'line': {
      const half = pick([0.5, 0.75, 1, 1.5]);
      coverage = (x, y) => (Math.abs((x - cx) * dir[0] + (y - cy) * dir[1]) < half ? 1 : 0);
      break;
    }
    case 'gradient': {
      const radial = rand() < 0.3;
      const span = int(20, 44);
      coverage = radial
        ? (x, y) => Math.min(1, Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (span / 2))
        : (x, y) => Math.max(0, Math.min(1, ((x - 16) * dir[0] + (y - 16) * dir[1]) / span + 0.5));
      break;
    }
    case 'checkerboard': {
      const cell = pick([1, 2, 3, 4, 5, 6, 8]);
      const ox = int(0, cell - 1);
      const oy = int(0, cell - 1);
      coverage = (x, y) => ((Math.floor((x + ox) / cell) + Math.floor((y + oy) / cell)) & 1);
      break;
    }
    case 'stripes': {
      const period = pick([2, 3, 4, 6, 8]);
      coverage = (x, y) => (Math.floor(((x - cx) * dir[0] + (y - cy) * dir[1]) / (period / 2)) & 1);
      break;
    }
    case 'circle': {
      const r = int(5, 13);
      const w = int(2, 3);
      coverage = (x, y) => {
        const d = Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
        return d < r && (!outlined || d > r - w) ? 1 : 0;
      };
      break;
    }
    case 'square': {
      const h = int(5, 11);
      const w = int(2, 3);
      const [ux, uy] = rand() < 0.5 ? [1, 0] : dir;
      coverage = (x, y) => {
        const a = Math.abs((x - cx) * ux + (y - cy) * uy);
        const b = Math.abs(-(x - cx) * uy + (y - cy) * ux);
        return a < h && b < h && (!outlined || a > h - w || b > h - w) ? 1 : 0;
      };
      break;
    }
    case 'triangle': {
      const r = int(8, 14);
      const w = 2.5;
      // Vertices at integer offsets of a rough equilateral shape, turned by a random direction.
      const base = [[0, -r], [0.87 * r, 0.5 * r], [-0.87 * r, 0.5 * r]];
      const [ux, uy] = dir;
      const v = base.map(([px, py]) => [cx + px * ux - py * uy, cy + px * uy + py * ux]);
      const edges = [0, 1, 2].map((i) => {
        const [x0, y0] = v[i];
        const [x1, y1] = v[(i + 1) % 3];
        const len = Math.sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0));
        return [x0, y0, (x1 - x0) / len, (y1 - y0) / len];
      });
      const sign = Math.sign((v[1][0] - v[0][0]) * (v[2][1] - v[0][1]) - (v[1][1] - v[0][1]) * (v[2][0] - v[0][0]));
      coverage = (x, y) => {
        let minDist = Infinity;
        for (const [x0, y0, dx, dy] of edges) {
          const d = sign * (dx * (y - y0) - dy * (x - x0));
          if (d < 0) return 0;
          minDist = Math.min(minDist, d);
        }
        return !outlined || minDist < w ? 1 : 0;
      };
      break;
    }
    case 'digit':
    case 'letter': {
      const chars = CLASS_NAMES[label] === 'digit' ? DIGITS : LETTERS;
      const glyph = GLYPHS[chars[variant % chars.length]];
      const scale = pick([3, 4]);
      const gx = int(1, S - 1 - 5 * scale);
      const gy = int(1, S - 1 - 7 * scale);
      coverage = (x, y) => {
        const col = Math.floor((x - gx) / scale);
        const row = Math.floor((y - gy) / scale);
        return row >= 0 && row < 7 && col >= 0 && col < 5 && glyph[row][col] === '#' ? 1 : 0;
      };
      // A faint background gradient keeps glyphs from being the only thing to see.
      const dark = bg.map((c) => c * 0.7);
      background = (x) => bg.map((c, i) => dark[i] + ((c - dark[i]) * x) / S);
      break;
    }
    default:
      throw new Error(`no painter for class ${label}`);
  }

  const pixels = new Uint8Array(3 * S * S);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      let cover = 0;
      for (let j = 0; j < SUB; j++) {
        for (let i = 0; i < SUB; i++) cover += coverage(x + (i + 0.5) / SUB, y + (j + 0.5) / SUB);
      }
      cover /= SUB * SUB;
      const back = background(x, y);
      for (let c = 0; c < 3; c++) {
        const noise = (rand() - 0.5) * 10;
        const value = Math.round(back[c] + (fg[c] - back[c]) * cover + noise);
        pixels[c * S * S + y * S + x] = Math.max(0, Math.min(255, value));
      }
    }
  }
  return pixels;
}

function makeBatch(count, seed) {
  const rand = prng(seed);
  const labels = Array.from({ length: count }, (_, i) => i % CLASS_NAMES.length);
  // Shuffled like the real batches, so every DataLoader step holds a mix of classes.
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [labels[i], labels[j]] = [labels[j], labels[i]];
  }
  const perClass = new Array(CLASS_NAMES.length).fill(0);
  const out = new Uint8Array(count * 3073);
  labels.forEach((label, n) => {
    const variant = perClass[label]++;
    out[n * 3073] = label;
    out.set(makeImage(label, variant, rand), n * 3073 + 1);
  });
  return out;
}

const README = `ConvBoard's embedded sample: SYNTHETIC images, not CIFAR-10.

${TEST_COUNT} test images (test_batch.bin) and ${TRAIN_COUNT} train images (data_batch_1.bin),
32x32 RGB, stored in the CIFAR-10 binary format (3073-byte records: 1 label byte, then
1024 red, 1024 green, 1024 blue bytes, row-major), class names in batches.meta.txt.
The classes name what is drawn: ${CLASS_NAMES.join(', ')}.
Generated by tools/makeSample.mjs (deterministic; rerun it to reproduce these bytes).
`;

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'test_batch.bin'), makeBatch(TEST_COUNT, 0x5eed0001));
writeFileSync(join(outDir, 'data_batch_1.bin'), makeBatch(TRAIN_COUNT, 0x5eed0002));
writeFileSync(join(outDir, 'batches.meta.txt'), CLASS_NAMES.join('\n') + '\n');
writeFileSync(join(outDir, 'readme.txt'), README);
console.log(`wrote ${TEST_COUNT} test and ${TRAIN_COUNT} train synthetic images to ${outDir}`);
