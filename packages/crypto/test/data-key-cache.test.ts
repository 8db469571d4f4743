import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DataKeyCache } from '../src/data-key-cache.js';
import {
  createEnvelope,
  DATA_KEY_CACHE_DEFAULTS,
  type Envelope,
} from '../src/index.js';
import { CountingProvider, defined, localProvider } from './helpers.js';

const ctx = { tenant: 't-1' };
const opened: Envelope[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(opened.splice(0).map((e) => e.close()));
});

function counted(
  cache?: ConstructorParameters<typeof DataKeyCache>[0],
  delayMs = 0,
): {
  envelope: Envelope;
  provider: CountingProvider;
} {
  const provider = new CountingProvider(localProvider(), delayMs);
  const envelope = createEnvelope({
    keyProvider: provider,
    ...(cache ? { cache } : {}),
  });
  opened.push(envelope);
  return { envelope, provider };
}

describe('data-key cache', () => {
  it(
    'makes one data key for 10,000 encryptions under one context and one unwrap for their 10,000 decryptions',
    { timeout: 120_000 },
    async () => {
      const { envelope, provider } = counted();
      const cts: Uint8Array[] = [];
      for (let i = 0; i < 10_000; i++)
        cts.push(await envelope.encrypt(`value ${i}`, ctx));
      expect(provider.calls.generateDataKey).toBe(1);
      for (const [i, ct] of cts.entries()) {
        expect(Buffer.from(await envelope.decrypt(ct, ctx)).toString()).toBe(
          `value ${i}`,
        );
      }
      expect(provider.calls.decryptDataKey).toBe(1);
    },
  );

  it('shares one provider call among concurrent misses', async () => {
    const { envelope, provider } = counted(undefined, 20);
    const cts = await Promise.all(
      Array.from({ length: 200 }, (_, i) => envelope.encrypt(`v${i}`, ctx)),
    );
    expect(provider.calls.generateDataKey).toBe(1);
    // a second envelope over the same local keys has a cold decryption cache
    const readerProvider = new CountingProvider(provider.inner, 20);
    const reader = createEnvelope({ keyProvider: readerProvider });
    opened.push(reader);
    await Promise.all(cts.map((ct) => reader.decrypt(ct, ctx)));
    expect(readerProvider.calls.decryptDataKey).toBe(1);
  });

  it('keeps one data key per context', async () => {
    const { envelope, provider } = counted();
    for (let i = 0; i < 30; i++)
      await envelope.encrypt('x', { tenant: `t-${i % 3}` });
    expect(provider.calls.generateDataKey).toBe(3);
  });

  it('makes a new data key after maxMessages messages', async () => {
    const { envelope, provider } = counted({ maxMessages: 10 });
    for (let i = 0; i < 25; i++) await envelope.encrypt('x', ctx);
    expect(provider.calls.generateDataKey).toBe(3);
  });

  it('makes a new data key when maxBytes would be exceeded, and a dedicated key for an oversized message', async () => {
    const { envelope, provider } = counted({ maxBytes: 1000 });
    for (let i = 0; i < 4; i++) await envelope.encrypt(randomBytes(400), ctx);
    expect(provider.calls.generateDataKey).toBe(2);
    const big = randomBytes(2000);
    const ct = await envelope.encrypt(big, ctx);
    expect(provider.calls.generateDataKey).toBe(3);
    expect(Buffer.from(await envelope.decrypt(ct, ctx)).equals(big)).toBe(true);
  });

  it('makes a new data key after maxAgeMs and unwraps again after decryptionTtlMs', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { envelope, provider } = counted({
      maxAgeMs: 60_000,
      decryptionTtlMs: 30_000,
    });
    const ct = await envelope.encrypt('x', ctx);
    await envelope.decrypt(ct, ctx);
    vi.advanceTimersByTime(31_000);
    await envelope.encrypt('x', ctx);
    await envelope.decrypt(ct, ctx);
    expect(provider.calls).toMatchObject({
      generateDataKey: 1,
      decryptDataKey: 2,
    });
    vi.advanceTimersByTime(30_000);
    await envelope.encrypt('x', ctx);
    expect(provider.calls.generateDataKey).toBe(2);
  });

  it('documents defaults that keep GCM with random IVs far inside its limits', () => {
    expect(DATA_KEY_CACHE_DEFAULTS.maxMessages).toBe(2 ** 20);
    // IV collision probability for q random 96-bit IVs is at most q^2 / 2^97
    expect(
      Math.log2(DATA_KEY_CACHE_DEFAULTS.maxMessages ** 2 / 2 ** 97),
    ).toBeLessThanOrEqual(-57);
    expect(DATA_KEY_CACHE_DEFAULTS.maxBytes).toBe(2 ** 30);
  });

  it('zeroes keys on eviction and on close, and zeroes what the provider returned', async () => {
    const provider = new CountingProvider(localProvider());
    const cache = new DataKeyCache({
      maxEncryptionEntries: 2,
      maxDecryptionEntries: 1,
    });
    const header = (): Buffer => Buffer.alloc(1);
    const held: Buffer[] = [];
    for (const tenant of ['a', 'b', 'c']) {
      await cache.loadEncryption(
        tenant,
        () => provider.generateDataKey({ tenant }),
        header,
      );
      held.push(defined(cache.takeEncryption(tenant, 1)).key);
    }
    expect(defined(held[0]).every((b) => b === 0)).toBe(true); // evicted as least recently used
    expect(defined(held[2]).some((b) => b !== 0)).toBe(true);
    const wrapped = await provider.generateDataKey(ctx);
    await cache.loadDecryption('w', () =>
      provider.decryptDataKey(wrapped, ctx),
    );
    held.push(defined(cache.getDecryption('w')));
    expect(cache.size()).toEqual({ encryption: 2, decryption: 1 });
    cache.close();
    expect(cache.size()).toEqual({ encryption: 0, decryption: 0 });
    for (const key of [...held, ...provider.issued.slice(0, 3)])
      expect(key.every((b) => b === 0)).toBe(true);
  });

  it('gives every concurrent caller the provider error of a shared miss, and tries again on the next call', async () => {
    const provider = new CountingProvider(localProvider(), 10);
    let fail = true;
    const flaky = Object.assign(Object.create(provider) as CountingProvider, {
      generateDataKey: async (context: Record<string, string>) => {
        const key = await provider.generateDataKey(context);
        if (fail) throw new Error('KMS is down');
        return key;
      },
    });
    const envelope = createEnvelope({ keyProvider: flaky });
    opened.push(envelope);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => envelope.encrypt('x', ctx)),
    );
    expect(
      results.every(
        (r) =>
          r.status === 'rejected' &&
          (r.reason as Error).message === 'KMS is down',
      ),
    ).toBe(true);
    expect(provider.calls.generateDataKey).toBe(1);
    fail = false;
    await envelope.encrypt('x', ctx);
    expect(provider.calls.generateDataKey).toBe(2);
  });

  it('encrypts correctly under heavy contention for a key that serves one message', async () => {
    const { envelope, provider } = counted({ maxMessages: 1 }, 5);
    const cts = await Promise.all(
      Array.from({ length: 50 }, (_, i) => envelope.encrypt(`v${i}`, ctx)),
    );
    expect(provider.calls.generateDataKey).toBeGreaterThanOrEqual(50);
    const texts = await Promise.all(
      cts.map(async (ct) =>
        Buffer.from(await envelope.decrypt(ct, ctx)).toString(),
      ),
    );
    expect(texts).toEqual(Array.from({ length: 50 }, (_, i) => `v${i}`));
  });
});
