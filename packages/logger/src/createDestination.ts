import { pino } from 'pino';
import type { DestinationStream } from 'pino';
import { reportOnce } from './reportOnce.js';

/**
 * Where log lines go: `'stdout'` (default), `'stderr'`, a file descriptor, a file path, or any
 * object with `write(line: string)` (for example a test sink). Streams with `flushSync()` or
 * `flush(cb)` are flushed by `flushLogs()` and at exit.
 *
 * @public
 */
export type LogDestination = 'stdout' | 'stderr' | number | string | DestinationStream;

/** A destination together with the means to empty its buffer. */
export interface ManagedDestination {
  readonly stream: DestinationStream;
  /** Writes everything buffered, synchronously (safe inside `process.on('exit')`). */
  flushSync(): void;
  /** Writes everything buffered; never rejects. */
  flush(): Promise<void>;
}

interface FlushableStream extends DestinationStream {
  flushSync?: () => void;
  flush?: (cb?: (err?: Error | null) => void) => void;
  on?: (event: string, listener: (...args: unknown[]) => void) => unknown;
}

/** Every destination to flush at exit. A process normally has one. */
const live = new Set<ManagedDestination>();
let exitHookInstalled = false;

function flushAllOnExit(): void {
  for (const dest of live) dest.flushSync();
}

function track(dest: ManagedDestination): ManagedDestination {
  live.add(dest);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' runs on a normal end, on process.exit() and after an uncaught exception or unhandled
    // rejection; only synchronous work is possible there, hence flushSync.
    process.on('exit', flushAllOnExit);
  }
  return dest;
}

/**
 * Writes out every line buffered by any logger created with `createLogger` (and its children).
 * Resolves once the lines were handed to the operating system; never rejects (a failing
 * destination is reported once on stderr). Lines are also flushed automatically on exit.
 *
 * @public
 */
export async function flushLogs(): Promise<void> {
  await Promise.all([...live].map((d) => d.flush()));
}

/**
 * Builds the destination. Files and descriptors get a synchronous sonic-boom (pino's own
 * destination) that batches up to `bufferBytes` before one `write(2)`, and empties the batch every
 * `flushIntervalMs`: memory is bounded by `bufferBytes` plus one line, a full pipe blocks the
 * writer instead of growing a buffer, and nothing is in flight on another thread at exit.
 */
export function createDestination(
  destination: LogDestination,
  bufferBytes: number,
  flushIntervalMs: number,
): ManagedDestination {
  if (typeof destination === 'object' && destination !== null) {
    return track(wrapStream(destination as FlushableStream));
  }
  const dest = destination === 'stdout' ? 1 : destination === 'stderr' ? 2 : destination;
  const sonic = pino.destination({
    dest,
    sync: true,
    minLength: bufferBytes,
    periodicFlush: bufferBytes > 0 ? flushIntervalMs : 0,
    mkdir: typeof dest === 'string',
  });
  sonic.on('error', (error: unknown) => {
    reportOnce('destination', 'writing a log line failed', error);
  });
  return track(wrapStream(sonic as unknown as FlushableStream));
}

function wrapStream(stream: FlushableStream): ManagedDestination {
  return {
    stream,
    flushSync() {
      try {
        stream.flushSync?.();
      } catch (error) {
        reportOnce('flush', 'flushing the log destination failed', error);
      }
    },
    async flush() {
      if (typeof stream.flushSync === 'function') {
        this.flushSync();
        return;
      }
      const flush = stream.flush;
      if (typeof flush !== 'function') return;
      await new Promise<void>((resolve) => {
        try {
          flush.call(stream, () => resolve());
        } catch (error) {
          reportOnce('flush', 'flushing the log destination failed', error);
          resolve();
        }
      });
    },
  };
}
