import { pino } from 'pino';
import type { DestinationStream } from 'pino';
import { reportOnce } from './report-once.js';

/**
 * Where log lines go: `'stdout'` (default), `'stderr'`, a file descriptor, a file path, or any
 * object with `write(line: string)` (for example a test sink). Streams with `flushSync()` or
 * `flush(cb)` are flushed by `flushLogs()` and at exit.
 *
 * @public
 */
export type LogDestination =
  | 'stdout'
  | 'stderr'
  | number
  | string
  | DestinationStream;

/** A destination together with the means to empty its buffer. */
export interface ManagedDestination {
  readonly stream: DestinationStream;
  /** Writes everything buffered, synchronously (safe inside `process.on('exit')`). */
  flushSync(): void;
  /** Writes everything buffered; never rejects. */
  flush(): Promise<void>;
  /** From now on, writes each line at once instead of batching (at exit). */
  writeThrough(): void;
}

interface FlushableStream extends DestinationStream {
  flushSync?: () => void;
  flush?: (cb?: (err?: Error | null) => void) => void;
  on?: (event: string, listener: (...args: unknown[]) => void) => unknown;
}

/** Every destination to flush at exit. A process normally has one. */
const live = new Set<ManagedDestination>();
let exitHookInstalled = false;
let droppedLines = 0;

/**
 * Bytes a file or descriptor destination may hold while its writes fail (a closed descriptor, a
 * full disk). A working destination never holds more than `bufferBytes` plus one line, because a
 * full pipe blocks the writer; past this cap lines are dropped and counted, never silently (so is
 * a single line longer than the cap).
 */
export const FAILING_DESTINATION_CAP_BYTES = 16 * 1024 * 1024;

/**
 * Number of log lines dropped since the process started because a destination kept failing and
 * its buffer reached {@link FAILING_DESTINATION_CAP_BYTES}. Zero in a healthy process; export it
 * as a metric.
 *
 * @public
 */
export function getDroppedLogLines(): number {
  return droppedLines;
}

function flushAllOnExit(): void {
  for (const dest of live) {
    dest.flushSync();
    // Lines logged by 'exit' listeners that run after this one are written at once.
    dest.writeThrough();
  }
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
 * destination) that batches lines up to `bufferBytes` before one `write(2)`, and empties the batch every
 * `flushIntervalMs`: memory is bounded by `bufferBytes` plus one line, a full pipe blocks the
 * writer instead of growing a buffer, and nothing is in flight on another thread at exit.
 */
export function createDestination(
  destination: LogDestination,
  bufferBytes: number,
  flushIntervalMs: number,
): ManagedDestination {
  if (typeof destination === 'object' && destination !== null) {
    const stream = destination as FlushableStream;
    const health = { failing: false };
    // A Node stream emitting 'error' with no listener would crash the process.
    stream.on?.('error', (error: unknown) => {
      health.failing = true;
      reportOnce('destination', 'the log destination stream failed', error);
    });
    const managed = wrapStream(stream, health);
    // A plain { write } sink has nothing to flush: do not keep it alive.
    const flushable =
      typeof stream.flushSync === 'function' ||
      typeof stream.flush === 'function';
    return flushable ? track(managed) : managed;
  }
  const dest =
    destination === 'stdout' ? 1 : destination === 'stderr' ? 2 : destination;
  if (dest === 1 || dest === 2) makeBlocking(dest);
  const batching = bufferBytes > 0;
  const sonic = pino.destination({
    dest,
    sync: true,
    minLength: bufferBytes,
    maxLength: FAILING_DESTINATION_CAP_BYTES,
    periodicFlush: batching ? flushIntervalMs : 0,
    mkdir: typeof dest === 'string',
    // A batch is kept as a list of Buffers (one per line), joined once per write(2). In its default
    // utf8 mode sonic-boom appends each line to one batch string and measures the byte length of the
    // whole batch on every line, flattening it each time: 20–35 % of the cost of a line.
    ...(batching ? { contentMode: 'buffer' as const } : {}),
  });
  // A failing destination is not flushed synchronously at exit: sonic-boom would retry forever.
  const health = { failing: false };
  sonic.on('error', (error: unknown) => {
    health.failing = true;
    reportOnce('destination', 'writing a log line failed', error);
  });
  sonic.on('write', () => {
    health.failing = false;
  });
  sonic.on('drop', () => {
    droppedLines++;
    reportOnce(
      'drop',
      `a log line was dropped: the destination holds ${FAILING_DESTINATION_CAP_BYTES} unwritten bytes (it keeps failing, or the line is that long); dropped lines are counted (getDroppedLogLines())`,
    );
  });
  const stream: FlushableStream = batching
    ? linesAsBuffers(sonic)
    : (sonic as unknown as FlushableStream);
  // sonic-boom reads minLength on every write: 0 writes each later line at once
  return track(
    wrapStream(
      stream,
      health,
      () => ((sonic as unknown as { minLength: number }).minLength = 0),
    ),
  );
}

/** pino writes strings; a sonic-boom in buffer mode takes Buffers. */
function linesAsBuffers(
  sonic: ReturnType<typeof pino.destination>,
): FlushableStream {
  return {
    write: (line: string) =>
      sonic.write(Buffer.from(line) as unknown as string),
    flushSync: () => sonic.flushSync(),
    flush: (cb) => sonic.flush(cb),
  };
}

/**
 * Once anything touches `process.stdout` (a `console.log`), libuv puts a pipe descriptor in
 * non-blocking mode; a full pipe then makes sonic-boom sleep 100 ms per retry. Switching the
 * descriptor back to blocking (what the `set-blocking` package does) makes a full pipe wait exactly
 * as long as the reader needs.
 */
function makeBlocking(fd: 1 | 2): void {
  try {
    const stdio = (fd === 1 ? process.stdout : process.stderr) as unknown as {
      _handle?: { setBlocking?: (blocking: boolean) => number };
    };
    stdio._handle?.setBlocking?.(true);
  } catch (error) {
    reportOnce(
      'blocking',
      `could not make file descriptor ${fd} blocking`,
      error,
    );
  }
}

/** Nothing to switch: a stream given by the caller writes as it writes. */
function keepWriting(): void {
  return;
}

function wrapStream(
  stream: FlushableStream,
  health = { failing: false },
  writeThrough = keepWriting,
): ManagedDestination {
  return {
    stream,
    writeThrough,
    flushSync() {
      if (health.failing) return;
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
