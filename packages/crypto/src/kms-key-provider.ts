import type { KMSClient, KMSClientConfig } from '@aws-sdk/client-kms';
import { kmsContext, type EncryptionContext } from './encryption-context.js';
import {
  CryptoError,
  DecryptionError,
  KeyProviderError,
} from './crypto-error.js';
import { toProviderError } from './kms-errors.js';
import { loadKmsSdk, type KmsSdk } from './kms-sdk.js';
import {
  assertDataKeyLength,
  DATA_KEY_BYTES,
  type DataKey,
  type KeyProvider,
  type WrappedDataKey,
} from './key-provider.js';

/** Options of {@link createKmsKeyProvider}. */
export interface KmsKeyProviderOptions {
  /**
   * KMS key ids, key ARNs or alias names/ARNs. The first is the primary:
   * new data keys are made and re-wrapped with it. Ciphertexts naming any of
   * them decrypt. Required, at least one.
   */
  readonly keyIds: readonly string[];
  /**
   * A KMSClient you configured yourself; its retry and timeout settings are
   * used as they are, and `close()` leaves it open. Default a client made
   * from `clientConfig`.
   */
  readonly client?: KMSClient;
  /**
   * Configuration of the client the provider makes. Anything left out follows
   * the SDK's standard configuration: `AWS_REGION`/profile region, the default
   * credential provider chain, `AWS_ENDPOINT_URL_KMS`/`AWS_ENDPOINT_URL`.
   * Default `{}`.
   */
  readonly clientConfig?: KMSClientConfig;
  /**
   * Attempts per KMS call, the first included, for a client the provider
   * makes. The SDK's standard retry mode retries throttling, 5xx and network
   * errors with exponential backoff and full jitter; access denied and
   * invalid ciphertext are never retried. Default `3`.
   */
  readonly maxAttempts?: number;
  /** Timeout of one HTTP attempt in ms (a hanging KMS), for a client the provider makes. Default `3000`. */
  readonly requestTimeoutMs?: number;
  /** Deadline of one provider call, retries included, in ms; past it the call fails with a retryable `TimeoutError`. Default `10000`. */
  readonly timeoutMs?: number;
  /**
   * Decrypt with whatever key a ciphertext names (KMS and IAM decide), not
   * only with `keyIds`. Default `false` (strict: a ciphertext naming another
   * key fails with `DecryptionError` without calling KMS).
   */
  readonly discovery?: boolean;
}

const DEFAULTS = {
  maxAttempts: 3,
  requestTimeoutMs: 3000,
  timeoutMs: 10_000,
  discovery: false,
};

/**
 * A key provider over AWS KMS (`GenerateDataKey`, `Decrypt`, `ReEncrypt`,
 * `Encrypt`) with the encryption context passed as KMS `EncryptionContext`.
 */
export function createKmsKeyProvider(
  options: KmsKeyProviderOptions,
): KeyProvider {
  const keyIds = options?.keyIds;
  if (
    !Array.isArray(keyIds) ||
    keyIds.length === 0 ||
    keyIds.some((k) => typeof k !== 'string' || k === '')
  ) {
    throw new CryptoError(
      'KENOS_ERR_CRYPTO_INVALID_ARGUMENT',
      'createKmsKeyProvider needs keyIds: at least one key id',
    );
  }
  const settings = {
    maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    discovery: options.discovery ?? DEFAULTS.discovery,
  };
  // The AWS SDK (~100 ms of import and ~25 MB RSS) loads on the first KMS call, not at startup:
  // most processes of a service never call KMS, or only after they report ready.
  const clientConfig: KMSClientConfig = {
    maxAttempts: settings.maxAttempts,
    retryMode: 'standard',
    requestHandler: {
      requestTimeout: settings.requestTimeoutMs,
      connectionTimeout: settings.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
    ...options.clientConfig,
  };
  return new KmsKeyProvider(
    options.client ?? clientConfig,
    [...keyIds],
    settings,
  );
}

/** The SDK module and the client, once loaded. */
interface Kms {
  readonly sdk: KmsSdk;
  readonly client: KMSClient;
}

class KmsKeyProvider implements KeyProvider {
  readonly kind = 'aws-kms';
  readonly primaryKeyId: string;
  readonly #clientOrConfig: KMSClient | KMSClientConfig;
  readonly #ownsClient: boolean;
  #kms: Promise<Kms> | undefined;
  readonly #keyIds: string[];
  readonly #allowed: Set<string>;
  readonly #timeoutMs: number;
  readonly #discovery: boolean;
  #resolving: Promise<void> | undefined;
  #resolved = false;

  constructor(
    clientOrConfig: KMSClient | KMSClientConfig,
    keyIds: string[],
    settings: { timeoutMs: number; discovery: boolean },
  ) {
    this.#clientOrConfig = clientOrConfig;
    this.#ownsClient = !isClient(clientOrConfig);
    this.#keyIds = keyIds;
    this.primaryKeyId = keyIds[0] ?? '';
    this.#allowed = new Set(keyIds);
    this.#timeoutMs = settings.timeoutMs;
    this.#discovery = settings.discovery;
  }

  async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    const out = await this.#send(
      'GenerateDataKey',
      this.primaryKeyId,
      (abortSignal, { sdk, client }) =>
        client.send(
          new sdk.GenerateDataKeyCommand({
            KeyId: this.primaryKeyId,
            KeySpec: 'AES_256',
            EncryptionContext: kmsContext(context),
          }),
          { abortSignal },
        ),
    );
    if (
      !out.Plaintext ||
      out.Plaintext.length !== DATA_KEY_BYTES ||
      !out.CiphertextBlob ||
      !out.KeyId
    ) {
      throw new KeyProviderError({
        operation: 'GenerateDataKey',
        errorName: 'InvalidResponse',
        retryable: false,
      });
    }
    this.#allowed.add(out.KeyId);
    return {
      keyId: out.KeyId,
      wrappedKey: out.CiphertextBlob,
      plaintextKey: out.Plaintext,
    };
  }

  async decryptDataKey(
    wrapped: WrappedDataKey,
    context: EncryptionContext,
  ): Promise<Uint8Array> {
    await this.#assertAllowed(wrapped.keyId);
    const out = await this.#send(
      'Decrypt',
      wrapped.keyId,
      (abortSignal, { sdk, client }) =>
        client.send(
          new sdk.DecryptCommand({
            CiphertextBlob: wrapped.wrappedKey,
            KeyId: wrapped.keyId,
            EncryptionContext: kmsContext(context),
          }),
          { abortSignal },
        ),
    );
    if (!out.Plaintext || out.Plaintext.length !== DATA_KEY_BYTES) {
      out.Plaintext?.fill(0);
      throw new DecryptionError();
    }
    return out.Plaintext;
  }

  async reWrapDataKey(
    wrapped: WrappedDataKey,
    context: EncryptionContext,
  ): Promise<WrappedDataKey> {
    await this.#assertAllowed(wrapped.keyId);
    const out = await this.#send(
      'ReEncrypt',
      wrapped.keyId,
      (abortSignal, { sdk, client }) =>
        client.send(
          new sdk.ReEncryptCommand({
            CiphertextBlob: wrapped.wrappedKey,
            SourceKeyId: wrapped.keyId,
            SourceEncryptionContext: kmsContext(context),
            DestinationKeyId: this.primaryKeyId,
            DestinationEncryptionContext: kmsContext(context),
          }),
          { abortSignal },
        ),
    );
    if (!out.CiphertextBlob || !out.KeyId) {
      throw new KeyProviderError({
        operation: 'ReEncrypt',
        errorName: 'InvalidResponse',
        retryable: false,
      });
    }
    this.#allowed.add(out.KeyId);
    return { keyId: out.KeyId, wrappedKey: out.CiphertextBlob };
  }

  async wrapDataKey(
    plaintextKey: Uint8Array,
    context: EncryptionContext,
  ): Promise<WrappedDataKey> {
    assertDataKeyLength(plaintextKey);
    const out = await this.#send(
      'Encrypt',
      this.primaryKeyId,
      (abortSignal, { sdk, client }) =>
        client.send(
          new sdk.EncryptCommand({
            KeyId: this.primaryKeyId,
            Plaintext: plaintextKey,
            EncryptionContext: kmsContext(context),
          }),
          { abortSignal },
        ),
    );
    if (!out.CiphertextBlob || !out.KeyId) {
      throw new KeyProviderError({
        operation: 'Encrypt',
        errorName: 'InvalidResponse',
        retryable: false,
      });
    }
    this.#allowed.add(out.KeyId);
    return { keyId: out.KeyId, wrappedKey: out.CiphertextBlob };
  }

  async close(): Promise<void> {
    if (this.#ownsClient && this.#kms)
      (await this.#kms.catch(() => undefined))?.client.destroy();
  }

  /** Loads the SDK and makes the client on first use; a failed load is retried next time. */
  #loadKms(): Promise<Kms> {
    this.#kms ??= loadKmsSdk().then(
      (sdk) => ({
        sdk,
        client: isClient(this.#clientOrConfig)
          ? this.#clientOrConfig
          : new sdk.KMSClient(this.#clientOrConfig),
      }),
      (error: unknown) => {
        this.#kms = undefined;
        throw error;
      },
    );
    return this.#kms;
  }

  /** Strict mode: only keys listed in keyIds (or their ARNs) may decrypt. */
  async #assertAllowed(keyId: string): Promise<void> {
    if (this.#discovery || this.#matches(keyId)) return;
    if (!this.#resolved) {
      this.#resolving ??= this.#resolveArns().finally(() => {
        this.#resolving = undefined;
      });
      await this.#resolving;
      if (this.#matches(keyId)) return;
    }
    throw new DecryptionError();
  }

  #matches(keyId: string): boolean {
    if (this.#allowed.has(keyId)) return true;
    return this.#keyIds.some(
      (id) =>
        !id.includes(':') &&
        !id.startsWith('alias/') &&
        keyId.endsWith(`:key/${id}`),
    );
  }

  async #resolveArns(): Promise<void> {
    for (const id of this.#keyIds) {
      try {
        const out = await this.#send(
          'DescribeKey',
          id,
          (abortSignal, { sdk, client }) =>
            client.send(new sdk.DescribeKeyCommand({ KeyId: id }), {
              abortSignal,
            }),
        );
        if (out.KeyMetadata?.Arn) this.#allowed.add(out.KeyMetadata.Arn);
      } catch (error) {
        // a listed key that no longer exists names no ciphertext; anything else (throttling) is retried next time
        if (
          !(
            error instanceof KeyProviderError &&
            error.errorName === 'NotFoundException'
          )
        )
          throw error;
      }
    }
    this.#resolved = true;
  }

  /**
   * One provider call under its deadline (`timeoutMs`, loading the SDK
   * included): the platform's `AbortSignal.timeout` aborts the SDK request, and
   * the call rejects at that moment with a retryable `TimeoutError` whatever
   * the SDK is doing (a retry backoff, a hanging connection). Its timer does
   * not hold the process open.
   */
  async #send<T>(
    operation: string,
    keyId: string,
    call: (signal: AbortSignal, kms: Kms) => Promise<T>,
  ): Promise<T> {
    const signal = AbortSignal.timeout(this.#timeoutMs);
    const expired = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(this.#timeout(operation)), {
        once: true,
      }),
    );
    try {
      const kms = await Promise.race([this.#loadKms(), expired]);
      return await Promise.race([call(signal, kms), expired]);
    } catch (error) {
      throw toProviderError(operation, keyId, error);
    }
  }

  #timeout(operation: string): Error {
    const timeout = new Error(
      `KMS ${operation} did not answer within ${this.#timeoutMs} ms`,
    );
    timeout.name = 'TimeoutError';
    return timeout;
  }
}

function isClient(value: KMSClient | KMSClientConfig): value is KMSClient {
  return typeof (value as KMSClient).send === 'function';
}
