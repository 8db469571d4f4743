import { randomBytes } from 'node:crypto';
import {
  createLocalKeyProvider,
  type DataKey,
  type EncryptionContext,
  type KeyProvider,
  type WrappedDataKey,
} from '../src/index.js';

/** A local provider with fresh random keys; the first id is the primary. */
export function localProvider(...ids: string[]): KeyProvider {
  const keyIds = ids.length > 0 ? ids : ['test-key-1'];
  return createLocalKeyProvider({
    keys: keyIds.map((id) => ({ id, key: randomBytes(32) })),
  });
}

/** Wraps a provider and counts its calls, optionally delaying each one. */
export class CountingProvider implements KeyProvider {
  readonly calls = {
    generateDataKey: 0,
    decryptDataKey: 0,
    reWrapDataKey: 0,
    wrapDataKey: 0,
  };
  readonly issued: Uint8Array[] = [];

  constructor(
    readonly inner: KeyProvider,
    readonly delayMs = 0,
  ) {}

  get kind(): string {
    return this.inner.kind;
  }

  get primaryKeyId(): string {
    return this.inner.primaryKeyId;
  }

  async generateDataKey(context: EncryptionContext): Promise<DataKey> {
    this.calls.generateDataKey++;
    await this.#delay();
    const key = await this.inner.generateDataKey(context);
    this.issued.push(key.plaintextKey);
    return key;
  }

  async decryptDataKey(
    wrapped: WrappedDataKey,
    context: EncryptionContext,
  ): Promise<Uint8Array> {
    this.calls.decryptDataKey++;
    await this.#delay();
    const key = await this.inner.decryptDataKey(wrapped, context);
    this.issued.push(key);
    return key;
  }

  async reWrapDataKey(
    wrapped: WrappedDataKey,
    context: EncryptionContext,
  ): Promise<WrappedDataKey> {
    this.calls.reWrapDataKey++;
    return this.inner.reWrapDataKey(wrapped, context);
  }

  async wrapDataKey(
    plaintextKey: Uint8Array,
    context: EncryptionContext,
  ): Promise<WrappedDataKey> {
    this.calls.wrapDataKey++;
    return this.inner.wrapDataKey(plaintextKey, context);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  async #delay(): Promise<void> {
    if (this.delayMs > 0)
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
  }
}

/** Resolves to the error a promise rejects with; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** The value, or a test failure when it is missing. */
export function defined<T>(value: T | undefined | null): T {
  if (value === undefined || value === null)
    throw new Error('expected a value');
  return value;
}
