import { readAll, write, type CliIo } from '../cli-io.js';
import type { Command } from '../command.js';
import { withEnvelopes } from './envelope-keys.js';

const usage = `Usage: kenos decrypt [--context KEY=VALUE]... (--local-key FILE | --kms-key-id ID)...

Reads the text form (kenos:v1:..., surrounding whitespace ignored) on stdin
and writes the plaintext, exactly, on stdout. When decryption fails (tampered,
truncated or foreign ciphertext, another context, an unusable key) it exits 1
with one line on stderr and writes nothing on stdout.

Flags:
  --context KEY=VALUE   encryption context entry, repeatable; must equal the one used to encrypt (default: none)
  --local-key FILE      a local key file holding the key the ciphertext names; repeatable
  --kms-key-id ID       an AWS KMS key id, ARN or alias/NAME allowed to decrypt; repeatable
  -h, --help            show this help
Each key source is tried in turn (KMS first). Without a key flag, .kenos-keys.json is used as for encrypt.
`;

/** `kenos decrypt`: the text form on stdin to plaintext on stdout. */
export const decryptCommand: Command = {
  name: 'decrypt',
  summary: 'decrypt the text form on stdin to stdout',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    return withEnvelopes(this, args, async (envelopes, context) => {
      const ciphertext = (await readAll(io.stdin)).toString('utf8').trim();
      let lastError: unknown;
      for (const envelope of envelopes) {
        try {
          const plaintext = await envelope.decryptString(ciphertext, context);
          await write(io.stdout, plaintext);
          return 0;
        } catch (err) {
          lastError = err;
        }
      }
      throw lastError;
    });
  },
};
