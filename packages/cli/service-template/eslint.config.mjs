import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'src/adapters/grpc/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // tests read parsed YAML and log lines as loosely typed records
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
