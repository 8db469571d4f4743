export default {
  extends: ['@commitlint/config-conventional'],
  rules: {
    'scope-enum': [
      2,
      'always',
      [
        'logger',
        'config',
        'crypto',
        'lifecycle',
        'telemetry',
        'server',
        'testing',
        'cli',
        'renovate-config',
        'greeter',
        'examples',
        'tools',
        'bench',
        'release',
        'workspace',
        'deps',
        'docs',
        'ci',
      ],
    ],
  },
};
