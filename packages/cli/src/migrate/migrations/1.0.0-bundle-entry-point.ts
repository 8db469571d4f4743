import { createHash } from 'node:crypto';
import type { Migration } from '../migration.js';

const OLD_ENTRY = 'dist/main-bundle.js';
const NEW_ENTRY = 'dist/main.bundle.mjs';
const COMPILE_CACHE = 'NODE_COMPILE_CACHE=/tmp/node-compile-cache';

/**
 * SHA-256 of every version of the files the example greeter had before `kenos bundle`
 * (git history of examples/greeter): a migration deletes such a file only when it is one of these.
 */
const OLD_FILES: ReadonlyMap<string, readonly string[]> = new Map([
  [
    'src/main-bundle.ts',
    ['2fda5b7ebba94c8e5790d05e9c8a6ea64a494611fd327abdf421c4e82e1c6e13'],
  ],
  [
    'src/run.ts',
    ['fb82f9c0fc5aa5b6a2e6430cf7fb8d58e69f49653718971dd04ffdacfc52ecb2'],
  ],
  [
    'rolldown.config.mjs',
    [
      '6c5cb14a3dc5b3086add4e12a0ec5e6f5c0ec28af1a1031bf98d28e7f38be608',
      '91328e0836f51c86d666723c52d601b0303c2ab46152001a1518758abc608596',
    ],
  ],
]);

const sha256 = (text: string): string =>
  createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');

/** The Dockerfile: the new entry point, and the compile cache on the runtime stage's `ENV NODE_ENV=production` line. */
function dockerfile(text: string): string {
  const entry = text.replace(
    /^(ENTRYPOINT\s*\[\s*"node"\s*,\s*")dist\/main-bundle\.js("\s*\])/gm,
    `$1${NEW_ENTRY}$2`,
  );
  if (/^ENV\b[^\n]*\bNODE_COMPILE_CACHE=/m.test(entry)) return entry;
  return entry.replace(
    /^(ENV[ \t]+(?:[^\n]*[ \t])?NODE_ENV=production\b[^\n\\]*?)[ \t]*$/m,
    `$1 ${COMPILE_CACHE}`,
  );
}

/** A Kubernetes manifest: the new entry in every `command:` and `args:` value (flow or block list). */
function manifest(text: string): string {
  const lines = text.split('\n');
  let keyIndent: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const indent = line.length - line.trimStart().length;
    const key = /^(\s*(?:-\s+)?)(command|args)\s*:/.exec(line);
    if (key !== null) keyIndent = (key[1] as string).length;
    else if (
      keyIndent !== undefined &&
      line.trim() !== '' &&
      !(indent > keyIndent) &&
      !(indent === keyIndent && line.trimStart().startsWith('- '))
    )
      keyIndent = undefined;
    if (keyIndent !== undefined)
      lines[i] = line.replaceAll(OLD_ENTRY, NEW_ENTRY);
  }
  return lines.join('\n');
}

/**
 * 1.0.0: the production entry point is `dist/main.bundle.mjs`, written by `kenos bundle`, no
 * longer `dist/main-bundle.js`, a small entry that loaded `dist/run.bundle.mjs` (built with the
 * service's own rolldown config); the image keeps Node's compile cache in /tmp.
 */
export const bundleEntryPoint: Migration = {
  version: '1.0.0',
  id: 'bundle-entry-point',
  description:
    'The production entry point is dist/main.bundle.mjs, written by `kenos bundle`, instead of dist/main-bundle.js, which loaded dist/run.bundle.mjs. ' +
    'Rewrites the Dockerfile ENTRYPOINT and adds NODE_COMPILE_CACHE=/tmp/node-compile-cache to the runtime ENV NODE_ENV=production line, ' +
    'rewrites dist/main-bundle.js in command/args of deploy/k8s/*.yaml, and deletes src/main-bundle.ts, src/run.ts and rolldown.config.mjs ' +
    "when they are the example's old files; otherwise delete them by hand and run `kenos bundle` after tsc in the build script.",
  files: [
    'Dockerfile',
    'deploy/k8s/*.yaml',
    'src/main-bundle.ts',
    'src/run.ts',
    'rolldown.config.mjs',
  ],
  transform(path, text) {
    if (path === 'Dockerfile') return dockerfile(text);
    if (path.startsWith('deploy/k8s/')) return manifest(text);
    const known = OLD_FILES.get(path);
    if (known !== undefined && known.includes(sha256(text))) return null;
    return text;
  },
  manualSteps(service) {
    const steps: string[] = [];
    for (const path of OLD_FILES.keys())
      if (service.files.has(path))
        steps.push(
          `${path} differs from the example's old file: delete it by hand if it only served the old bundle`,
        );
    const scripts = service.packageJson['scripts'] as
      | Record<string, unknown>
      | undefined;
    const build = scripts?.['build'];
    if (typeof build !== 'string' || !build.includes('kenos bundle'))
      steps.push(
        'package.json: run `kenos bundle` after tsc in the build script ("build": "tsc -p tsconfig.lib.json && kenos bundle")',
      );
    return steps;
  },
};
