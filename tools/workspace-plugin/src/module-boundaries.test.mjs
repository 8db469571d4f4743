import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const cwd = new URL('../../../', import.meta.url).pathname;
const eslint = new ESLint({ cwd });

async function boundaryErrors(filePath, code) {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages
    .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
    .map((m) => m.message);
}

describe('module boundaries (ARCHITECTURE.md §1)', () => {
  it('fail lint when @kenos/logger imports @kenos/server (reported as the cycle it would make)', async () => {
    const errors = await boundaryErrors(
      'packages/logger/src/probe.ts',
      "import '@kenos/server';\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /Circular dependency between "logger" and "server"/,
    );
  });

  it('fail lint when @kenos/logger imports any other @kenos package', async () => {
    const errors = await boundaryErrors(
      'packages/logger/src/probe.ts',
      "import '@kenos/crypto';\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/scope:logger.*can only depend on/);
  });

  it('fail lint when @kenos/lifecycle imports @kenos/config', async () => {
    const errors = await boundaryErrors(
      'packages/lifecycle/src/probe.ts',
      "import '@kenos/config';\n",
    );
    expect(errors).toHaveLength(1);
  });

  it('allow @kenos/config to import @kenos/logger and @kenos/crypto', async () => {
    const code = "import '@kenos/logger';\nimport '@kenos/crypto';\n";
    expect(await boundaryErrors('packages/config/src/probe.ts', code)).toEqual(
      [],
    );
  });

  it('allow @kenos/server to import every runtime package', async () => {
    const code = ['logger', 'config', 'crypto', 'lifecycle', 'telemetry']
      .map((p) => `import '@kenos/${p}';`)
      .join('\n');
    expect(
      await boundaryErrors('packages/server/src/probe.ts', `${code}\n`),
    ).toEqual([]);
  });

  it('allow the tests of @kenos/logger to import the test kit, but not its source', async () => {
    expect(
      await boundaryErrors(
        'packages/logger/test/probe.ts',
        "import '@kenos/testing/process';\n",
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        'packages/logger/src/probe.ts',
        "import '@kenos/testing/process';\n",
      ),
    ).toHaveLength(1);
  });

  it('fail lint when @kenos/testing imports any @kenos package, so that every test may use it without a cycle', async () => {
    expect(
      await boundaryErrors(
        'packages/testing/src/probe.ts',
        "import '@kenos/logger';\n",
      ),
    ).toHaveLength(1);
    expect(
      await boundaryErrors(
        'packages/testing/test/probe.ts',
        "import '@kenos/config';\n",
      ),
    ).toHaveLength(1);
  });
});
