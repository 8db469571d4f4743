/**
 * Anything a component serves with (go-kratos shape): the service starts every
 * transport, waits for a signal, and stops them under the lifecycle's deadline.
 *
 * Shutdown of the `api` component, in order: `prepareStop()` the moment readiness turns false →
 * `SHUTDOWN_DELAY_MS` while still serving → `stop(signal)`.
 */
export interface Transport {
  /** Name used in logs, e.g. `http`, `grpc`, `worker:greetings`. */
  readonly name: string;
  /** Binds and starts serving; rejects (e.g. port in use) before the service reports ready. */
  start(): Promise<void>;
  /**
   * Optional. Called once, synchronously, when shutdown starts (readiness false), before the
   * shutdown delay: keep serving every request and call, old and new, but tell each client to
   * move to another instance (HTTP/1.1 `Connection: close` on every response, HTTP/2 GOAWAY).
   * Load balancers such as kube-proxy balance connections, not requests: a client's pooled
   * connections stay pinned to this instance until it closes them, so it must learn to leave
   * while the instance still answers. Must not throw and must not stop accepting.
   */
  prepareStop?(): void;
  /** Stops accepting and finishes in-flight work; `signal` aborts at the shutdown deadline (then force). */
  stop(signal: AbortSignal): Promise<void>;
}
