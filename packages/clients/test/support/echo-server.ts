import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ECHO_PROTO_PATH, PROTO_LOADER_OPTIONS } from '@kenos/testing';
import type { ProtoGrpcType } from '../generated/echo.js';
import type { EchoRequest__Output } from '../generated/kenos/testing/v1/EchoRequest.js';
import type { EchoResponse } from '../generated/kenos/testing/v1/EchoResponse.js';

/** The typed package definition of the test echo service (what a service loads once at startup). */
export const echoProto = grpc.loadPackageDefinition(
  loadSync(ECHO_PROTO_PATH, PROTO_LOADER_OPTIONS),
) as unknown as ProtoGrpcType;

/** The constructor `createGrpcClient` takes. */
export const EchoService = echoProto.kenos.testing.v1.EchoService;

/** What one handled call saw. */
export interface SeenCall {
  request: EchoRequest__Output;
  metadata: grpc.Metadata;
  /** Milliseconds from arrival to the call's deadline; `Infinity` without one. */
  remainingMs: number;
}

/** Answers one call: a response, or an error status. */
export type EchoBehaviour = (
  call: SeenCall,
  index: number,
) =>
  | EchoResponse
  | { code: grpc.status; details: string }
  | Promise<EchoResponse | { code: grpc.status; details: string }>;

/** A bare grpc-js echo server on 127.0.0.1 whose answers a test chooses, recording every call it handles. */
export interface EchoServer {
  readonly address: string;
  readonly calls: SeenCall[];
  stop(): Promise<void>;
}

export async function startEchoServer(
  behaviour: EchoBehaviour = ({ request }) => ({ text: request.text }),
): Promise<EchoServer> {
  const server = new grpc.Server();
  const calls: SeenCall[] = [];
  server.addService(EchoService.service, {
    Echo: (
      call: grpc.ServerUnaryCall<EchoRequest__Output, EchoResponse>,
      callback: grpc.sendUnaryData<EchoResponse>,
    ) => {
      const deadline = call.getDeadline();
      const seen: SeenCall = {
        request: call.request,
        metadata: call.metadata,
        remainingMs:
          deadline === Infinity ? Infinity : Number(deadline) - Date.now(),
      };
      calls.push(seen);
      Promise.resolve(behaviour(seen, calls.length - 1)).then(
        (answer) => {
          if ('code' in answer && typeof answer.code === 'number')
            callback({ code: answer.code, details: answer.details });
          else callback(null, answer as EchoResponse);
        },
        (err: unknown) =>
          callback({ code: grpc.status.INTERNAL, details: String(err) }),
      );
    },
  } as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      '127.0.0.1:0',
      grpc.ServerCredentials.createInsecure(),
      (err, p) => (err ? reject(err) : resolve(p)),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    calls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}

/** Resolves after `ms`, or rejects when `signal` aborts first. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
