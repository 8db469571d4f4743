/**
 * Anything a component serves with (go-kratos shape): the service starts every
 * transport, waits for a signal, and stops them under the lifecycle's deadline.
 */
export interface Transport {
  /** Name used in logs, e.g. `http`, `grpc`, `worker:greetings`. */
  readonly name: string;
  /** Binds and starts serving; rejects (e.g. port in use) before the service reports ready. */
  start(): Promise<void>;
  /** Stops accepting and finishes in-flight work; `signal` aborts at the shutdown deadline (then force). */
  stop(signal: AbortSignal): Promise<void>;
}
