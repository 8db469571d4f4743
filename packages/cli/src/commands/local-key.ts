import { write, type CliIo } from '../cli-io.js';
import { parseCommandArgs, usageError, type Command } from '../command.js';

const usage = `Usage: kenos local-key generate FILE
       kenos local-key add FILE

generate  writes a new local development key file (one random 256-bit key,
          file mode 0600); refuses to overwrite an existing file.
add       adds a new random key to FILE and makes it the primary (rotation);
          the older keys stay, so existing ciphertexts still decrypt.
Both print the id of the new key on stdout. Local keys are for development
and tests: the local key provider refuses to run in production.

Flags:
  --key-id ID   id of the new key (default: a random id)
  -h, --help    show this help
`;

/** `kenos local-key generate|add FILE`: local development key files. */
export const localKeyCommand: Command = {
  name: 'local-key',
  summary: 'generate a local development key file, or add a key to one',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      this,
      args,
      { 'key-id': { type: 'string' } },
      { min: 2, max: 2 },
    );
    const [action, file] = positionals as [string, string];
    const options =
      values['key-id'] === undefined ? {} : { keyId: values['key-id'] };
    const { addLocalKey, generateLocalKey } = await import('@kenos/crypto');
    let keyId: string;
    if (action === 'generate')
      ({ keyId } = await generateLocalKey(file, options));
    else if (action === 'add') ({ keyId } = await addLocalKey(file, options));
    else throw usageError(this, `unknown action '${action}' (generate or add)`);
    await write(io.stdout, `${keyId}\n`);
    return 0;
  },
};
