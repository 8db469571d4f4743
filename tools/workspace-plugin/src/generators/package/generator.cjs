// @ts-check
'use strict';
const path = require('node:path');
const {
  formatFiles,
  generateFiles,
  readJson,
  updateJson,
  getProjects,
} = require('@nx/devkit');

/**
 * @typedef {object} PackageGeneratorSchema
 * @property {string} name unscoped kebab-case name, also the directory under packages/
 * @property {string} [description] one sentence for package.json and README
 * @property {string} [dependsOn] comma-separated unscoped @kenos packages it may import
 * @property {boolean} [skipFormat] leave the files unformatted (tests)
 */

/** Every publishable package shares one version (ARCHITECTURE.md §6). */
function currentReleaseVersion(tree) {
  for (const [, project] of getProjects(tree)) {
    const manifest = path.posix.join(project.root, 'package.json');
    if (project.root.startsWith('packages/') && tree.exists(manifest)) {
      const pkg = readJson(tree, manifest);
      if (typeof pkg.version === 'string' && !pkg.private) return pkg.version;
    }
  }
  return '0.0.0';
}

/**
 * Creates packages/<name> as @kenos/<name> with the same files every package has:
 * package.json (exports, files, repository, publishConfig, engines, Nx tags),
 * strict TypeScript project references, vitest, eslint, API Extractor report,
 * README and the package's error class (src/<name>-error.ts, the error convention);
 * registers it in the root tsconfig, the module-boundary table and docs/errors.md.
 *
 * @param {import('@nx/devkit').Tree} tree
 * @param {PackageGeneratorSchema} options
 */
async function packageGenerator(tree, options) {
  const name = options.name;
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw new Error(
      `KENOS_ERR_GENERATOR_NAME: "${name}" is not a kebab-case package name`,
    );
  }
  const root = `packages/${name}`;
  if (tree.exists(root)) {
    throw new Error(`KENOS_ERR_GENERATOR_EXISTS: ${root} already exists`);
  }
  const dependsOn = (options.dependsOn ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const description = options.description ?? 'A Kenos platform package.';

  const className = `${name.replace(/(^|-)([a-z0-9])/g, (_, _dash, c) => c.toUpperCase())}Error`;
  const codePrefix = `KENOS_ERR_${name.toUpperCase().replaceAll('-', '_')}_`;
  generateFiles(tree, path.join(__dirname, 'files'), root, {
    name,
    description,
    className,
    codePrefix,
    version: currentReleaseVersion(tree),
    tmpl: '',
  });

  // The error convention: the starter code of src/<name>-error.ts gets its row in docs/errors.md.
  const errorsDoc = 'docs/errors.md';
  const code = `${codePrefix}INVALID_ARGUMENT`;
  if (tree.exists(errorsDoc)) {
    const doc = tree.read(errorsDoc, 'utf8') ?? '';
    if (!doc.includes(`| \`${code}\` |`)) {
      const row = `| \`${code}\` | A function of \`@kenos/${name}\` was given an invalid argument. | Fix the argument named in the message. |`;
      tree.write(errorsDoc, `${doc.trimEnd()}\n${row}\n`);
    }
  }

  updateJson(tree, 'tsconfig.json', (json) => {
    json.references = json.references ?? [];
    if (!json.references.some((r) => r.path === `./${root}`)) {
      json.references.push({ path: `./${root}` });
      json.references.sort((a, b) => a.path.localeCompare(b.path));
    }
    return json;
  });

  const boundaries = 'tools/module-boundaries.json';
  if (tree.exists(boundaries)) {
    updateJson(tree, boundaries, (json) => {
      json.scopes[name] = dependsOn;
      return json;
    });
  }

  if (!options.skipFormat) await formatFiles(tree);
}

module.exports = packageGenerator;
module.exports.default = packageGenerator;
