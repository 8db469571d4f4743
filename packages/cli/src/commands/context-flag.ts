import { usageError, type Command } from '../command.js';

/** The `--context k=v` flag (repeatable) of encrypt and decrypt. */
export const CONTEXT_FLAG = {
  context: { type: 'string', multiple: true },
} as const;

/**
 * Parses `--context k=v` values into an encryption context. The key is
 * everything before the first `=`; the value may contain `=`. A key given
 * twice is a usage error.
 */
export function parseContext(
  command: Pick<Command, 'name' | 'usage'>,
  values: string[] | undefined,
): Record<string, string> {
  const context: Record<string, string> = {};
  for (const entry of values ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0)
      throw usageError(command, `--context takes KEY=VALUE, got '${entry}'`);
    const key = entry.slice(0, eq);
    if (Object.hasOwn(context, key))
      throw usageError(command, `--context ${key} is given twice`);
    context[key] = entry.slice(eq + 1);
  }
  return context;
}
