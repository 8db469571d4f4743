import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const requireFromPackage = createRequire(join(packageDir, 'package.json'));
/** The directory of an installed package, as @kenos/crypto resolves it in this repository. */
const installed = (name: string): string =>
  dirname(requireFromPackage.resolve(`${name}/package.json`));

/**
 * A service's node_modules without the AWS SDK: the built @kenos/crypto and its one other
 * runtime dependency (yaml), in a temporary directory outside the repository, so that nothing
 * up the tree resolves @aws-sdk/client-kms. The script makes a KMS key provider and calls it
 * twice (the second call loads the SDK again); no request is sent, the endpoint is never used.
 */
const SCRIPT = `
import { createRequire } from 'node:module';
import { createKmsKeyProvider, CryptoError } from '@kenos/crypto';

const fromCrypto = createRequire(import.meta.resolve('@kenos/crypto/package.json'));
let sdkResolvable = true;
try { fromCrypto.resolve('@aws-sdk/client-kms'); } catch { sdkResolvable = false; }
const provider = createKmsKeyProvider({
  keyIds: ['alias/app'],
  clientConfig: { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
  maxAttempts: 1,
});
const calls = [];
for (let i = 0; i < 2; i++) {
  try {
    await provider.generateDataKey({ app: 'test' });
    calls.push({ sdkResolvable, ok: true });
  } catch (e) {
    calls.push({ sdkResolvable, ok: false, name: e.name, code: e.code, message: e.message,
      cryptoError: e instanceof CryptoError, causeCode: e.cause?.code });
  }
}
await provider.close();
process.stdout.write(JSON.stringify(calls));
`;

interface Call {
  sdkResolvable: boolean;
  ok: boolean;
  name?: string;
  code?: string;
  message?: string;
  cryptoError?: boolean;
  causeCode?: string;
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kenos-crypto-no-sdk-'));
  const crypto = join(dir, 'node_modules/@kenos/crypto');
  await mkdir(crypto, { recursive: true });
  await cp(join(packageDir, 'package.json'), join(crypto, 'package.json'));
  await cp(join(packageDir, 'dist'), join(crypto, 'dist'), { recursive: true });
  await symlink(installed('yaml'), join(dir, 'node_modules/yaml'), 'dir');
  await writeFile(join(dir, 'main.mjs'), SCRIPT);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('@aws-sdk/client-kms not installed', () => {
  it('fails every KMS call with KENOS_ERR_CRYPTO_KMS_SDK_MISSING saying npm install @aws-sdk/client-kms', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['main.mjs'],
      { cwd: dir, timeout: 30_000 },
    );
    const calls = JSON.parse(stdout) as Call[];
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call).toMatchObject({
        sdkResolvable: false,
        ok: false,
        name: 'CryptoError',
        code: 'KENOS_ERR_CRYPTO_KMS_SDK_MISSING',
        cryptoError: true,
        causeCode: 'ERR_MODULE_NOT_FOUND',
      });
      expect(call.message).toContain('npm install @aws-sdk/client-kms');
    }
  });
});
