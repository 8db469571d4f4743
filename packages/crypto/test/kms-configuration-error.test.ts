import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  vi,
} from 'vitest';
import {
  createEnvelope,
  createKmsKeyProvider,
  KeyProviderError,
  KmsConfigurationError,
  type KmsKeyProviderOptions,
} from '../src/index.js';
import { startKmsLocal, type KmsLocal } from '../src/kms-local/index.js';
import { rejection } from './helpers.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let kms: KmsLocal;
beforeAll(async () => {
  kms = await startKmsLocal();
});
afterAll(async () => kms.stop());

/**
 * The SDK's standard configuration with nothing set: no region, no
 * credentials, no endpoint from the machine, and no instance metadata
 * service (it would be asked over the network otherwise).
 */
function bareAwsEnvironment(): void {
  for (const name of [
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'AWS_PROFILE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_KMS',
  ])
    vi.stubEnv(name, undefined);
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/aws-credentials');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
}

afterEach(() => vi.unstubAllEnvs());

async function generateDataKeyError(
  clientConfig: KmsKeyProviderOptions['clientConfig'],
): Promise<unknown> {
  const provider = createKmsKeyProvider({
    keyIds: ['alias/app'],
    clientConfig,
    maxAttempts: 1,
  });
  const envelope = createEnvelope({ keyProvider: provider, cache: false });
  try {
    return await rejection(envelope.encryptString('x', {}));
  } finally {
    await envelope.close();
    await provider.close();
  }
}

describe('KmsConfigurationError from the real AWS SDK', () => {
  it('reports a missing region as a configuration error naming AWS_REGION, not as UnknownError', async () => {
    bareAwsEnvironment();
    const error = await generateDataKeyError({
      endpoint: kms.url,
      credentials,
    });
    expect(error).toBeInstanceOf(KmsConfigurationError);
    expect(error).toBeInstanceOf(KeyProviderError);
    expect(error).toMatchObject({
      code: 'KENOS_ERR_CRYPTO_KMS_CONFIG',
      problem: 'region',
      errorName: 'RegionMissing',
      operation: 'GenerateDataKey',
      retryable: false,
    });
    expect((error as Error).message).toContain('Region is missing');
    expect((error as Error).message).toContain('AWS_REGION');
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(kms.stats().calls['GenerateDataKey'] ?? 0).toBe(0);
  });

  it('reports a region that is no host name as a region configuration error', async () => {
    bareAwsEnvironment();
    const error = await generateDataKeyError({
      region: 'not a region',
      endpoint: kms.url,
      credentials,
    });
    expect(error).toMatchObject({
      code: 'KENOS_ERR_CRYPTO_KMS_CONFIG',
      problem: 'region',
      errorName: 'InvalidRegion',
    });
  });

  it('reports credentials the SDK cannot load, naming the variables to set', async () => {
    bareAwsEnvironment();
    const error = await generateDataKeyError({
      region: 'us-east-1',
      endpoint: kms.url,
    });
    expect(error).toMatchObject({
      code: 'KENOS_ERR_CRYPTO_KMS_CONFIG',
      problem: 'credentials',
      errorName: 'CredentialsProviderError',
      retryable: false,
    });
    expect((error as Error).message).toContain('AWS_ACCESS_KEY_ID');
    expect((error as Error).cause).toMatchObject({
      name: 'CredentialsProviderError',
    });
  });

  it('reports an endpoint that is no URL, naming AWS_ENDPOINT_URL_KMS', async () => {
    bareAwsEnvironment();
    const error = await generateDataKeyError({
      region: 'us-east-1',
      endpoint: 'not a url',
      credentials,
    });
    expect(error).toMatchObject({
      code: 'KENOS_ERR_CRYPTO_KMS_CONFIG',
      problem: 'endpoint',
      errorName: 'InvalidURL',
    });
    expect((error as Error).message).toContain('AWS_ENDPOINT_URL_KMS');
  });

  it('reports an endpoint the SDK refuses to combine with its settings as an endpoint configuration error', async () => {
    bareAwsEnvironment();
    const error = await generateDataKeyError({
      region: 'us-east-1',
      endpoint: kms.url,
      useFipsEndpoint: true,
      credentials,
    });
    expect(error).toMatchObject({
      code: 'KENOS_ERR_CRYPTO_KMS_CONFIG',
      problem: 'endpoint',
      errorName: 'EndpointError',
    });
  });

  it('keeps a KMS answer a KeyProviderError with the KMS error name', async () => {
    bareAwsEnvironment();
    const error = await generateDataKeyError({
      region: 'us-east-1',
      endpoint: kms.url,
      credentials,
    });
    expect(error).not.toBeInstanceOf(KmsConfigurationError);
    expect(error).toMatchObject({
      code: 'KENOS_ERR_CRYPTO_KEY_PROVIDER',
      errorName: 'NotFoundException',
    });
  });
});
