// "Bring your own images" end to end: an ImageFolder tree opened, transformed and exported by the
// CLI, compared with torchvision 0.14's ImageFolder + Resize(24) + CenterCrop(24) on the same files
// (tools/fixtures/makeImageFolderFixtures.py), and the refusals a user meets.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW } from '../core/hostContract';
import { openDataset } from '../main/datasets/datasetSource';
import { gatherStep } from '../main/session/stepBatch';
import { runCli } from './helpers/runCli';

const DIR = join(__dirname, 'fixtures/imagefolder');
const ROOT = join(DIR, 'root');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  classes: string[];
  samples: [string, number][];
  images: Record<string, { width: number; height: number; resize24crop24: string }>;
};
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const tmp = () => mkdtempSync(join(tmpdir(), 'convboard-imagefolder-'));
const isJpeg = (path: string) => !path.toLowerCase().endsWith('.png');

/** add_images' byte for a stored byte: ToTensor's float32 b / 255, then float32 x 255, truncated. */
const tensorboardByte = (b: number) => Math.min(255, Math.trunc(Math.fround(Math.fround(b / 255) * 255)));

/** Worst and mean |difference| per file: 0 for PNGs; JPEGs within test/imageFolder.test.ts's measured bound. */
function checkTile(path: string, got: (x: number, y: number, c: number) => number, want: Uint8Array): void {
  let max = 0;
  let sum = 0;
  for (let y = 0; y < 24; y++) {
    for (let x = 0; x < 24; x++) {
      for (let c = 0; c < 3; c++) {
        const d = Math.abs(got(x, y, c) - want[(y * 24 + x) * 3 + c]!);
        max = Math.max(max, d);
        sum += d;
      }
    }
  }
  if (!isJpeg(path)) expect(max, path).toBe(0);
  else {
    const grey = path.includes('grey');
    expect(max, path).toBeLessThanOrEqual(grey ? 1 : 41);
    expect(sum / (24 * 24 * 3), path).toBeLessThanOrEqual(grey ? 0.06 : 3.4);
  }
}

describe('ImageFolder through the workflow', () => {
  it("gathers torchvision's samples in its order, labels and Resize(24)+CenterCrop(24) pixels as [N, 3, 24, 24]", async () => {
    const ds = await openDataset(ROOT, { transform: { resize: 24, centerCrop: 24 } });
    expect(ds.info.format).toBe('image-folder');
    expect(ds.info.imageShape).toEqual([3, 24, 24]);
    expect(ds.info.classNames).toEqual(expected.classes);
    expect(ds.info.splits).toEqual([{ split: 'test', count: expected.samples.length }]);
    const batch = await gatherStep(ds, DEFAULT_VIEW, 0);
    expect(batch.shape).toEqual([19, 3, 24, 24]);
    expect([...batch.labels]).toEqual(expected.samples.map(([, c]) => c));
    expected.samples.forEach(([path], i) => {
      const want = b64(expected.images[path]!.resize24crop24);
      checkTile(path, (x, y, c) => batch.pixels[((i * 3 + c) * 24 + y) * 24 + x]!, want);
    });
  });

  it("exports add_images' input grid of the transformed images (PNG exact, JPEG within the decoder's bound)", () => {
    const out = tmp();
    const r = runCli(['export', '--data', ROOT, '--resize', '24', '--center-crop', '24', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const png = PNG.sync.read(readFileSync(join(out, 'input/000000.png')));
    // TensorBoard's grid: 8 columns of touching tiles, 19 tiles -> 3 rows, black where none.
    expect([png.width, png.height]).toEqual([8 * 24, 3 * 24]);
    expected.samples.forEach(([path], t) => {
      const ox = (t % 8) * 24;
      const oy = Math.floor(t / 8) * 24;
      const want = b64(expected.images[path]!.resize24crop24).map(tensorboardByte);
      checkTile(path, (x, y, c) => png.data[((oy + y) * png.width + ox + x) * 4 + c]!, want);
    });
    expect(png.data[((2 * 24 + 5) * png.width + 7 * 24 + 5) * 4]).toBe(0);
    const output = PNG.sync.read(readFileSync(join(out, 'output/000000.png')));
    // Conv2d(3, 6, 3) on 24x24: [19, 6, 22, 22] -> 38 RGB tiles of 22x22.
    expect([output.width, output.height]).toEqual([8 * 22, 5 * 22]);
  });

  it('without --resize/--center-crop, refuses images of several sizes in one line naming a few of them', async () => {
    const r = runCli(['info', ROOT]);
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/images differ in size \(18 sizes, most are 29x41; e.g. "Zebra\/B_50x64.PNG" 50x64, "Zebra\/grey_37x23.png" 37x23, "Zebra\/sub\/palette_31x31.png" 31x31\); give --resize N and --center-crop N/);
    const resizedOnly = runCli(['info', ROOT, '--resize', '24']);
    expect(resizedOnly.stderr).toMatch(/images differ in size after Resize\(24\)/);
  });

  it('opens a folder whose images share one size as they are, and describes it', () => {
    const root = tmp();
    mkdirSync(join(root, 'b'));
    mkdirSync(join(root, 'a\u001b[31mred'));
    copyFileSync(join(ROOT, '_misc/palette_trns_index_29x41.png'), join(root, 'b', 'one.png'));
    copyFileSync(join(ROOT, '_misc/palette_trns_bytes_29x41.png'), join(root, 'a\u001b[31mred', 'two.png'));
    const r = runCli(['info', root]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/format:  ImageFolder \(root\/<class>\/<image>\), PNG\/JPEG loaded as RGB, images 3x41x29 \(C x H x W\)/);
    expect(r.stdout).toMatch(/image folder: 2 class folders, 2 images \(\.png\)/);
    expect(r.stdout).toMatch(/sizes seen \(W x H\): 29x41 \(2\)/);
    expect(r.stdout).toMatch(/0 {2}"a\\x1b\[31mred" +1\n/);
    expect(r.stdout).not.toMatch(/\u001b/);
  });

  it('refuses a symbolic link that loops, and a file that is not PNG or JPEG, naming the file', async () => {
    const loop = tmp();
    mkdirSync(join(loop, 'cls'));
    copyFileSync(join(ROOT, 'Zebra/grey_37x23.png'), join(loop, 'cls', 'x.png'));
    symlinkSync(join(loop, 'cls'), join(loop, 'cls', 'again'));
    await expect(openDataset(loop)).rejects.toThrow(/again: a symbolic link loops back to/);
    const gif = tmp();
    mkdirSync(join(gif, 'cls'));
    copyFileSync(join(ROOT, 'Zebra/skipped.gif'), join(gif, 'cls', 'fake.png'));
    await expect(openDataset(gif)).rejects.toThrow(/cls\/fake\.png: GIF images are not supported \(only PNG and JPEG are read\)$/);
    // A newline or terminal escape in a file name stays escaped on the one line.
    const odd = tmp();
    mkdirSync(join(odd, 'cls'));
    copyFileSync(join(ROOT, 'Zebra/skipped.gif'), join(odd, 'cls', 'a\nb\u001b.png'));
    const r = runCli(['info', odd]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cls\/a\\u000ab\\u001b\.png: GIF images are not supported/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
