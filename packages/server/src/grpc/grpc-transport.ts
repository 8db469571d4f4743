import { resolve } from 'node:path';
import {
  createServer as createNetServer,
  type AddressInfo,
  type Server as NetServer,
} from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import {
  HealthImplementation,
  protoPath as healthProtoPath,
  type ServingStatus,
} from 'grpc-health-check';
import { ServerError } from '../server-error.js';
import { ServiceError } from '../service-error.js';
import { requestIdFrom } from '../request-context.js';
import { runInCallScope, type CallScope } from '../call-scope.js';
import { capConnections } from '../service/connection-limits.js';
import type { LoggingSeam, ServiceLogger } from '../service/logger.js';
import { startRpcServerCall, type MetricsSeam } from '../service/metrics.js';
import type { Transport } from '../transport.js';
import { trackConnections } from './grpc-connections.js';
import { sendGoawayToAll } from './grpc-goaway.js';
import { GRPC_PROTO_LOADER_OPTIONS } from './proto-options.js';
import {
  KENOS_ERROR_DOMAIN,
  STATUS_DETAILS_TRAILER,
  encodeStatusDetails,
} from './status-details.js';

/** What a unary handler gets besides the request. */
export interface GrpcCallContext {
  /** The call's request id (incoming `x-request-id` metadata or new); echoed in response metadata. */
  readonly requestId: string;
  /** Incoming metadata. */
  readonly metadata: grpc.Metadata;
  /** Aborted when the client cancels or the call's deadline passes; pass it to downstream calls. */
  readonly signal: AbortSignal;
  /** The call deadline, if the client set one (propagate it to downstream calls). */
  readonly deadline: Date | undefined;
  /** The call-scoped logger. */
  readonly logger: ServiceLogger;
}

/**
 * A unary handler: return (or resolve) the response, or throw. Throw a
 * `ServiceError` (e.g. `ValidationError`) for a client error status; anything
 * else is answered INTERNAL without internals.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GrpcUnaryHandler<Req = any, Res = any> = (
  request: Req,
  call: GrpcCallContext,
) => Promise<Res> | Res;

/** Handlers of one service, by method name as in the `.proto` (e.g. `SayHello`). */
export type GrpcHandlers = Record<string, GrpcUnaryHandler>;

/** One gRPC service to serve. */
export interface GrpcServiceRegistration {
  /**
   * Path of the `.proto` file that declares the service: absolute, or relative to the package root
   * (`ServiceContext.root`, e.g. `proto/kenos/example/greeter/v1/greeter.proto`).
   */
  protoPath: string;
  /** Import roots for the `.proto`'s imports: absolute, or relative to the package root. Default `[]`. */
  includeDirs?: string[];
  /** Fully-qualified service name, e.g. `kenos.example.greeter.v1.GreeterService`. */
  service: string;
  /** The unary handlers. */
  handlers: GrpcHandlers;
}

/** Options of {@link createGrpcTransport}. */
export interface GrpcTransportOptions {
  port: number;
  /** Host to bind; default `0.0.0.0`. */
  host?: string;
  services: GrpcServiceRegistration[];
  /** Directory a relative `protoPath` or `includeDirs` entry is resolved against. Default `process.cwd()`. */
  root?: string;
  /**
   * Turns an error a handler threw (or rejected with) into the error answered, before it is classified
   * and logged; not called for an undecodable request message. If it throws, that is logged and the
   * original error is answered INTERNAL. Default `(err) => err`.
   */
  mapError?: (err: unknown) => unknown;
  /** Largest accepted message. Default `4194304` (4 MiB). */
  maxReceiveMessageBytes?: number;
  /** Largest sent message. Default `4194304` (4 MiB). */
  maxSendMessageBytes?: number;
  /**
   * Most client connections open at once; each one beyond it is closed as soon as it is accepted (logged as a warning,
   * `KENOS_ERR_SERVER_CONNECTION_LIMIT`), so a connection flood cannot use up the process's descriptors. Default `0` = no
   * cap; `runService` passes `grpc.maxConnections` (`GRPC_MAX_CONNECTIONS`), by default derived from the descriptor limit.
   */
  maxConnections?: number;
  logging: LoggingSeam;
  metrics: MetricsSeam;
}

/** The gRPC transport, its bound port and its health status switch. */
export interface GrpcTransport extends Transport {
  readonly port: number;
  /** Sets `grpc.health.v1` status of the overall server (`''`) and every served service. */
  setServing(serving: boolean): void;
}

/**
 * A cancel this close to the call's deadline counts as DEADLINE_EXCEEDED: the client's deadline timer fires one
 * network (and event-loop) delay before the server's, and a busy host stretches that delay past a few ms.
 */
const DEADLINE_SLACK_MS = 50;

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function grpcCodeName(code: number): string {
  return grpc.status[code] ?? String(code);
}

/** What a wrapped request deserializer returns for bytes that are not a valid message: the call is answered INVALID_ARGUMENT. */
class UndecodableRequest {
  constructor(readonly reason: string) {}
}

/**
 * The method definitions of a service with a request deserializer that never throws. grpc-js answers a message its
 * deserializer throws on with INTERNAL before any handler (or Kenos) sees the call; this one returns an
 * {@link UndecodableRequest} instead, so the unary wrapper answers, logs and counts the call like any other.
 */
function withSafeDeserializers(
  definition: grpc.ServiceDefinition,
): grpc.ServiceDefinition {
  const safe: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(definition)) {
    const deserialize = method.requestDeserialize;
    safe[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return deserialize(bytes);
        } catch (err) {
          return new UndecodableRequest(
            err instanceof Error ? err.message : String(err),
          );
        }
      },
    };
  }
  return safe as grpc.ServiceDefinition;
}

/** @grpc/grpc-js transport with request id, access log, metrics, error mapping, health and reflection. */
export function createGrpcTransport(
  options: GrpcTransportOptions,
): GrpcTransport {
  const { logging, metrics, mapError } = options;
  const root = options.root ?? process.cwd();
  const services = options.services.map((s) => ({
    ...s,
    protoPath: resolve(root, s.protoPath),
    includeDirs: (s.includeDirs ?? []).map((d) => resolve(root, d)),
  }));
  const max = 4 * 1024 * 1024;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxReceiveMessageBytes ?? max,
    'grpc.max_send_message_length': options.maxSendMessageBytes ?? max,
  });
  const includeDirs = services.flatMap((s) => s.includeDirs);
  const files = [
    ...new Set([...services.map((s) => s.protoPath), healthProtoPath]),
  ];
  const packageDefinition = loadSync(files, {
    ...GRPC_PROTO_LOADER_OPTIONS,
    includeDirs,
  });
  const serviceNames = services.map((s) => s.service);
  const health = new HealthImplementation(
    Object.fromEntries(
      ['', ...serviceNames].map((n) => [n, 'NOT_SERVING' as ServingStatus]),
    ),
  );
  const watches = new Set<grpc.ServerWritableStream<unknown, unknown>>();
  let inFlight = 0;

  for (const reg of services) {
    const definition = packageDefinition[reg.service] as
      | grpc.ServiceDefinition
      | undefined;
    if (!definition || 'format' in definition) {
      throw new ServerError(
        'KENOS_ERR_SERVER_GRPC_SERVICE',
        `gRPC service ${reg.service} is not declared in ${reg.protoPath}`,
      );
    }
    const impl: grpc.UntypedServiceImplementation = {};
    for (const [methodName, method] of Object.entries(definition)) {
      const handler =
        reg.handlers[methodName] ?? reg.handlers[method.originalName ?? ''];
      if (method.requestStream || method.responseStream) {
        throw new ServerError(
          'KENOS_ERR_SERVER_GRPC_SERVICE',
          `${reg.service}/${methodName}: only unary methods are supported`,
        );
      }
      if (!handler) {
        throw new ServerError(
          'KENOS_ERR_SERVER_GRPC_SERVICE',
          `${reg.service}/${methodName} has no handler`,
        );
      }
      impl[methodName] = wrapUnary(reg.service, methodName, handler);
    }
    server.addService(withSafeDeserializers(definition), impl);
  }

  function wrapUnary(
    service: string,
    method: string,
    handler: GrpcUnaryHandler,
  ): grpc.handleUnaryCall<unknown, unknown> {
    return (call, callback) => {
      const started = performance.now();
      inFlight++;
      const requestId = requestIdFrom(call.metadata.get('x-request-id')[0]);
      const out = new grpc.Metadata();
      out.set('x-request-id', requestId);
      call.sendMetadata(out);
      const controller = new AbortController();
      let finished = false;
      // grpc-js also emits 'cancelled' when a finished call's stream closes: only a live call is aborted
      // (and the Error, whose stack capture is costly, is only made then)
      call.on('cancelled', () => {
        if (!finished) controller.abort(new Error('call cancelled'));
      });
      const rawDeadline = call.getDeadline();
      const deadline =
        rawDeadline === Infinity ? undefined : new Date(rawDeadline);
      let timer: NodeJS.Timeout | undefined;
      if (deadline) {
        timer = setTimeout(
          () => controller.abort(new Error('deadline exceeded')),
          Math.max(0, deadline.getTime() - Date.now()),
        );
        timer.unref();
      }
      // only the W3C trace context headers: no copy of the whole metadata per call
      const carrier: Record<string, string> = {};
      const traceparent = call.metadata.get('traceparent')[0];
      if (typeof traceparent === 'string') {
        carrier['traceparent'] = traceparent;
        const tracestate = call.metadata.get('tracestate')[0];
        if (typeof tracestate === 'string') carrier['tracestate'] = tracestate;
      }
      // one server span and the RED histogram (@kenos/telemetry), one log scope, one access-log line
      const rpc = startRpcServerCall(carrier, service, method, metrics);
      // the call scope (request id, deadline, signal) that outgoing calls of the handler inherit
      const scope: CallScope = {
        requestId,
        deadline: deadline?.getTime(),
        signal: controller.signal,
      };
      const run = (fn: () => void): void =>
        rpc.run(() => runInCallScope(scope, fn));
      run(() =>
        logging.runWithContext({ request_id: requestId }, () => {
          const finish = (code: grpc.status, err?: unknown): void => {
            finished = true;
            if (timer) clearTimeout(timer);
            inFlight--;
            rpc.end(code, code === grpc.status.INTERNAL ? err : undefined);
            // the root logger with the request id, not the scope's: a scope's logger is only built when a handler logs
            const fields = {
              request_id: requestId,
              rpc: {
                service,
                method,
                status: grpcCodeName(code),
                code,
                duration_ms:
                  Math.round((performance.now() - started) * 100) / 100,
              },
            };
            if (code === grpc.status.INTERNAL)
              logging.root.error({ ...fields, err }, 'grpc call');
            else logging.root.info(fields, 'grpc call');
          };
          let logger: ServiceLogger | undefined;
          const context: GrpcCallContext = {
            requestId,
            metadata: call.metadata,
            signal: controller.signal,
            deadline,
            // built on first use, inside the call's log scope (the handler runs in it)
            get logger() {
              return (logger ??= logging.current());
            },
          };
          const onResponse = (response: unknown): void => {
            finish(grpc.status.OK);
            callback(null, response);
          };
          const onError = (thrown: unknown): void => {
            let err = thrown;
            if (mapError) {
              try {
                err = mapError(thrown);
              } catch (failure) {
                logging.root.error(
                  {
                    request_id: requestId,
                    err: failure,
                    code: 'KENOS_ERR_SERVER_INTERNAL',
                  },
                  'mapError threw; the original error is answered as an internal error',
                );
                finish(grpc.status.INTERNAL, thrown);
                callback({
                  code: grpc.status.INTERNAL,
                  details: `internal error (request id ${requestId})`,
                });
                return;
              }
            }
            if (err instanceof ServiceError) {
              const md = new grpc.Metadata();
              md.set('x-request-id', requestId);
              md.set(
                STATUS_DETAILS_TRAILER,
                encodeStatusDetails({
                  code: err.grpcCode,
                  message: err.message,
                  errorInfo: {
                    reason: err.code,
                    domain: KENOS_ERROR_DOMAIN,
                    metadata: {},
                  },
                  fieldViolations: err.violations,
                }),
              );
              finish(err.grpcCode);
              callback({
                code: err.grpcCode,
                details: err.message,
                metadata: md,
              });
            } else if (controller.signal.aborted) {
              // the handler gave up because the caller did: not a server fault. grpc-js ends a call at its
              // deadline itself (seen here as 'cancelled'), so the clock tells a deadline from a cancel. A client
              // cancels at ITS deadline, which this server (its clock started on receipt) reaches one network
              // delay later: a cancel within DEADLINE_SLACK_MS of the deadline is the deadline.
              const deadlinePassed =
                deadline !== undefined &&
                Date.now() >= deadline.getTime() - DEADLINE_SLACK_MS;
              const code = deadlinePassed
                ? grpc.status.DEADLINE_EXCEEDED
                : grpc.status.CANCELLED;
              finish(code);
              callback({
                code,
                details: deadlinePassed
                  ? 'deadline exceeded'
                  : 'cancelled by the client',
              });
            } else {
              finish(grpc.status.INTERNAL, err);
              callback({
                code: grpc.status.INTERNAL,
                details: `internal error (request id ${requestId})`,
              });
            }
          };
          if (call.request instanceof UndecodableRequest) {
            const md = new grpc.Metadata();
            md.set('x-request-id', requestId);
            const details = `the request is not a valid ${service}/${method} message: ${call.request.reason}`;
            md.set(
              STATUS_DETAILS_TRAILER,
              encodeStatusDetails({
                code: grpc.status.INVALID_ARGUMENT,
                message: details,
                errorInfo: {
                  reason: 'KENOS_ERR_SERVER_MALFORMED_MESSAGE',
                  domain: KENOS_ERROR_DOMAIN,
                  metadata: {},
                },
              }),
            );
            logging.root.info(
              {
                request_id: requestId,
                code: 'KENOS_ERR_SERVER_MALFORMED_MESSAGE',
                reason: call.request.reason,
              },
              'grpc call refused',
            );
            finish(grpc.status.INVALID_ARGUMENT);
            callback({
              code: grpc.status.INVALID_ARGUMENT,
              details,
              metadata: md,
            });
            return;
          }
          // the handler is called at once, not in a microtask, and a promise it returns gets one
          // `then`: the wrapper makes no promises of its own (each is an allocation and a microtask)
          let result: unknown;
          try {
            result = handler(call.request, context);
          } catch (err) {
            onError(err);
            return;
          }
          if (isPromiseLike(result)) result.then(onResponse, onError);
          else onResponse(result);
        }),
      );
    };
  }

  health.addToServer({
    addService: (definition, implementation) => {
      const watch = implementation['watch'] as grpc.handleServerStreamingCall<
        unknown,
        unknown
      >;
      server.addService(
        definition as grpc.ServiceDefinition,
        {
          ...implementation,
          watch: (call: grpc.ServerWritableStream<unknown, unknown>) => {
            watches.add(call);
            call.once('close', () => watches.delete(call));
            call.once('cancelled', () => watches.delete(call));
            watch(call);
          },
        } as grpc.UntypedServiceImplementation,
      );
    },
  });
  new ReflectionService(packageDefinition).addToServer(server);

  let port = options.port;
  let listener: NetServer | undefined;
  let injector: grpc.ConnectionInjector | undefined;
  const connections = trackConnections();
  return {
    name: 'grpc',
    get port() {
      return port;
    },
    setServing(serving) {
      const status: ServingStatus = serving ? 'SERVING' : 'NOT_SERVING';
      for (const n of ['', ...serviceNames]) health.setStatus(n, status);
    },
    start() {
      // grpc-js's bindAsync makes an http2 server that cannot be capped: Kenos listens with its own net.Server
      // (maxConnections) and hands each accepted connection to grpc-js through its public connection injector.
      // tryShutdown/forceShutdown close the injector's sessions too; server.drain(port) knows only bindAsync ports:
      // its counterpart here is injector.drain(graceMs) (GOAWAY to every open session).
      injector = server.createConnectionInjector(
        grpc.ServerCredentials.createInsecure(),
      );
      const inject = injector;
      const l = createNetServer((socket) => {
        connections.add(socket);
        inject.injectConnection(socket);
      });
      capConnections(l, options.maxConnections ?? 0, 'grpc', logging.root);
      listener = l;
      return new Promise<void>((resolve, reject) => {
        l.once('error', reject);
        l.listen(
          {
            host: (options.host ?? '0.0.0.0').replace(/^\[(.*)\]$/, '$1'),
            port: options.port,
          },
          () => {
            l.off('error', reject);
            port = (l.address() as AddressInfo).port;
            resolve();
          },
        );
      });
    },
    // GOAWAY to every connection at the start of the shutdown delay, while still serving (./grpc-goaway.ts)
    prepareStop() {
      if (!sendGoawayToAll(server)) {
        logging.root.warn(
          'grpc: the HTTP/2 sessions of @grpc/grpc-js are not where expected; clients get GOAWAY only when the delay ends',
        );
      }
    },
    async stop(signal) {
      listener?.close(); // stop accepting; grpc-js's shutdown below closes the open connections
      // health watchers saw NOT_SERVING when shutdown began; end their streams so they do not hold the drain
      for (const call of watches) call.end();
      watches.clear();
      await new Promise<void>((resolve) => {
        const force = (): void => {
          logging.root.warn(
            { in_flight: inFlight, connections: connections.size },
            'grpc drain deadline reached, forcing',
          );
          server.forceShutdown();
          connections.destroyAll();
          resolve();
        };
        signal.addEventListener('abort', force, { once: true });
        // tryShutdown sends GOAWAY to the connections that have not had it and closes each session once its calls
        // ended; but it calls back at once for a session already closing (the GOAWAY of prepareStop), calls and all:
        // the drain is over when every connection has closed (./grpc-connections.ts)
        server.tryShutdown(() => {
          void connections.allClosed().then(() => {
            signal.removeEventListener('abort', force);
            resolve();
          });
        });
      });
    },
  };
}
