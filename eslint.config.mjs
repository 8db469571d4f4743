import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import nx from '@nx/eslint-plugin';

const boundaries = JSON.parse(
  readFileSync(
    new URL('./tools/module-boundaries.json', import.meta.url),
    'utf8',
  ),
);

/**
 * Dependency direction of ARCHITECTURE.md §1, as Nx tag constraints. `testScopes` are
 * allowed in addition from test files: every package's tests may use the test kit.
 */
const constraintsFor = (testScopes) => [
  // nothing in packages/ imports from examples/ or tools/
  {
    sourceTag: 'type:package',
    notDependOnLibsWithTags: ['type:example', 'type:tool'],
  },
  ...Object.entries(boundaries.scopes).map(([scope, allowed]) => {
    const all = [
      ...allowed,
      ...testScopes.filter((name) => name !== scope && !allowed.includes(name)),
    ];
    return {
      sourceTag: `scope:${scope}`,
      onlyDependOnLibsWithTags: all.includes('*')
        ? ['type:package']
        : all.length === 0
          ? ['scope:none (no @kenos dependency allowed)']
          : all.map((name) => `scope:${name}`),
    };
  }),
  { sourceTag: 'type:example', onlyDependOnLibsWithTags: ['type:package'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['*'] },
];
const depConstraints = constraintsFor([]);
const testDepConstraints = constraintsFor(boundaries.testScopes ?? []);
const boundaryOptions = (constraints) => ({
  enforceBuildableLibDependency: true,
  allow: [
    '^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$',
    '^.*/vitest\\.shared\\.mts$',
  ],
  depConstraints: constraints,
});

/**
 * One file-naming rule for every source file: kebab-case (`admin-server.ts`, `logger-error.ts`), so a
 * newcomer meets the same names in every package. Generated code (`generated/`) keeps its generator's names.
 */
const kebabCaseFileNames = {
  meta: {
    type: 'suggestion',
    docs: { description: 'Source file names are kebab-case.' },
    schema: [],
    messages: {
      kebab: 'File name "{{name}}" is not kebab-case: name it "{{expected}}".',
    },
  },
  create(context) {
    const name = basename(context.filename);
    const stem = name.split('.')[0];
    if (
      !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(stem) &&
      !/[\\/]generated[\\/]/.test(context.filename)
    ) {
      const expected = name.replace(
        stem,
        stem
          .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
          .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
          .toLowerCase(),
      );
      context.report({
        loc: { line: 1, column: 0 },
        messageId: 'kebab',
        data: { name, expected },
      });
    }
    return {};
  },
};

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: [
      '**/dist',
      '**/out-tsc',
      '**/test-output',
      '**/tmp',
      '**/vitest.config.*.timestamp*',
      '**/templates/**',
      // @kenos/cli: the service template of `kenos new` (built from examples/greeter, linted there)
      // and its overlay files, a generated service's own config (patterns relative to packages/cli)
      'template/**',
      'service-template/**',
    ],
  },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    plugins: {
      kenos: { rules: { 'kebab-case-file-names': kebabCaseFileNames } },
    },
    rules: {
      'kenos/kebab-case-file-names': 'error',
      '@nx/enforce-module-boundaries': [
        'error',
        boundaryOptions(depConstraints),
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportAllDeclaration',
          message:
            'No `export *` in Kenos code: export every public symbol by name.',
        },
      ],
    },
  },
  {
    // Tests read parsed JSON (log lines, HTTP bodies): `any` and `!` on known indexes are the honest types there.
    files: ['**/test/**/*.{ts,mjs}', '**/*.test.{ts,mjs}'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        boundaryOptions(testDepConstraints),
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/package.json'],
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          ignoredFiles: [
            '{projectRoot}/eslint.config.{js,cjs,mjs,ts,cts,mts}',
            '{projectRoot}/vitest.config.{js,ts,mjs,mts}',
            '{projectRoot}/**/*.test.{ts,mts,js,mjs}',
            '{projectRoot}/test/**/*',
            '{projectRoot}/bench/**/*',
            // type-only code written by proto-loader-gen-types (its grpc-js types are build-time only)
            '{projectRoot}/src/**/generated/**/*',
          ],
          // @types packages a public .d.ts exposes (express's Router in @kenos/server) are runtime dependencies on purpose.
          ignoredDependencies: [
            '@types/node',
            '@types/express',
            '@types/convict',
          ],
        },
      ],
    },
    languageOptions: {
      parser: await import('jsonc-eslint-parser'),
    },
  },
];
