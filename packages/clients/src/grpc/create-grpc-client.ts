import * as grpc from '@grpc/grpc-js';
import {
  STATUS_DETAILS_TRAILER,
  currentCallScope,
  type CallScope,
  type DeadlineExceededError,
  type ServiceError,
} from '@kenos/server';
import { getProcessMetrics, injectContext, withSpan } from '@kenos/telemetry';
/** The span `withSpan` hands its function (`@opentelemetry/api`'s `Span`). */
type Span = Parameters<Parameters<typeof withSpan>[1]>[0];
import {
  abortedError,
  callDeadline,
  checkTimeoutMs,
  closedError,
  deadlineError,
  isAtDeadline,
} from '../call-errors.js';
import { ClientsError } from '../clients-error.js';
import { errorFromStatus } from './grpc-call-error.js';
import { leaseChannel } from './grpc-channels.js';
import {
  resolveGrpcClientOptions,
  type GrpcClientOptions,
} from './grpc-client-options.js';

/** What the client needs of one method of a service definition (grpc-js' and proto-loader's `MethodDefinition` fit). */
export interface GrpcMethodDefinition<Req = never, Res = unknown> {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly requestSerialize: (value: Req) => Buffer;
  readonly responseDeserialize: (bytes: Buffer) => Res;
}

/**
 * A generated service client constructor, or anything with its `service` definition: e.g.
 * `proto.kenos.example.greeter.v1.GreeterService` of a package definition typed with the
 * `ProtoGrpcType` that `proto-loader-gen-types` writes.
 */
export interface GrpcServiceConstructor<D extends object> {
  readonly service: D;
}

/** Options of one call. */
export interface GrpcCallOptions {
  /** Longest time this call may take, in milliseconds, retries included; lowered by the inherited deadline. Default the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Request metadata: a `grpc.Metadata` (not changed) or `key: value` pairs. Default none. */
  metadata?: grpc.Metadata | Readonly<Record<string, string>>;
  /** Cancels the call; it rejects with `KENOS_ERR_CLIENTS_ABORTED`. Default none (the call scope's signal still cancels). */
  signal?: AbortSignal;
}

/** One unary method: resolves with the response message, or rejects with a typed error. */
export type GrpcUnaryMethod<Req, Res> = (
  request: Req,
  options?: GrpcCallOptions,
) => Promise<Res>;

/** What every gRPC client has besides its methods. */
export interface GrpcClientHandle {
  /** Releases the client's channel (closed when no other client uses it); later calls reject with `KENOS_ERR_CLIENTS_CLOSED`. */
  close(): void;
}

/**
 * The client of service definition `D`: one promise-returning method per unary method, named as
 * the method with a lower-case first letter (`SayHello` → `sayHello`), typed with the request (input)
 * and response (output) message types of the definition.
 */
export type GrpcClient<D extends object> = {
  readonly [K in keyof D as K extends string
    ? string extends K
      ? never
      : D[K] extends GrpcMethodDefinition
        ? Uncapitalize<K>
        : never
    : never]: D[K] extends GrpcMethodDefinition<infer Req, infer Res>
    ? GrpcUnaryMethod<Req, Res>
    : never;
} & GrpcClientHandle;

const DEADLINE_EXCEEDED = grpc.status.DEADLINE_EXCEEDED;

function observe(
  service: string,
  method: string,
  code: number,
  started: number,
): void {
  try {
    getProcessMetrics()?.observeRpcClientCall({
      service,
      method,
      grpcStatusCode: code,
      durationSeconds: (performance.now() - started) / 1000,
    });
  } catch {
    // telemetry never fails a call
  }
}

function requestMetadata(
  given: GrpcCallOptions['metadata'],
  requestId: string | undefined,
): grpc.Metadata {
  let metadata: grpc.Metadata;
  if (given instanceof grpc.Metadata) metadata = given.clone();
  else {
    metadata = new grpc.Metadata();
    if (given) for (const key in given) metadata.set(key, given[key] as string);
  }
  if (requestId !== undefined && metadata.get('x-request-id').length === 0)
    metadata.set('x-request-id', requestId);
  if (metadata.get('traceparent').length === 0) {
    // the W3C headers of the active (client) span
    const carrier = injectContext<Record<string, string>>({});
    for (const key in carrier) metadata.set(key, carrier[key] as string);
  }
  return metadata;
}

/**
 * A promise-based client of one gRPC service on `target` (`host:port`, or any grpc-js target such as
 * `dns:///orders:50051`). Every call carries the request id (`x-request-id`) and W3C trace context of a
 * client span, waits at most `timeoutMs` and never past the deadline of the request, call or job it is
 * made from (an already passed deadline fails at once without sending), is cancelled with that
 * request's signal, retries UNAVAILABLE within a retry budget (see {@link GrpcClientOptions}), and is
 * recorded in `rpc_client_call_duration_seconds`. A failed call rejects with the typed error of
 * `@kenos/server` the called service threw (`ValidationError` with its violations, `NotFoundError`, …,
 * decoded from `grpc-status-details-bin`) or a `ClientsError`; the grpc-js error is the `cause`.
 * Clients with the same target and options share one channel; `close()` releases it.
 * Throws `KENOS_ERR_CLIENTS_INVALID_ARGUMENT` for invalid options.
 */
export function createGrpcClient<D extends object>(
  constructor: GrpcServiceConstructor<D>,
  target: string,
  options?: GrpcClientOptions,
): GrpcClient<D> {
  const resolved = resolveGrpcClientOptions(options);
  const definitions = Object.entries(constructor.service) as [
    string,
    GrpcMethodDefinition<unknown, unknown>,
  ][];
  for (const [name] of definitions) {
    if (name === 'Close' || name === 'close')
      throw new ClientsError(
        'KENOS_ERR_CLIENTS_INVALID_ARGUMENT',
        `the service has a method ${name}, which would hide the client's close()`,
      );
  }
  const lease = leaseChannel(target, resolved);
  const client = lease.client;
  let closed = false;
  const callOptionsBase: grpc.CallOptions =
    resolved.interceptors.length > 0
      ? { interceptors: resolved.interceptors }
      : {};

  const methods: Record<string, unknown> = {
    close() {
      if (closed) return;
      closed = true;
      lease.release();
    },
  };
  for (const [name, definition] of definitions) {
    const path = definition.path;
    const slash = path.lastIndexOf('/');
    const service = path.slice(1, slash);
    const method = path.slice(slash + 1);
    const rpc = `${service}/${method}`;
    const spanOptions = {
      name: rpc,
      kind: 'client' as const,
      attributes: {
        'rpc.system': 'grpc',
        'rpc.service': service,
        'rpc.method': method,
        'server.address': target,
      },
    };
    const unary = (
      request: unknown,
      callOptions: GrpcCallOptions = {},
    ): Promise<unknown> => {
      if (closed) return Promise.reject(closedError(rpc, target));
      try {
        checkTimeoutMs(callOptions.timeoutMs);
      } catch (err) {
        return Promise.reject(err as ClientsError);
      }
      if (definition.requestStream || definition.responseStream)
        return Promise.reject(
          new ClientsError(
            'KENOS_ERR_CLIENTS_INVALID_ARGUMENT',
            `${rpc} is a streaming method; the client makes unary calls only`,
          ),
        );
      const scope = currentCallScope();
      return withSpan(spanOptions, (span) =>
        call(span, request, callOptions, scope),
      );
    };

    const call = (
      span: Span,
      request: unknown,
      callOptions: GrpcCallOptions,
      scope: CallScope | undefined,
    ): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        const now = Date.now();
        const deadline = callDeadline(
          callOptions.timeoutMs ?? resolved.timeoutMs,
          scope,
          now,
        );
        const callerSignal = callOptions.signal;
        const scopeSignal = scope?.signal;
        if (deadline <= now) {
          span.setAttribute('rpc.grpc.status_code', DEADLINE_EXCEEDED);
          reject(deadlineError(rpc, target, 0));
          return;
        }
        if (callerSignal?.aborted || scopeSignal?.aborted) {
          span.setAttribute('rpc.grpc.status_code', grpc.status.CANCELLED);
          reject(abortedError(rpc, target, callerSignal, scopeSignal));
          return;
        }
        // who cancelled the call: its own signal, the request's end, or the request's deadline
        let stop: 'deadline' | 'aborted' | undefined;
        const onAbort = (): void => {
          stop ??=
            callerSignal?.aborted !== true && isAtDeadline(deadline)
              ? 'deadline'
              : 'aborted';
          pending.cancel();
        };
        const pending = client.makeUnaryRequest(
          path,
          definition.requestSerialize,
          definition.responseDeserialize,
          request,
          requestMetadata(callOptions.metadata, scope?.requestId),
          { ...callOptionsBase, deadline },
          (err, response) => {
            callerSignal?.removeEventListener('abort', onAbort);
            scopeSignal?.removeEventListener('abort', onAbort);
            const code = err ? err.code : grpc.status.OK;
            observe(service, method, code, started);
            span.setAttribute('rpc.grpc.status_code', code);
            if (!err) {
              resolve(response);
              return;
            }
            reject(
              failure(err, stop, deadline - now, callerSignal, scopeSignal),
            );
          },
        );
        callerSignal?.addEventListener('abort', onAbort, { once: true });
        scopeSignal?.addEventListener('abort', onAbort, { once: true });
      });

    const failure = (
      err: grpc.ServiceError,
      stop: 'deadline' | 'aborted' | undefined,
      allowedMs: number,
      callerSignal: AbortSignal | undefined,
      scopeSignal: AbortSignal | undefined,
    ): ServiceError | ClientsError | DeadlineExceededError => {
      if (err.code === grpc.status.CANCELLED && stop === 'aborted')
        return abortedError(rpc, target, callerSignal, scopeSignal);
      if (err.code === grpc.status.CANCELLED && stop === 'deadline')
        return deadlineError(rpc, target, allowedMs, err);
      // the call's own deadline (grpc-js' timer, or the server's answer to it), not a service's typed error
      if (
        err.code === DEADLINE_EXCEEDED &&
        err.metadata?.get(STATUS_DETAILS_TRAILER).length !== 1
      )
        return deadlineError(rpc, target, allowedMs, err);
      return errorFromStatus(err, rpc);
    };

    methods[name.charAt(0).toLowerCase() + name.slice(1)] = unary;
  }
  return methods as GrpcClient<D>;
}
