// The production bundle of the greeter: dist/run.js and everything it imports in one file,
// dist/run.bundle.mjs (`nx run example-greeter:bundle`), started by dist/main-bundle.js, which the
// Dockerfile runs. One file
// instead of several hundred modules cuts the start of a component by about a fifth: no module resolution,
// one read and one compile-cache entry (docs/server.md "Startup time and cost").
//
// Kept external (loaded from node_modules at run time, as without a bundle): packages that read
// files next to their own code (.proto files of grpc-health-check and @grpc/reflection, and the
// protobufjs/proto-loader pair they share with the transport), packages loaded on demand through
// createRequire (AWS SDK for KMS, the OpenTelemetry SDK when exporting, pino-pretty), and native
// or optional ones. The bundle must live at the top of dist/, the depth of the modules that
// compute paths from import.meta.url (src/package-root.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig } from 'rolldown';

const require = createRequire(import.meta.url);
const kenosVersion = JSON.parse(
  readFileSync(require.resolve('@kenos/telemetry/package.json'), 'utf8'),
).version;

export const EXTERNAL = [
  /^grpc-health-check(\/|$)/,
  /^@grpc\/reflection(\/|$)/,
  /^@grpc\/proto-loader(\/|$)/,
  /^protobufjs(\/|$)/,
  /^@aws-sdk\//,
  /^@smithy\//,
  /^@opentelemetry\/(sdk-trace|resources|exporter-)/,
  /^pino-pretty(\/|$)/,
];

export default defineConfig({
  input: 'dist/run.js',
  platform: 'node',
  external: EXTERNAL,
  transform: {
    define: { __KENOS_SDK_VERSION__: JSON.stringify(kenosVersion) },
  },
  output: {
    file: 'dist/run.bundle.mjs',
    format: 'esm',
    codeSplitting: false,
    sourcemap: true,
  },
});
