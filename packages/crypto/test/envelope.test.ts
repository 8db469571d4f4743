import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ciphertextKeyId,
  createEnvelope,
  CryptoError,
  DecryptionError,
  type Envelope,
  type KeyProvider,
} from '../src/index.js';
import { localProvider, rejection } from './helpers.js';

const ctx = { table: 'users', column: 'iban' };
const opened: Envelope[] = [];

function envelope(
  options: { cache?: false } = {},
  provider = localProvider(),
): Envelope {
  const e = createEnvelope({ keyProvider: provider, ...options });
  opened.push(e);
  return e;
}

async function expectDecryptionError(promise: Promise<unknown>): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(DecryptionError);
  expect((error as DecryptionError).code).toBe('KENOS_ERR_CRYPTO_DECRYPT');
  expect(error.message).toBe(
    'decryption failed: the ciphertext is invalid for this key and context',
  );
  expect(error.cause).toBeUndefined();
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((e) => e.close()));
});

describe.each([{ cache: undefined }, { cache: false as const }])(
  'envelope (cache: $cache)',
  ({ cache }) => {
    const make = (): Envelope =>
      envelope(cache === false ? { cache: false } : {});

    it('round-trips bytes and strings under the same context', async () => {
      const e = make();
      const bytes = randomBytes(100);
      expect(
        Buffer.from(await e.decrypt(await e.encrypt(bytes, ctx), ctx)),
      ).toEqual(bytes);
      expect(
        Buffer.from(
          await e.decrypt(await e.encrypt('héllo', ctx), ctx),
        ).toString(),
      ).toBe('héllo');
      const text = await e.encryptString('4111 1111 1111 1111', ctx);
      expect(text).toMatch(/^kenos:v1:[A-Za-z0-9_-]+$/);
      expect(await e.decryptString(text, ctx)).toBe('4111 1111 1111 1111');
    });

    it('round-trips an empty plaintext and an empty context', async () => {
      const e = make();
      const ct = await e.encrypt(new Uint8Array(0), {});
      expect((await e.decrypt(ct, {})).length).toBe(0);
      expect(await e.decryptString(await e.encryptString('', ctx), ctx)).toBe(
        '',
      );
    });

    it('round-trips a 10 MiB plaintext', async () => {
      const e = make();
      const big = randomBytes(10 * 1024 * 1024);
      const ct = await e.encrypt(big, ctx);
      expect(ct.length).toBeLessThan(big.length + 200);
      expect(Buffer.from(await e.decrypt(ct, ctx)).equals(big)).toBe(true);
    });

    it('uses a fresh random IV for every message', async () => {
      const e = make();
      const a = await e.encryptString('same', ctx);
      const b = await e.encryptString('same', ctx);
      expect(a).not.toBe(b);
    });

    it('rejects every single-bit flip of a short ciphertext with DecryptionError', async () => {
      const e = make();
      const ct = await e.encrypt('secret', ctx);
      for (let bit = 0; bit < ct.length * 8; bit++) {
        const flipped = Buffer.from(ct);
        flipped.writeUInt8(
          flipped.readUInt8(bit >> 3) ^ (1 << (bit & 7)),
          bit >> 3,
        );
        await expectDecryptionError(e.decrypt(flipped, ctx));
      }
    });

    it('rejects every truncation and an appended byte with DecryptionError', async () => {
      const e = make();
      const ct = await e.encrypt('secret', ctx);
      for (let length = 0; length < ct.length; length++) {
        await expectDecryptionError(e.decrypt(ct.subarray(0, length), ctx));
      }
      await expectDecryptionError(
        e.decrypt(Buffer.concat([ct, Buffer.from([0])]), ctx),
      );
    });

    it('rejects a ciphertext made with another key, even under the same key id', async () => {
      const mine = make();
      const foreign = envelope({}, localProvider('test-key-1'));
      const other = envelope({}, localProvider('someone-else'));
      await expectDecryptionError(
        mine.decrypt(await foreign.encrypt('x', ctx), ctx),
      );
      await expectDecryptionError(
        mine.decrypt(await other.encrypt('x', ctx), ctx),
      );
    });

    it('rejects a wrong, missing or extra context entry', async () => {
      const e = make();
      const ct = await e.encrypt('secret', ctx);
      await expectDecryptionError(e.decrypt(ct, { ...ctx, column: 'bic' }));
      await expectDecryptionError(e.decrypt(ct, { table: 'users' }));
      await expectDecryptionError(e.decrypt(ct, { ...ctx, tenant: 't1' }));
      await expectDecryptionError(e.decrypt(ct, {}));
      expect(
        Buffer.from(
          await e.decrypt(ct, { column: 'iban', table: 'users' }),
        ).toString(),
      ).toBe('secret');
    });

    it('keeps contexts that concatenate alike apart', async () => {
      const e = make();
      const ct = await e.encrypt('secret', { ab: 'c' });
      await expectDecryptionError(e.decrypt(ct, { a: 'bc' }));
    });

    it('rejects text that is not the kenos:v1 form with DecryptionError', async () => {
      const e = make();
      const text = await e.encryptString('secret', ctx);
      for (const bad of [
        '',
        'kenos:v1:',
        'kenos:v2:' + text.slice(9),
        text + '!',
        text.slice(0, -1),
        'plaintext',
      ]) {
        await expectDecryptionError(e.decryptString(bad, ctx));
      }
    });
  },
);

describe('envelope API', () => {
  it('names the key in the ciphertext header', async () => {
    const e = envelope({}, localProvider('primary-1', 'old-1'));
    const ct = await e.encrypt('x', ctx);
    expect(ciphertextKeyId(ct)).toBe('primary-1');
    expect(ciphertextKeyId(await e.encryptString('x', ctx))).toBe('primary-1');
  });

  it('rejects a context value that is not a string', async () => {
    const e = envelope();
    const error = await rejection(
      e.encrypt('x', { n: 1 as unknown as string }),
    );
    expect((error as CryptoError).code).toBe(
      'KENOS_ERR_CRYPTO_INVALID_ARGUMENT',
    );
  });

  it('rejects invalid cache limits and a provider key id longer than 255 bytes', async () => {
    expect(() =>
      createEnvelope({
        keyProvider: localProvider(),
        cache: { maxMessages: 0 },
      }),
    ).toThrow(
      expect.objectContaining({ code: 'KENOS_ERR_CRYPTO_INVALID_ARGUMENT' }),
    );
    const inner = localProvider();
    const longId: KeyProvider = {
      kind: 'custom',
      primaryKeyId: 'x'.repeat(300),
      generateDataKey: async (c) => ({
        ...(await inner.generateDataKey(c)),
        keyId: 'x'.repeat(300),
      }),
      decryptDataKey: (w, c) => inner.decryptDataKey(w, c),
      reWrapDataKey: (w, c) => inner.reWrapDataKey(w, c),
      wrapDataKey: (k, c) => inner.wrapDataKey(k, c),
      close: () => inner.close(),
    };
    for (const cache of [undefined, false as const]) {
      const e = envelope(cache === false ? { cache } : {}, longId);
      expect(((await rejection(e.encrypt('x', ctx))) as CryptoError).code).toBe(
        'KENOS_ERR_CRYPTO_INVALID_ARGUMENT',
      );
    }
  });

  it('refuses to work after close()', async () => {
    const e = envelope();
    const ct = await e.encrypt('x', ctx);
    await e.close();
    expect(((await rejection(e.decrypt(ct, ctx))) as CryptoError).code).toBe(
      'KENOS_ERR_CRYPTO_CLOSED',
    );
    expect(((await rejection(e.encrypt('x', ctx))) as CryptoError).code).toBe(
      'KENOS_ERR_CRYPTO_CLOSED',
    );
  });
});
