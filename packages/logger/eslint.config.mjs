import base from '../../eslint.config.mjs';

export default [
  ...base,
  {
    // Tests read parsed JSON log lines: `any` and `!` on known indexes are the honest types there.
    files: ['test/**/*.ts', 'src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
];
