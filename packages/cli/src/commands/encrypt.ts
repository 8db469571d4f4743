import { CliError } from '../cli-error.js';
import { readAll, write, type CliIo } from '../cli-io.js';
import type { Command } from '../command.js';
import { withEnvelopes } from './envelope-keys.js';

const usage = `Usage: kenos encrypt [--context KEY=VALUE]... (--local-key FILE | --kms-key-id ID)

Reads UTF-8 plaintext on stdin (every byte, a trailing newline included) and
writes its encrypted text form (kenos:v1:...) and a newline on stdout.

Flags:
  --context KEY=VALUE   encryption context entry, repeatable; decrypt needs the same entries (default: none)
  --local-key FILE      encrypt with the primary key of a local key file (kenos local-key generate)
  --kms-key-id ID       encrypt with an AWS KMS key (id, ARN or alias/NAME); the SDK's standard
                        configuration applies (AWS_REGION, credentials, AWS_ENDPOINT_URL_KMS)
  -h, --help            show this help
Without a key flag, the first rule of the nearest .kenos-keys.json without a pathRegex is used.
`;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `kenos encrypt`: stdin plaintext to the text form on stdout. */
export const encryptCommand: Command = {
  name: 'encrypt',
  summary: 'encrypt stdin to the text form on stdout',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    return withEnvelopes(this, args, async ([envelope], context) => {
      if (envelope === undefined)
        throw new CliError('KENOS_ERR_CLI_INPUT', 'no key provider');
      let plaintext: string;
      try {
        plaintext = utf8.decode(await readAll(io.stdin));
      } catch (cause) {
        throw new CliError(
          'KENOS_ERR_CLI_INPUT',
          'the plaintext on stdin is not UTF-8 text',
          { cause },
        );
      }
      await write(
        io.stdout,
        `${await envelope.encryptString(plaintext, context)}\n`,
      );
      return 0;
    });
  },
};
