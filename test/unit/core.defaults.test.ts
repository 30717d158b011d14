import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTING_DEFAULTS } from '../../src/core/defaults';

describe('defaults', () => {
  it("are the manifest's: every editscope setting in package.json has the default the code uses, and no other", () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    const properties: Record<string, { default?: unknown }> = manifest.contributes.configuration.properties;
    const declared = Object.fromEntries(Object.entries(properties).map(([name, p]) => [name.replace(/^editscope\./, ''), p.default]));
    assert.deepEqual(declared, SETTING_DEFAULTS);
  });
});
