import type { Readable, Writable } from 'node:stream';

/** The process streams and environment a command runs with (injectable for embedding and tests). */
export interface CliIo {
  /** Input (plaintext or ciphertext for encrypt and decrypt). Default `process.stdin`. */
  readonly stdin: Readable;
  /** Results. Default `process.stdout`. */
  readonly stdout: Writable;
  /** Diagnostics and usage. Default `process.stderr`. */
  readonly stderr: Writable;
  /** Environment variables (`EDITOR`, `AWS_*`, …). Default `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The {@link CliIo} of the current process. */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  };
}

/** Reads a stream to its end. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(
      typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer),
    );
  return Buffer.concat(chunks);
}

/** Writes text and resolves once it is flushed to the stream. */
export function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
