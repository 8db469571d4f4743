import base from '../../eslint.config.mjs';

export default [
  ...base,
  {
    // @types/express is a runtime dependency on purpose: the public .d.ts exposes express's Router type
    // (RestRouter), so consumers need it to type-check; no source file imports it by that name.
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
          ],
          ignoredDependencies: ['@types/node', '@types/express'],
        },
      ],
    },
  },
];
