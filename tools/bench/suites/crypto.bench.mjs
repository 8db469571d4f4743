// @kenos/crypto envelope round trips (encrypt + decrypt, warm data-key cache) against raw
// node:crypto AES-256-GCM and the AWS Encryption SDK with its caching materials manager,
// on the same key material, in operations per CPU second (all on this thread); and KMS calls
// per 10,000 operations counted at kms-local.
import { randomBytes } from 'node:crypto';
import {
  createEnvelope,
  createKmsKeyProvider,
  createLocalKeyProvider,
} from '@kenos/crypto';
import { startKmsLocal } from '@kenos/crypto/kms-local';
import { KMSClient, CreateKeyCommand } from '@aws-sdk/client-kms';
import { awsEncryptionSdk, rawGcmRoundTrip } from '../src/crypto-anchors.mjs';
import { opsPerSecond } from '../src/index.mjs';

const key = randomBytes(32);
const context = { tenant: 'bench' };
const KiB = 1024;

function kenosSide() {
  return {
    name: '@kenos/crypto envelope',
    setup: () =>
      createEnvelope({
        keyProvider: createLocalKeyProvider({ keys: [{ id: 'bench', key }] }),
      }),
    measureWith:
      (size) =>
      async (envelope, { durationMs }) => {
        const plaintext = randomBytes(size);
        return opsPerSecond(
          async () =>
            envelope.decrypt(
              await envelope.encrypt(plaintext, context),
              context,
            ),
          durationMs,
          {
            batch: size >= 1024 * KiB ? 1 : 64,
            clock: 'cpu',
          },
        );
      },
    teardown: (envelope) => envelope?.close(),
  };
}
const sized = (side, size) => ({ ...side, measure: side.measureWith(size) });

const rawGcm = {
  name: 'raw node:crypto AES-256-GCM',
  measureWith:
    (size) =>
    (_s, { durationMs }) => {
      const plaintext = randomBytes(size);
      return opsPerSecond(() => rawGcmRoundTrip(key, plaintext), durationMs, {
        batch: size >= 1024 * KiB ? 1 : 64,
        clock: 'cpu',
      });
    },
};
const awsSdk = {
  name: '@aws-crypto/client-node, caching CMM',
  setup: () => awsEncryptionSdk(key),
  measureWith:
    (size) =>
    (sdk, { durationMs }) => {
      const plaintext = randomBytes(size);
      return opsPerSecond(() => sdk.roundTrip(plaintext), durationMs, {
        batch: 8,
        clock: 'cpu',
      });
    },
};

/** 10,000 encryptions then 10,000 decryptions of them; the figure is KMS calls counted at kms-local. */
const kmsCalls = {
  name: '@kenos/crypto on kms-local',
  setup: async () => {
    const kms = await startKmsLocal({ port: 0 });
    const clientConfig = {
      endpoint: kms.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    };
    const { KeyMetadata } = await new KMSClient(clientConfig).send(
      new CreateKeyCommand({}),
    );
    return { kms, clientConfig, keyId: KeyMetadata.KeyId };
  },
  measure: async ({ kms, clientConfig, keyId }) => {
    const before = kms.stats().calls;
    const envelope = createEnvelope({
      keyProvider: createKmsKeyProvider({ keyIds: [keyId], clientConfig }),
    });
    const ciphertexts = [];
    for (let i = 0; i < 10_000; i++)
      ciphertexts.push(await envelope.encrypt(`message ${i}`, context));
    await envelope.close();
    const reader = createEnvelope({
      keyProvider: createKmsKeyProvider({ keyIds: [keyId], clientConfig }),
    });
    for (const c of ciphertexts) await reader.decrypt(c, context);
    await reader.close();
    const after = kms.stats().calls;
    const delta = (op) => (after[op] ?? 0) - (before[op] ?? 0);
    return delta('GenerateDataKey') + delta('Decrypt');
  },
  teardown: (s) => s?.kms.stop(),
};

export default {
  name: 'crypto',
  cases: [
    ...[100, 4 * KiB].flatMap((size) => {
      const label = size === 100 ? '100 B' : '4 KiB';
      return [
        {
          name: `round trip ${label}, warm cache, vs raw AES-GCM`,
          unit: 'ops/s',
          target: { min: 0.5 },
          anchor: sized(rawGcm, size),
          subject: sized(kenosSide(), size),
        },
        {
          name: `round trip ${label}, warm cache, vs AWS Encryption SDK`,
          unit: 'ops/s',
          target: { min: 20 },
          anchor: sized(awsSdk, size),
          subject: sized(kenosSide(), size),
        },
      ];
    }),
    {
      name: 'round trip 1 MiB vs raw AES-GCM',
      unit: 'ops/s',
      target: { min: 0.8 },
      anchor: sized(rawGcm, 1024 * KiB),
      subject: sized(kenosSide(), 1024 * KiB),
    },
    {
      name: 'KMS calls for 10,000 encryptions + 10,000 decryptions (default cache)',
      unit: 'KMS calls',
      better: 'lower',
      target: { max: 1 },
      anchor: {
        name: 'floor: 1 GenerateDataKey + 1 Decrypt',
        measure: () => 2,
      },
      subject: kmsCalls,
    },
  ],
};
