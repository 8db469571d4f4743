#!/usr/bin/env node
// Regenerates packages/telemetry/assets/ from the built package (run `npx nx build telemetry` first):
//   node packages/telemetry/scripts/generate-assets.mjs
// test/assets.test.ts fails when the committed files differ from this output.
import { mkdirSync, writeFileSync } from 'node:fs';
import { renderObservabilityAssets } from '../dist/assets.js';

const dir = new URL('../assets/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [name, content] of Object.entries(renderObservabilityAssets())) {
  writeFileSync(new URL(name, dir), content);
  console.log(`wrote assets/${name} (${content.length} bytes)`);
}
