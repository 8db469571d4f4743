import type { KeyProvider } from '@kenos/crypto';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';

/**
 * Runs the user's editor (`$VISUAL`, else `$EDITOR`, else `vi`; through the
 * shell, so `code --wait` works) on `path` and waits for it.
 *
 * @throws CliError `KENOS_ERR_CLI_INPUT` when the editor fails or exits non-zero.
 */
export function runEditor(io: CliIo, path: string): Promise<void> {
  const editor = io.env['VISUAL'] || io.env['EDITOR'] || 'vi';
  return new Promise((resolve, reject) => {
    const child = spawn(`${editor} "$KENOS_EDIT_FILE"`, {
      shell: true,
      stdio: 'inherit',
      env: { ...io.env, KENOS_EDIT_FILE: path },
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new CliError(
            'KENOS_ERR_CLI_INPUT',
            `the editor '${editor}' exited with ${signal ?? `code ${String(code)}`}; the secret file is unchanged`,
          ),
        );
    });
  });
}

/**
 * `kenos secrets edit` of a file that does not exist yet: the editor opens
 * an empty document in a private temporary directory (0700, file 0600) and
 * the result is written encrypted to `path`. The temporary directory is
 * removed afterwards, also on error.
 *
 * @returns whether a file was written (false when the editor left the template as it was).
 */
export async function editNewSecretFile(
  io: CliIo,
  path: string,
  keyProvider: KeyProvider,
): Promise<boolean> {
  const { parseSecretDocument, secretFileFormat, writeSecretFile } =
    await import('@kenos/crypto');
  const format = secretFileFormat(path);
  const template =
    format === 'json'
      ? '{}\n'
      : '# A new secret file: one "key: value" per line; values are encrypted on save.\n';
  const dir = await mkdtemp(join(tmpdir(), 'kenos-secrets-'));
  try {
    await chmod(dir, 0o700);
    const plaintextPath = join(dir, basename(path));
    await writeFile(plaintextPath, template, { mode: 0o600, flag: 'wx' });
    await runEditor(io, plaintextPath);
    const text = await readFile(plaintextPath, 'utf8');
    if (text === template) return false;
    await writeSecretFile(path, parseSecretDocument(text, format), {
      keyProvider,
    });
    return true;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
