import type { Context } from '@opentelemetry/api';

/**
 * An immutable OpenTelemetry `Context` kept as a chain of links, one per `setValue`, for the
 * request hot paths. The API's own context (`ROOT_CONTEXT`'s class) copies its whole `Map` on
 * every `setValue`, so a request that extracts a parent and activates its server span built two
 * `Map`s; here each `setValue` is one small object and `getValue` walks back to the nearest link
 * of the key (a request's chain is two or three links long). Behaves as the API's context does
 * (a differential test runs the same operations on both): later values shadow earlier ones,
 * `deleteValue` hides a key, the receiver is never changed.
 */
class LinkedContext implements Context {
  constructor(
    private readonly parent: LinkedContext | undefined,
    private readonly key: symbol | undefined,
    private readonly value: unknown,
  ) {}

  getValue(key: symbol): unknown {
    // a loop, not recursion: however long a chain a caller builds, reading it cannot overflow the stack
    if (key === this.key) return this.value;
    for (let link = this.parent; link !== undefined; link = link.parent) {
      if (link.key === key) return link.value;
    }
    return undefined;
  }

  setValue(key: symbol, value: unknown): Context {
    return new LinkedContext(this, key, value);
  }

  deleteValue(key: symbol): Context {
    // a link to `undefined` answers `undefined` for the key, as a context without it does
    return new LinkedContext(this, key, undefined);
  }
}

/**
 * An empty context whose descendants are {@link LinkedContext}s: the parent the request
 * instrumentation extracts incoming trace context into (in place of `ROOT_CONTEXT`, which holds
 * nothing either).
 */
export const EMPTY_LINKED_CONTEXT: Context = new LinkedContext(
  undefined,
  undefined,
  undefined,
);
