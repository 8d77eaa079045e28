// ConvBoard's further display modes: normalisations, colour maps and torchvision grids, each compared
// pixel for pixel with grids PyTorch made (torchvision.utils.save_image, or make_grid after norm_ip).
import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';
import { describe, expect, it } from 'vitest';
import { describeNormalization, saveImageByte } from '../core/activationScaling';
import { colorMapTable } from '../core/colorMaps';
import type { DisplayConfig } from '../core/displayConfig';
import { DEFAULT_DISPLAY, DISPLAY_PRESET_DESCRIPTIONS, DISPLAY_PRESETS } from '../core/displayPresets';
import { locateGridPixel } from '../core/gridLocate';
import { renderInputGrid, renderOutputGrid, renderOutputGridWithScale } from '../core/imageGrids';
import { encodePng } from '../main/output/pngFile';
import { caseInput, decodePng, expectedPng, gridCases, pixelDifferences, type DecodedPng, type GridCase } from './gridFixtures';

const cases = gridCases().filter((c) => !(c.display.grid === 'tensorboard' && c.display.normalization === 'tensorboard'));

function render(c: GridCase, display: DisplayConfig = c.display): DecodedPng {
  const data = caseInput(c);
  const image = c.kind === 'input' ? renderInputGrid(data as Uint8Array, c.shape, display) : renderOutputGrid(data as Float32Array, c.shape, display);
  return decodePng(encodePng(image));
}

/** The fixture holds the grey index image; tile pixels go through the colour table, the rest stays as drawn. */
function colorMapped(c: GridCase, index: DecodedPng): DecodedPng {
  const table = colorMapTable(c.display.colorMap);
  const data = new Uint8Array(index.data);
  for (let y = 0; y < index.height; y++) {
    for (let x = 0; x < index.width; x++) {
      if (!locateGridPixel(c.kind, c.shape, c.display, x, y)) continue;
      const p = (y * index.width + x) * 4;
      const e = index.data[p] * 3;
      data.set(table.subarray(e, e + 3), p);
    }
  }
  return { ...index, data };
}

describe('display modes against PyTorch', () => {
  it('covers every normalisation, colour map and grid', () => {
    const d = cases.map((c) => c.display);
    for (const n of ['tile', 'channel', 'batch', 'fixed', 'tensorboard'] as const) expect(d.some((x) => x.normalization === n)).toBe(true);
    for (const m of ['viridis', 'diverging'] as const) expect(d.some((x) => x.colorMap === m)).toBe(true);
    expect(d.filter((x) => x.grid === 'torchvision').length).toBeGreaterThan(8);
  });

  for (const c of cases) {
    it(`${c.name} [${c.shape.join(', ')}] ${c.display.grid}/${c.display.layout}/${c.display.normalization}/${c.display.colorMap} (${c.reference})`, () => {
      const expected = c.colorMapped ? colorMapped(c, expectedPng(c)) : expectedPng(c);
      expect(pixelDifferences(render(c), expected)).toEqual([]);
    });
  }

  it('ignores the colour map for RGB tiles and uses it for grey ones', () => {
    const c = cases.find((k) => k.name === 'tb-viridis-rgb-11x6')!;
    expect(c.colorMapped).toBe(false);
    expect(pixelDifferences(render(c), render(c, { ...c.display, colorMap: 'gray' }))).toEqual([]);
    const grey = cases.find((k) => k.name === 'tb-viridis-channel-11x6')!;
    expect(pixelDifferences(render(grey), render(grey, { ...grey.display, colorMap: 'gray' })).length).toBeGreaterThan(0);
  });
});

describe('colour tables', () => {
  it('are d3-scale-chromatic sampled at i / 255', () => {
    const viridis = colorMapTable('viridis');
    expect([...viridis.subarray(0, 3)]).toEqual([0x44, 0x01, 0x54]);
    expect([...viridis.subarray(765, 768)]).toEqual([0xfd, 0xe7, 0x25]);
    expect(interpolateViridis(100 / 255)).toBe('#' + [...viridis.subarray(300, 303)].map((b) => b.toString(16).padStart(2, '0')).join(''));
    const rdbu = colorMapTable('diverging');
    // Negative (byte 0) is blue, positive (byte 255) red, the middle nearly white.
    expect(interpolateRdBu(0)).toBe(`rgb(${[...rdbu.subarray(765, 768)].join(', ')})`);
    expect(interpolateRdBu(1)).toBe(`rgb(${[...rdbu.subarray(0, 3)].join(', ')})`);
    expect(rdbu[2]).toBeGreaterThan(rdbu[0]);
    expect(Math.min(...rdbu.subarray(127 * 3, 129 * 3))).toBeGreaterThan(235);
    const gray = colorMapTable('gray');
    for (let i = 0; i < 256; i++) expect([...gray.subarray(i * 3, i * 3 + 3)]).toEqual([i, i, i]);
  });
});

describe('presets', () => {
  it('name every preset with a description, and each renders the workflow shape', () => {
    expect(Object.keys(DISPLAY_PRESETS)).toEqual(['tensorboard', 'channels', 'channels-viridis', 'channels-batch', 'diverging', 'torchvision']);
    expect(Object.keys(DISPLAY_PRESET_DESCRIPTIONS)).toEqual(Object.keys(DISPLAY_PRESETS));
    const out = new Float32Array(16 * 6 * 30 * 30).map((_, i) => Math.sin(i / 7));
    const sizes = Object.fromEntries(Object.entries(DISPLAY_PRESETS).map(([name, d]) => {
      const img = renderOutputGrid(out, [16, 6, 30, 30], d);
      return [name, [img.width, img.height]];
    }));
    expect(sizes).toEqual({
      tensorboard: [240, 120],
      // 96 grey tiles, 12 columns, 1 pixel padding: 12*31+1 by 8*31+1.
      channels: [373, 249], 'channels-viridis': [373, 249], 'channels-batch': [373, 249], diverging: [373, 249],
      torchvision: [8 * 32 + 2, 4 * 32 + 2],
    });
  });

  it('diverging puts 0 at the centre of the map, per tile', () => {
    const d = DISPLAY_PRESETS.diverging;
    const out = Float32Array.from([-2, 0, 1, 0.5, 0, 0, 0, 0]);
    const info = describeNormalization(out, [1, 2, 2, 2], d);
    expect(info).toMatchObject({ scope: 'tile', symmetric: true, colorMap: 'diverging', ranges: [{ lo: -2, hi: 2 }, { lo: -5e-6, hi: 5e-6 }] });
    const img = renderOutputGrid(out, [1, 2, 2, 2], d);
    const table = colorMapTable('diverging');
    // Padding 1 around 2x2 tiles: tile 0 value 0 at (x 2, y 1); tile 1 (all zero) at (x 4, y 1).
    const at = (x: number, y: number) => [...img.rgba.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3)];
    const centre = [...table.subarray(128 * 3, 128 * 3 + 3)];
    expect(at(2, 1)).toEqual(centre);
    expect(at(4, 1)).toEqual(centre);
    expect(at(1, 1)).toEqual([...table.subarray(0, 3)]);
    expect(at(0, 0)).toEqual([255, 255, 255]);
  });
});

describe('describeNormalization', () => {
  const out = Float32Array.from([
    // sample 0: channel 0 in [-1, 3], channel 1 in [0, 0.5]
    -1, 3, 2, 0, 0, 0.5, 0.25, 0.1,
    // sample 1: channel 0 in [1, 4], channel 1 in [-2, 0]
    1, 4, 2, 2, -2, 0, -1, -0.5,
  ]);
  const shape = [2, 2, 2, 2] as const;
  const d = (normalization: DisplayConfig['normalization'], extra: Partial<DisplayConfig> = {}): DisplayConfig => ({ ...DEFAULT_DISPLAY, layout: 'channels', normalization, ...extra });

  it('is what renderOutputGridWithScale reports for the grid it drew, and that grid is renderOutputGrid\'s', () => {
    for (const mode of ['tensorboard', 'batch', 'channel', 'tile'] as const) {
      const drawn = renderOutputGridWithScale(out, shape, d(mode));
      expect(drawn.normalization).toEqual(describeNormalization(out, shape, d(mode)));
      expect(drawn.image.rgba).toEqual(renderOutputGrid(out, shape, d(mode)).rgba);
    }
  });

  it('gives the ranges the grids use', () => {
    expect(describeNormalization(out, shape, d('tensorboard'))).toMatchObject({ scope: 'all', ranges: [{ lo: 0, hi: 1 }], rgbTiles: false });
    expect(describeNormalization(out, shape, d('batch')).ranges).toEqual([{ lo: -2, hi: 4 }]);
    expect(describeNormalization(out, shape, d('channel'))).toMatchObject({ scope: 'channel', ranges: [{ lo: -1, hi: 4 }, { lo: -2, hi: 0.5 }] });
    expect(describeNormalization(out, shape, d('tile'))).toMatchObject({ scope: 'tile', ranges: [{ lo: -1, hi: 3 }, { lo: 0, hi: 0.5 }, { lo: 1, hi: 4 }, { lo: -2, hi: 0 }] });
    expect(describeNormalization(out, shape, d('fixed', { range: [-0.5, 0.5] })).ranges).toEqual([{ lo: -0.5, hi: 0.5 }]);
    expect(describeNormalization(out, shape, d('batch', { colorMap: 'diverging' })).ranges).toEqual([{ lo: -4, hi: 4 }]);
    expect(describeNormalization(out, shape, d('batch', { colorMap: 'viridis' }))).toMatchObject({ ranges: [{ lo: -2, hi: 4 }], symmetric: false, colorMap: 'viridis' });
  });

  it('maps each range onto bytes 0..255 in the grid', () => {
    const img = renderOutputGrid(out, shape, d('channel'));
    // Grey tile 2 is sample 1 channel 0, range [-1, 4]: value 4 at tile pixel (0, 1) -> 255, value 1 -> 153.
    const px = (t: number, i: number) => img.rgba[((Math.floor(i / 2)) * img.width + t * 2 + (i % 2)) * 4];
    expect(px(2, 1)).toBe(255);
    expect(px(2, 0)).toBe(Math.trunc(Math.fround(Math.fround(1 + 1) / 5) * 255));
    expect(px(3, 0)).toBe(0);
  });

  it('RGB tiles report no colour map, and ignore NaN', () => {
    const rgb = new Float32Array(3 * 4).fill(0.5);
    rgb[0] = NaN;
    rgb[5] = -3;
    expect(describeNormalization(rgb, [1, 3, 2, 2], { ...DEFAULT_DISPLAY, normalization: 'batch', colorMap: 'viridis' })).toMatchObject({ rgbTiles: true, colorMap: 'gray', ranges: [{ lo: -3, hi: 0.5 }] });
    const img = renderOutputGrid(rgb, [1, 3, 2, 2], { ...DEFAULT_DISPLAY, normalization: 'batch' });
    expect(img.rgba[0]).toBe(0);
  });

  it('refuses a fixed normalisation without a usable range', () => {
    expect(() => describeNormalization(out, shape, d('fixed'))).toThrow(/needs a range \[low, high\] with low < high, got none/);
    expect(() => renderOutputGrid(out, shape, d('fixed', { range: [1, 1] }))).toThrow(/got \[1, 1\]/);
    expect(() => renderOutputGrid(out, shape, { ...d('batch'), columns: 0 })).toThrow(/columns must be a positive integer, got 0/);
    expect(() => renderOutputGrid(out, shape, { ...d('batch'), grid: 'torchvision', padding: -1 })).toThrow(/padding must be a non-negative integer/);
  });
});

describe('locateGridPixel', () => {
  it('finds sample, channels and position on TensorBoard output grids', () => {
    // 64x6x30x30 -> 128 RGB tiles, 8 columns. Canvas (x 95, y 31): column 3, row 1 -> tile 11 = sample 5, channels 3-5.
    expect(locateGridPixel('output', [64, 6, 30, 30], DEFAULT_DISPLAY, 95, 31)).toEqual({ sample: 5, channels: [3, 4, 5], tile: 11, y: 1, x: 5 });
    expect(locateGridPixel('output', [64, 6, 30, 30], DEFAULT_DISPLAY, 239, 479)).toEqual({ sample: 63, channels: [3, 4, 5], tile: 127, y: 29, x: 29 });
    expect(locateGridPixel('output', [64, 6, 30, 30], DEFAULT_DISPLAY, 240, 0)).toBeNull();
    // C = 4: grey tiles, tile 6 = sample 1 channel 2.
    expect(locateGridPixel('output', [3, 4, 6, 6], DEFAULT_DISPLAY, 6 * 6 + 2, 3)).toEqual({ sample: 1, channels: [2], tile: 6, y: 3, x: 2 });
    // 5 samples x 2 tiles = 10 tiles in 8 columns: the second row has 2, the rest is empty canvas.
    expect(locateGridPixel('output', [5, 6, 4, 4], DEFAULT_DISPLAY, 5, 5)).toMatchObject({ sample: 4, channels: [3, 4, 5], y: 1, x: 1 });
    expect(locateGridPixel('output', [5, 6, 4, 4], DEFAULT_DISPLAY, 12, 5)).toBeNull();
  });

  it('knows torchvision padding and that the input card shows RGB images', () => {
    const d = DISPLAY_PRESETS.channels; // 12 columns, padding 1
    expect(locateGridPixel('output', [16, 6, 30, 30], d, 0, 5)).toBeNull();
    expect(locateGridPixel('output', [16, 6, 30, 30], d, 31, 5)).toBeNull();
    expect(locateGridPixel('output', [16, 6, 30, 30], d, 32 + 31 * 7, 1 + 31 + 2)).toEqual({ sample: 3, channels: [2], tile: 20, y: 2, x: 0 });
    expect(locateGridPixel('input', [16, 3, 32, 32], d, 1 + 33 * 11, 1)).toEqual({ sample: 11, channels: [0, 1, 2], tile: 11, y: 0, x: 0 });
    expect(locateGridPixel('input', [16, 3, 32, 32], d, -1, 1)).toBeNull();
    expect(locateGridPixel('input', [16, 3, 32, 32], d, 0.5, 1)).toBeNull();
  });

  it('agrees with the pixels the grid draws', () => {
    const shape = [5, 6, 3, 2] as const;
    const display: DisplayConfig = { ...DISPLAY_PRESETS.channels, normalization: 'fixed', range: [0, 255], columns: 7, padding: 2, padValue: 0 };
    // Each value is its own sample*6 + channel, so the drawn byte names the channel the locator names.
    const out = new Float32Array(5 * 6 * 6).map((_, i) => Math.floor(i / 6) + 1);
    const img = renderOutputGrid(out, shape, display);
    let tilesSeen = 0;
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const hit = locateGridPixel('output', shape, display, x, y);
        const byte = img.rgba[(y * img.width + x) * 4];
        if (hit) {
          tilesSeen++;
          expect(byte).toBe(saveImageByte(Math.fround((hit.sample * 6 + hit.channels[0] + 1) / 255)));
        } else {
          expect(byte).toBe(0);
        }
      }
    }
    expect(tilesSeen).toBe(30 * 6);
  });
});
