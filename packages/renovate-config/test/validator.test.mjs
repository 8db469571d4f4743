// The preset and the generated service's renovate.json checked by Renovate itself: its
// renovate-config-validator in strict mode, and its own parser of preset names.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRenovate } from './renovate-install.mjs';

const presetFile = fileURLToPath(new URL('../default.json', import.meta.url));
const templateFile = fileURLToPath(
  new URL('../../cli/service-template/renovate.json', import.meta.url),
);
let renovate;
let dir;

/** renovate-config-validator --strict on `file`, as repository (not global) configuration. */
function validate(file) {
  const result = spawnSync(
    process.execPath,
    [renovate.validator, '--strict', '--no-global', file],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'info' } },
  );
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

beforeAll(() => {
  renovate = ensureRenovate();
  dir = mkdtempSync(join(tmpdir(), 'kenos-renovate-config-'));
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Renovate on the preset', () => {
  it('validates the preset in strict mode', () => {
    const file = join(dir, 'default.json');
    copyFileSync(presetFile, file);
    const { code, output } = validate(file);
    expect(output).toContain('Config validated successfully');
    expect(code).toBe(0);
  });

  it('rejects a preset with an unknown option, so the check is real', () => {
    const preset = JSON.parse(readFileSync(presetFile, 'utf8'));
    preset.packageRules[0].notAnOption = true;
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(preset));
    const { code, output } = validate(file);
    expect(output).toContain('packageRules[0].notAnOption');
    expect(code).not.toBe(0);
  });

  it('validates the renovate.json of a generated service in strict mode', () => {
    const file = join(dir, 'renovate.json');
    copyFileSync(templateFile, file);
    const { code, output } = validate(file);
    expect(output).toContain('Config validated successfully');
    expect(code).toBe(0);
  });

  it('reads the service preset as this repository file on GitHub', () => {
    const { extends: presets } = JSON.parse(readFileSync(templateFile, 'utf8'));
    const require = createRequire(join(renovate.dir, 'node_modules/renovate/'));
    const script = `const { parsePreset } = require(${JSON.stringify(
      require.resolve('renovate/dist/config/presets/parse.js'),
    )}); console.log(JSON.stringify(parsePreset(process.argv[1])));`;
    const parsed = JSON.parse(
      execFileSync(process.execPath, ['-e', script, presets[1]], {
        encoding: 'utf8',
      }),
    );
    expect(parsed).toMatchObject({
      presetSource: 'github',
      repo: 'kenos-platform/kenos',
      presetPath: 'packages/renovate-config',
      presetName: 'default.json',
    });
  });
});
