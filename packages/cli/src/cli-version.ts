import { readFileSync } from 'node:fs';

let version: string | undefined;

/** The version of this @kenos/cli, from its package.json (read once). */
export function cliVersion(): string {
  version ??=
    (
      JSON.parse(
        readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
      ) as { version?: string }
    ).version ?? '0.0.0';
  return version;
}
