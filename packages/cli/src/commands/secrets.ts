import type { KeyProvider } from '@kenos/crypto';
import { existsSync } from 'node:fs';
import { CliError } from '../cli-error.js';
import { write, type CliIo } from '../cli-io.js';
import { parseCommandArgs, usageError, type Command } from '../command.js';
import {
  KEY_FLAGS,
  refuseLocalKeyOutsideDevelopment,
  selectKeys,
  withKeyProviders,
} from './key-selection.js';
import { editNewSecretFile, runEditor } from './secret-editor.js';

const usage = `Usage: kenos secrets <action> FILE [--local-key FILE]... [--kms-key-id ID]...

Secret files are JSON or YAML (by extension: .json, .yaml, .yml) whose keys stay
readable and whose values are each encrypted, with a MAC over the whole file.

Actions:
  encrypt FILE      encrypt a plaintext secret file in place
  decrypt FILE      print the decrypted file on stdout (the file is not changed)
  edit FILE         decrypt to a private temporary directory, run $VISUAL or $EDITOR
                    (default vi) on it, and encrypt the result back; unchanged values
                    keep their ciphertext; the temporary plaintext is removed afterwards;
                    a FILE that does not exist yet is created
  rotate FILE       encrypt every value again under a new data key
  updatekeys FILE   wrap the file's data key for exactly the selected keys (add or
                    remove a key); values stay byte-identical

Flags:
  --local-key FILE  a local key file; repeatable
  --kms-key-id ID   an AWS KMS key id, ARN or alias/NAME; repeatable (the first is primary)
  -h, --help        show this help
Without key flags, the first rule of the nearest .kenos-keys.json whose pathRegex
matches FILE chooses the keys. New data keys use the first key (KMS before local);
opening a file tries each key in turn.
Local keys are for development and test only: encrypt, edit, rotate and updatekeys
refuse (exit 2, KENOS_ERR_CLI_LOCAL_KEY_REFUSED) a local key for a FILE named
<env>.secrets.{yaml,yml,json} whose <env> is neither development nor test.
`;

const ACTIONS = ['encrypt', 'decrypt', 'edit', 'rotate', 'updatekeys'] as const;
type Action = (typeof ACTIONS)[number];

/** Runs `fn` with each provider in turn until one succeeds; rethrows the last error. */
async function withOpener<T>(
  providers: readonly KeyProvider[],
  fn: (p: KeyProvider) => Promise<T>,
): Promise<T> {
  let lastError: unknown = new CliError(
    'KENOS_ERR_CLI_INPUT',
    'no key provider',
  );
  for (const provider of providers) {
    try {
      return await fn(provider);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

/** `kenos secrets encrypt|decrypt|edit|rotate|updatekeys FILE`: sops-like secret files. */
export const secretsCommand: Command = {
  name: 'secrets',
  summary: 'encrypt, decrypt, edit, rotate or re-key a secret file (JSON/YAML)',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(this, args, KEY_FLAGS, {
      min: 2,
      max: 2,
    });
    const [action, file] = positionals as [string, string];
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw usageError(
        this,
        `unknown action '${action}' (${ACTIONS.join(', ')})`,
      );
    }
    const selection = selectKeys(this, values, file);
    if (action !== 'decrypt')
      await refuseLocalKeyOutsideDevelopment(this, action, selection, file);
    return withKeyProviders(selection, async (providers) => {
      const {
        decryptSecretFile,
        editSecretFile,
        encryptSecretFile,
        rotateSecretFile,
        updateSecretFileKeys,
      } = await import('@kenos/crypto');
      const primary = providers[0];
      if (primary === undefined)
        throw new CliError('KENOS_ERR_CLI_INPUT', 'no key provider');
      switch (action as Action) {
        case 'encrypt':
          await encryptSecretFile(file, { keyProvider: primary });
          await write(io.stderr, `kenos secrets: encrypted ${file}\n`);
          break;
        case 'decrypt':
          await write(
            io.stdout,
            await withOpener(providers, (keyProvider) =>
              decryptSecretFile(file, { keyProvider }),
            ),
          );
          break;
        case 'edit': {
          const changed = existsSync(file)
            ? await withOpener(providers, (keyProvider) =>
                editSecretFile(file, {
                  keyProvider,
                  edit: (plaintextPath) => runEditor(io, plaintextPath),
                }),
              )
            : await editNewSecretFile(io, file, primary);
          await write(
            io.stderr,
            `kenos secrets: ${changed ? `saved ${file}` : `${file} unchanged`}\n`,
          );
          break;
        }
        case 'rotate':
          await rotateSecretFile(file, { keyProvider: primary });
          await write(
            io.stderr,
            `kenos secrets: rotated the data key of ${file}\n`,
          );
          break;
        case 'updatekeys':
          await withOpener(providers, (keyProvider) =>
            updateSecretFileKeys(file, {
              keyProvider,
              keyProviders: providers,
            }),
          );
          await write(
            io.stderr,
            `kenos secrets: ${file} is now readable with ${providers.map((p) => `${p.kind}:${p.primaryKeyId}`).join(', ')}\n`,
          );
          break;
      }
      return 0;
    });
  },
};
