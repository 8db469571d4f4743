// Builds packages/cli/template/, the template `kenos new` generates services from, out of the
// example service examples/greeter (the one source of truth: docs/decisions.md D6) and the files
// of packages/cli/service-template/ that a service outside this repository needs instead of the
// example's monorepo wiring (package.json, tsconfig, eslint, vitest, Dockerfile, README, CI).
// Run by the Nx target `cli:template`, a dependency of `cli:build`.
import {
  cp,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const example = join(cliDir, '../../examples/greeter');
const overlay = join(cliDir, 'service-template');
const out = join(cliDir, 'template');

/**
 * What a service takes from the example, as is (the generator substitutes the name). Not taken:
 * the example's monorepo wiring (replaced by service-template/), its development key and
 * encrypted secrets (a service gets its own), and the tests that exercise the platform through
 * the example rather than the service's own behaviour (connection caps, rolling restart, a real
 * Prometheus): they stay in this repository.
 */
export const FROM_EXAMPLE = [
  'src',
  'proto',
  'config/default.yaml',
  'deploy',
  'test/greeter.test.ts',
  'test/drain.test.ts',
  'test/bundle.test.ts',
  'test/deploy.test.ts',
  'test/k8s-schema.test.ts',
];

// imported when needed, as everywhere in the CLI (the lint rule for lazy-loaded packages)
const { createLocalKeyProvider, loadSecretFile, serializeSecretDocument } =
  await import('@kenos/crypto');

/**
 * Left out of what FROM_EXAMPLE takes: the generated grpc-js type of the whole proto package,
 * named after the .proto file (greeter.ts), which the service does not import and which a
 * service's `npm run generate` writes under its own name.
 */
export const NOT_FROM_EXAMPLE = ['src/adapters/grpc/generated/greeter.ts'];

await rm(out, { recursive: true, force: true });
for (const path of FROM_EXAMPLE) {
  await mkdir(dirname(join(out, path)), { recursive: true });
  await cp(join(example, path), join(out, path), { recursive: true });
}
for (const path of NOT_FROM_EXAMPLE) await rm(join(out, path));
await cp(overlay, out, { recursive: true });
// package.json and tsconfig files are stored as *.tmpl, or Nx would take service-template/ for a project
for (const entry of await readdir(out, {
  recursive: true,
  withFileTypes: true,
}))
  if (entry.isFile() && entry.name.endsWith('.tmpl')) {
    const from = join(entry.parentPath, entry.name);
    await rename(from, from.slice(0, -'.tmpl'.length));
  }

// the example's development secrets in plaintext: `kenos new` encrypts them with the new service's key
const secrets = await loadSecretFile(
  join(example, 'config/development.secrets.yaml'),
  {
    keyProvider: createLocalKeyProvider({
      keyFile: join(example, '.kenos/dev.key'),
    }),
  },
);
await writeFile(
  join(out, 'config/development.secrets.plain.yaml'),
  `# kenos new encrypts this file with the new service's development key\n${serializeSecretDocument(secrets, 'yaml')}`,
);
const { name } = JSON.parse(await readFile(join(out, 'package.json'), 'utf8'));
process.stdout.write(`template of ${name} written to ${out}\n`);
