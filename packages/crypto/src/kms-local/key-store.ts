import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { KmsException } from './kms-exception.js';
import { KmsLocalError } from './kms-local-error.js';

/** The lifecycle state of a key, with the names of the real KeyState values. */
export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

/** One version of a key's material; rotation appends one. */
export interface KeyMaterial {
  version: number;
  key: Buffer;
  /** Epoch milliseconds. */
  createdAt: number;
  rotationType?: 'AUTOMATIC' | 'ON_DEMAND';
}

/** A symmetric encryption key as kms-local stores it. */
export interface StoredKey {
  keyId: string;
  description: string;
  createdAt: number;
  state: KeyState;
  deletionDate?: number;
  pendingWindowInDays?: number;
  rotationEnabled: boolean;
  rotationPeriodInDays: number;
  materials: KeyMaterial[];
}

/** An alias (`alias/…`) pointing to a key. */
export interface StoredAlias {
  name: string;
  targetKeyId: string;
  createdAt: number;
  updatedAt: number;
}

interface KeyFileJson {
  format: 'kenos-kms-local';
  version: 1;
  keys: (Omit<StoredKey, 'materials'> & {
    materials: (Omit<KeyMaterial, 'key'> & { key: string })[];
  })[];
  aliases: StoredAlias[];
}

const DAY_MS = 86_400_000;

/**
 * Keys and aliases of a kms-local server, kept in memory and, when a key file
 * is given, written to it (mode 0600, atomically by rename) after every change.
 */
export class KeyStore {
  readonly region: string;
  readonly accountId: string;
  private readonly keys = new Map<string, StoredKey>();
  private readonly aliases = new Map<string, StoredAlias>();
  private readonly keyFile: string | undefined;

  constructor(options: {
    region: string;
    accountId: string;
    keyFile?: string;
  }) {
    this.region = options.region;
    this.accountId = options.accountId;
    this.keyFile = options.keyFile;
    if (this.keyFile !== undefined && existsSync(this.keyFile))
      this.load(this.keyFile);
  }

  keyArn(keyId: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:key/${keyId}`;
  }

  aliasArn(name: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:${name}`;
  }

  createKey(description: string): StoredKey {
    const now = Date.now();
    const key: StoredKey = {
      keyId: randomUUID(),
      description,
      createdAt: now,
      state: 'Enabled',
      rotationEnabled: false,
      rotationPeriodInDays: 365,
      materials: [{ version: 1, key: randomBytes(32), createdAt: now }],
    };
    this.keys.set(key.keyId, key);
    this.save();
    return key;
  }

  /** All keys in creation order (keys whose deletion date has passed are gone). */
  listKeys(): StoredKey[] {
    this.purgeDeleted();
    return [...this.keys.values()];
  }

  listAliases(): StoredAlias[] {
    this.purgeDeleted();
    return [...this.aliases.values()].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
  }

  /** Looks a key up by id, key ARN, alias name or alias ARN; NotFoundException otherwise. */
  resolve(ref: string): StoredKey {
    this.purgeDeleted();
    let id = ref;
    const arn = /^arn:aws:kms:[^:]*:[^:]*:(key\/.+|alias\/.+)$/.exec(ref);
    if (arn?.[1] !== undefined)
      id = arn[1].startsWith('key/') ? arn[1].slice(4) : arn[1];
    if (id.startsWith('alias/')) {
      const alias = this.aliases.get(id);
      if (alias === undefined)
        throw new KmsException(
          'NotFoundException',
          `Alias ${this.aliasArn(id)} is not found.`,
        );
      id = alias.targetKeyId;
    }
    const key = this.keys.get(id);
    if (key === undefined)
      throw new KmsException(
        'NotFoundException',
        `Key '${this.keyArn(id)}' does not exist`,
      );
    this.maybeRotate(key);
    return key;
  }

  /** The key a ciphertext names, or undefined when there is no such key. */
  findById(keyId: string): StoredKey | undefined {
    this.purgeDeleted();
    const key = this.keys.get(keyId);
    if (key !== undefined) this.maybeRotate(key);
    return key;
  }

  createAlias(name: string, targetKeyId: string): void {
    if (this.aliases.has(name)) {
      throw new KmsException(
        'AlreadyExistsException',
        `An alias with the name ${this.aliasArn(name)} already exists`,
      );
    }
    const now = Date.now();
    this.aliases.set(name, {
      name,
      targetKeyId,
      createdAt: now,
      updatedAt: now,
    });
    this.save();
  }

  updateAlias(name: string, targetKeyId: string): void {
    const alias = this.aliases.get(name);
    if (alias === undefined)
      throw new KmsException(
        'NotFoundException',
        `Alias ${this.aliasArn(name)} is not found.`,
      );
    alias.targetKeyId = targetKeyId;
    alias.updatedAt = Date.now();
    this.save();
  }

  deleteAlias(name: string): void {
    if (!this.aliases.delete(name)) {
      throw new KmsException(
        'NotFoundException',
        `Alias ${this.aliasArn(name)} is not found.`,
      );
    }
    this.save();
  }

  /** Adds a new material version, which becomes the one new ciphertexts use. */
  rotate(
    key: StoredKey,
    rotationType: 'AUTOMATIC' | 'ON_DEMAND',
    at = Date.now(),
  ): void {
    const last = key.materials.at(-1);
    key.materials.push({
      version: (last?.version ?? 0) + 1,
      key: randomBytes(32),
      createdAt: at,
      rotationType,
    });
    this.save();
  }

  /** Writes the key file, when there is one. Call after mutating a key. */
  save(): void {
    if (this.keyFile === undefined) return;
    const json: KeyFileJson = {
      format: 'kenos-kms-local',
      version: 1,
      keys: [...this.keys.values()].map((k) => ({
        ...k,
        materials: k.materials.map((m) => ({
          ...m,
          key: m.key.toString('base64'),
        })),
      })),
      aliases: [...this.aliases.values()],
    };
    const tmp = `${this.keyFile}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.keyFile);
    } catch (cause) {
      throw new KmsLocalError(
        'KENOS_ERR_KMS_LOCAL_KEY_FILE',
        `kms-local cannot write its key file ${this.keyFile}`,
        { cause },
      );
    }
  }

  private load(file: string): void {
    let json: KeyFileJson;
    try {
      json = JSON.parse(readFileSync(file, 'utf8')) as KeyFileJson;
    } catch (cause) {
      throw new KmsLocalError(
        'KENOS_ERR_KMS_LOCAL_KEY_FILE',
        `kms-local cannot read its key file ${file}`,
        { cause },
      );
    }
    if (
      json.format !== 'kenos-kms-local' ||
      json.version !== 1 ||
      !Array.isArray(json.keys) ||
      !Array.isArray(json.aliases)
    ) {
      throw new KmsLocalError(
        'KENOS_ERR_KMS_LOCAL_KEY_FILE',
        `${file} is not a kms-local key file (format kenos-kms-local, version 1)`,
      );
    }
    for (const k of json.keys) {
      this.keys.set(k.keyId, {
        ...k,
        materials: k.materials.map((m) => ({
          ...m,
          key: Buffer.from(m.key, 'base64'),
        })),
      });
    }
    for (const a of json.aliases) this.aliases.set(a.name, a);
  }

  /** Keys past their deletion date are deleted, with their aliases. */
  private purgeDeleted(): void {
    const now = Date.now();
    let changed = false;
    for (const key of this.keys.values()) {
      if (
        key.state === 'PendingDeletion' &&
        key.deletionDate !== undefined &&
        key.deletionDate <= now
      ) {
        this.keys.delete(key.keyId);
        for (const alias of this.aliases.values()) {
          if (alias.targetKeyId === key.keyId) this.aliases.delete(alias.name);
        }
        changed = true;
      }
    }
    if (changed) this.save();
  }

  /** Automatic rotation: once the rotation period has passed since the last material. */
  private maybeRotate(key: StoredKey): void {
    if (!key.rotationEnabled || key.state !== 'Enabled') return;
    const last = key.materials.at(-1);
    if (last === undefined) return;
    const due = last.createdAt + key.rotationPeriodInDays * DAY_MS;
    if (Date.now() >= due) this.rotate(key, 'AUTOMATIC', due);
  }
}
