import { createRequire } from 'node:module';
import type * as grpc from '@grpc/grpc-js';
import { injectContext } from '@kenos/telemetry';

// grpc-js is loaded when the first call is intercepted, not when @kenos/server is imported: a
// component that serves no gRPC and calls none (a batch, a REST-only api) never pays its import.
const require = createRequire(import.meta.url);
let InterceptingCall: typeof grpc.InterceptingCall | undefined;

/**
 * A `@grpc/grpc-js` client interceptor that adds the W3C trace context of the active span
 * (`traceparent`, `tracestate`, `baggage`) to the metadata of every outgoing call, so a call
 * made while handling a request joins that request's trace in the called service. Values the
 * caller already set are kept; outside any span nothing is added.
 *
 * @example
 * ```ts
 * const client = new GreeterClient(address, credentials, { interceptors: [grpcTraceInterceptor] });
 * ```
 */
export const grpcTraceInterceptor: grpc.Interceptor = (options, nextCall) => {
  InterceptingCall ??= (require('@grpc/grpc-js') as typeof grpc)
    .InterceptingCall;
  return new InterceptingCall(nextCall(options), {
    start(metadata, listener, next) {
      const headers = injectContext<Record<string, string>>({});
      for (const [key, value] of Object.entries(headers))
        if (metadata.get(key).length === 0) metadata.set(key, value);
      next(metadata, listener);
    },
  });
};
