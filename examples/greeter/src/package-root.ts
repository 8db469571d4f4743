import { fileURLToPath } from 'node:url';

/**
 * The package directory (the parent of `dist/`), where `config/`, `proto/` and the development key
 * ship. Computed in a module at the top of `dist/`, the same depth as the single-file bundle
 * `dist/run.bundle.mjs`, so it is right for both (a bundle has one `import.meta.url` for all modules).
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
