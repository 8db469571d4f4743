import type { EncryptionContext, Envelope } from '@kenos/crypto';
import { parseCommandArgs, type Command } from '../command.js';
import { CONTEXT_FLAG, parseContext } from './context-flag.js';
import { KEY_FLAGS, selectKeys, withKeyProviders } from './key-selection.js';

/**
 * The part `kenos encrypt` and `kenos decrypt` share: parses `--context` and
 * the key flags, chooses the keys (the flags, else `.kenos-keys.json`) and
 * runs `fn` with the encryption context and one envelope per key provider
 * (KMS first, no data-key cache). The envelopes and the providers are closed
 * afterwards, whatever `fn` does.
 */
export async function withEnvelopes(
  command: Pick<Command, 'name' | 'usage'>,
  args: string[],
  fn: (
    envelopes: readonly Envelope[],
    context: EncryptionContext,
  ) => Promise<number>,
): Promise<number> {
  const { values } = parseCommandArgs(command, args, {
    ...CONTEXT_FLAG,
    ...KEY_FLAGS,
  });
  const context = parseContext(command, values.context);
  const { createEnvelope } = await import('@kenos/crypto');
  return withKeyProviders(selectKeys(command, values), async (providers) => {
    const envelopes = providers.map((keyProvider) =>
      createEnvelope({ keyProvider, cache: false }),
    );
    try {
      return await fn(envelopes, context);
    } finally {
      await Promise.allSettled(envelopes.map((envelope) => envelope.close()));
    }
  });
}
