import { writeSync } from 'node:fs';

const reported = new Set<string>();

/**
 * Writes one line to stderr the first time a given kind of internal failure happens, and never
 * again for that kind: the logger must never crash its host nor flood stderr.
 */
export function reportOnce(
  kind: string,
  message: string,
  error?: unknown,
): void {
  if (reported.has(kind)) return;
  reported.add(kind);
  const detail =
    error instanceof Error
      ? `: ${error.name}: ${error.message}`
      : error === undefined
        ? ''
        : `: ${String(error)}`;
  try {
    writeSync(
      2,
      `[@kenos/logger] ${message}${detail} (reported once; logging continues)\n`,
    );
  } catch {
    // stderr is gone too: nothing left to tell.
  }
}

/** A short, safe description of a thrown value. */
export function describeError(error: unknown): string {
  try {
    return error instanceof Error
      ? `${error.name}: ${error.message}`
      : String(error);
  } catch {
    return 'unknown error';
  }
}
