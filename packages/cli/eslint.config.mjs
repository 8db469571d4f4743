import base from '../../eslint.config.mjs';

export default [
  ...base,
  // the service template of `kenos new` (built from examples/greeter, linted there) and its
  // overlay files, which are a generated service's own config, not code of this package
  { ignores: ['template/**', 'service-template/**'] },
];
