import { describe, expect, it } from 'vitest';
import { canonicalizeContext, createEnvelope } from '../src/index.js';
import { localProvider } from './helpers.js';

describe('documented formats (docs/crypto.md)', () => {
  it('lays out a ciphertext as version, suite, key id, wrapped key, IV, payload, tag', async () => {
    const envelope = createEnvelope({ keyProvider: localProvider('dev') });
    const ct = Buffer.from(await envelope.encrypt('hi', { t: 'u' }));
    await envelope.close();
    expect(ct[0]).toBe(0x01);
    expect(ct[1]).toBe(0x01);
    expect(ct[2]).toBe(3);
    expect(ct.subarray(3, 6).toString()).toBe('dev');
    expect(ct.readUInt16BE(6)).toBe(60);
    expect(ct.length).toBe(33 + 3 + 60 + 2);
  });

  it('canonicalises a context with counts and lengths, sorted by key bytes', () => {
    expect(canonicalizeContext({ t: 'u' }).toString('hex')).toBe(
      '0001' + '000174' + '000175',
    );
    expect(canonicalizeContext({}).toString('hex')).toBe('0000');
    expect(canonicalizeContext({ b: '2', a: '1' })).toEqual(
      canonicalizeContext({ a: '1', b: '2' }),
    );
    expect(canonicalizeContext({ ab: 'c' })).not.toEqual(
      canonicalizeContext({ a: 'bc' }),
    );
    expect(
      canonicalizeContext({ é: 'x', z: 'y' }).subarray(2, 5).toString('hex'),
    ).toBe('00017a');
  });
});
