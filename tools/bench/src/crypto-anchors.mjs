// Anchors of the crypto cases: raw node:crypto AES-256-GCM, and the AWS Encryption SDK
// (@aws-crypto/client-node) with its default suite and a caching materials manager over
// a raw AES keyring — the same key material a local Kenos key provider uses.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  buildClient,
  CommitmentPolicy,
  getLocalCryptographicMaterialsCache,
  NodeCachingMaterialsManager,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';

/** One AES-256-GCM encrypt + decrypt of `plaintext` with a fixed key and a fresh IV: the floor. */
export function rawGcmRoundTrip(key, plaintext) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/** An AWS Encryption SDK client with its caching CMM (default suite, committing policy). */
export function awsEncryptionSdk(keyBytes) {
  const { encrypt, decrypt } = buildClient(
    CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
  );
  const keyring = new RawAesKeyringNode({
    keyName: 'bench-key',
    keyNamespace: 'kenos-bench',
    unencryptedMasterKey: new Uint8Array(keyBytes),
    wrappingSuite:
      RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
  const cmm = new NodeCachingMaterialsManager({
    backingMaterials: keyring,
    cache: getLocalCryptographicMaterialsCache(100),
    maxAge: 60_000,
    maxMessagesEncrypted: 2 ** 32,
    maxBytesEncrypted: 2 ** 50,
  });
  const context = { tenant: 'bench' };
  return {
    async roundTrip(plaintext) {
      const { result } = await encrypt(cmm, plaintext, {
        encryptionContext: context,
        plaintextLength: plaintext.length,
      });
      const { plaintext: out } = await decrypt(cmm, result);
      return out;
    },
  };
}
