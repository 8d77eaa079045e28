import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = resolve(__dirname, '..');
const schema = JSON.parse(readFileSync(resolve(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
const config = parse(readFileSync(resolve(root, 'electron-builder.yml'), 'utf8'));

// The schema uses a few non-standard annotations; strict mode would refuse the schema itself.
// Compiling it takes seconds, so once.
const compiled = new Ajv({ strict: false, allErrors: true }).compile(schema);
const validator = () => compiled;

describe('electron-builder.yml', () => {
  it("is valid against app-builder-lib's JSON schema", () => {
    const validate = validator();
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check is live: a wrong key or type is refused', () => {
    const validate = validator();
    expect(validate({ ...config, linuxx: {} })).toBe(false);
    expect(validate({ ...config, linux: { ...config.linux, target: 42 } })).toBe(false);
    expect(validate({ ...config, asar: 'yes please' })).toBe(false);
  });

  it('builds AppImage and deb for Linux, nsis for Windows, dmg for macOS from dist/** and assets/**', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'assets/**']));
    // deb packages refuse to build without a maintainer.
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
  });

  it("ships what the app starts from: package.json's main and the worker outside the asar", () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist/electronMain.js');
    expect(pkg.scripts.dist).toContain('electron-builder --config electron-builder.yml');
    expect(config.asarUnpack).toContain('dist/computeWorker.js');
  });

  it('flips the Electron fuses: no run-as-node, NODE_OPTIONS or --inspect; the app only from its integrity-checked asar', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.asar).toBe(true);
    // The schema knows the fuses: a misspelt fuse is refused, so the check above is not vacuous.
    expect(validator()({ ...config, electronFuses: { ...config.electronFuses, runAsNodee: false } })).toBe(false);
  });
});
