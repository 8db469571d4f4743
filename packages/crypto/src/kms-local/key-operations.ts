import { KmsException } from './kms-exception.js';
import type { KeyStore, StoredKey } from './key-store.js';
import {
  optionalInt,
  optionalString,
  requiredString,
  type RequestInput,
} from './request-input.js';

/** One KMS operation: JSON input to JSON output, or a thrown KmsException. */
export type OperationHandler = (input: RequestInput) => Record<string, unknown>;

const DAY_MS = 86_400_000;

/** The KeyMetadata structure of DescribeKey and CreateKey. */
export function keyMetadata(
  store: KeyStore,
  key: StoredKey,
): Record<string, unknown> {
  return {
    AWSAccountId: store.accountId,
    KeyId: key.keyId,
    Arn: store.keyArn(key.keyId),
    CreationDate: key.createdAt / 1000,
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: key.state,
    ...(key.deletionDate === undefined
      ? {}
      : {
          DeletionDate: key.deletionDate / 1000,
          PendingDeletionWindowInDays: key.pendingWindowInDays,
        }),
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
  };
}

/** KMSInvalidStateException when the key is pending deletion. */
export function assertNotPendingDeletion(
  store: KeyStore,
  key: StoredKey,
): void {
  if (key.state === 'PendingDeletion') {
    throw new KmsException(
      'KMSInvalidStateException',
      `${store.keyArn(key.keyId)} is pending deletion.`,
    );
  }
}

/** DisabledException or KMSInvalidStateException unless the key is enabled. */
export function assertUsable(store: KeyStore, key: StoredKey): void {
  assertNotPendingDeletion(store, key);
  if (key.state === 'Disabled') {
    throw new KmsException(
      'DisabledException',
      `${store.keyArn(key.keyId)} is disabled.`,
    );
  }
}

function aliasName(input: RequestInput): string {
  const name = requiredString(input, 'AliasName');
  if (
    !/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(name) ||
    name.startsWith('alias/aws/')
  ) {
    throw new KmsException(
      'InvalidAliasNameException',
      `Alias must start with the prefix "alias/" and contain only alphanumeric characters, forward slashes, underscores and dashes; "alias/aws/" is reserved.`,
    );
  }
  return name;
}

/** Pages through `items` with the numeric Marker of kms-local. */
function page<T>(
  items: T[],
  input: RequestInput,
): { items: T[]; Truncated: boolean; NextMarker?: string } {
  const limit = optionalInt(input, 'Limit', 1, 1000) ?? 100;
  const marker = optionalString(input, 'Marker');
  const start = marker === undefined ? 0 : Number(marker);
  if (!Number.isInteger(start) || start < 0)
    throw new KmsException('InvalidMarkerException', 'The marker is invalid.');
  const slice = items.slice(start, start + limit);
  const truncated = start + limit < items.length;
  return truncated
    ? { items: slice, Truncated: true, NextMarker: String(start + limit) }
    : { items: slice, Truncated: false };
}

/** Key management operations: keys, aliases, state, deletion and rotation. */
export function keyOperations(
  store: KeyStore,
): Record<string, OperationHandler> {
  return {
    CreateKey(input) {
      const usage = optionalString(input, 'KeyUsage') ?? 'ENCRYPT_DECRYPT';
      const spec =
        optionalString(input, 'KeySpec') ??
        optionalString(input, 'CustomerMasterKeySpec') ??
        'SYMMETRIC_DEFAULT';
      if (usage !== 'ENCRYPT_DECRYPT' || spec !== 'SYMMETRIC_DEFAULT') {
        throw new KmsException(
          'ValidationException',
          'kms-local supports only SYMMETRIC_DEFAULT keys with KeyUsage ENCRYPT_DECRYPT.',
        );
      }
      const key = store.createKey(optionalString(input, 'Description') ?? '');
      return { KeyMetadata: keyMetadata(store, key) };
    },
    DescribeKey(input) {
      return {
        KeyMetadata: keyMetadata(
          store,
          store.resolve(requiredString(input, 'KeyId')),
        ),
      };
    },
    ListKeys(input) {
      const { items, ...rest } = page(store.listKeys(), input);
      return {
        Keys: items.map((k) => ({
          KeyId: k.keyId,
          KeyArn: store.keyArn(k.keyId),
        })),
        ...rest,
      };
    },
    CreateAlias(input) {
      const name = aliasName(input);
      const target = store.resolve(requiredString(input, 'TargetKeyId'));
      assertNotPendingDeletion(store, target);
      store.createAlias(name, target.keyId);
      return {};
    },
    UpdateAlias(input) {
      const name = aliasName(input);
      const target = store.resolve(requiredString(input, 'TargetKeyId'));
      assertNotPendingDeletion(store, target);
      store.updateAlias(name, target.keyId);
      return {};
    },
    DeleteAlias(input) {
      store.deleteAlias(aliasName(input));
      return {};
    },
    ListAliases(input) {
      const keyRef = optionalString(input, 'KeyId');
      const keyId =
        keyRef === undefined ? undefined : store.resolve(keyRef).keyId;
      const aliases = store
        .listAliases()
        .filter((a) => keyId === undefined || a.targetKeyId === keyId);
      const { items, ...rest } = page(aliases, input);
      return {
        Aliases: items.map((a) => ({
          AliasName: a.name,
          AliasArn: store.aliasArn(a.name),
          TargetKeyId: a.targetKeyId,
          CreationDate: a.createdAt / 1000,
          LastUpdatedDate: a.updatedAt / 1000,
        })),
        ...rest,
      };
    },
    EnableKey(input) {
      const key = store.resolve(requiredString(input, 'KeyId'));
      assertNotPendingDeletion(store, key);
      key.state = 'Enabled';
      store.save();
      return {};
    },
    DisableKey(input) {
      const key = store.resolve(requiredString(input, 'KeyId'));
      assertNotPendingDeletion(store, key);
      key.state = 'Disabled';
      store.save();
      return {};
    },
    ScheduleKeyDeletion(input) {
      const key = store.resolve(requiredString(input, 'KeyId'));
      assertNotPendingDeletion(store, key);
      const days = optionalInt(input, 'PendingWindowInDays', 7, 30) ?? 30;
      key.state = 'PendingDeletion';
      key.pendingWindowInDays = days;
      key.deletionDate = Date.now() + days * DAY_MS;
      store.save();
      return {
        KeyId: store.keyArn(key.keyId),
        DeletionDate: key.deletionDate / 1000,
        KeyState: key.state,
        PendingWindowInDays: days,
      };
    },
    CancelKeyDeletion(input) {
      const key = store.resolve(requiredString(input, 'KeyId'));
      if (key.state !== 'PendingDeletion') {
        throw new KmsException(
          'KMSInvalidStateException',
          `${store.keyArn(key.keyId)} is not pending deletion.`,
        );
      }
      key.state = 'Disabled';
      delete key.deletionDate;
      delete key.pendingWindowInDays;
      store.save();
      return { KeyId: store.keyArn(key.keyId) };
    },
    EnableKeyRotation(input) {
      const key = store.resolve(requiredString(input, 'KeyId'));
      assertUsable(store, key);
      key.rotationEnabled = true;
      key.rotationPeriodInDays =
        optionalInt(input, 'RotationPeriodInDays', 90, 2560) ?? 365;
      store.save();
      return {};
    },
    DisableKeyRotation(input) {
      const key = store.resolve(requiredString(input, 'KeyId'));
      assertUsable(store, key);
      key.rotationEnabled = false;
      store.save();
      return {};
    },
    GetKeyRotationStatus(input) {
      const key = store.resolve(requiredString(input, 'KeyId'));
      assertNotPendingDeletion(store, key);
      const last = key.materials.at(-1);
      return {
        KeyId: store.keyArn(key.keyId),
        KeyRotationEnabled: key.rotationEnabled,
        ...(key.rotationEnabled && last !== undefined
          ? {
              RotationPeriodInDays: key.rotationPeriodInDays,
              NextRotationDate:
                (last.createdAt + key.rotationPeriodInDays * DAY_MS) / 1000,
            }
          : {}),
      };
    },
    RotateKeyOnDemand(input) {
      const key = store.resolve(requiredString(input, 'KeyId'));
      assertUsable(store, key);
      store.rotate(key, 'ON_DEMAND');
      return { KeyId: store.keyArn(key.keyId) };
    },
    ListKeyRotations(input) {
      const key = store.resolve(requiredString(input, 'KeyId'));
      const rotations = key.materials.filter(
        (m) => m.rotationType !== undefined,
      );
      const { items, ...rest } = page(rotations, input);
      return {
        Rotations: items.map((m) => ({
          KeyId: store.keyArn(key.keyId),
          RotationDate: m.createdAt / 1000,
          RotationType: m.rotationType,
        })),
        ...rest,
      };
    },
  };
}
