import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The absolute path of `command`: a path as it is, a name looked up on `path` (default `PATH`);
 * `undefined` when no executable file is found.
 */
export function findExecutable(
  command: string,
  path = process.env['PATH'] ?? '',
): string | undefined {
  const candidates = command.includes('/')
    ? [command]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, command));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not there, or not executable: try the next directory
    }
  }
  return undefined;
}
