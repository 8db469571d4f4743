import type { CallScope } from '../call-scope.js';

/**
 * The call scope of one REST request. Its AbortController is made only when something asks for the
 * signal (most requests make no outgoing call): a request that ended or timed out before then gets
 * an already aborted signal.
 */
export class HttpCallScope implements CallScope {
  private controller: AbortController | undefined;
  private reason: unknown;

  constructor(
    readonly requestId: string,
    readonly deadline: number | undefined,
  ) {}

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.reason !== undefined) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Aborts the scope's signal (the client went away, or the handler timed out); idempotent. */
  abort(reason: Error): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}
