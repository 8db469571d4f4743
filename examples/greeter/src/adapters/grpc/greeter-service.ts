import { join } from 'node:path';
import type { GrpcCallContext, GrpcServiceRegistration } from '@kenos/server';
import type { SayHello } from '../../use-cases/say-hello.js';
import { PACKAGE_ROOT } from '../../package-root.js';
import { toTransportError } from '../domain-errors.js';
import type { SayHelloRequest__Output } from './generated/SayHelloRequest.js';
import type { SayHelloResponse } from './generated/SayHelloResponse.js';

/** The greeter `.proto`, loaded from the package directory (`proto/` ships next to `dist/`). */
export const GREETER_PROTO_PATH = join(
  PACKAGE_ROOT,
  'proto/kenos/example/greeter/v1/greeter.proto',
);

/** `kenos.example.greeter.v1.GreeterService`, typed with the generated message types. */
export function greeterService(sayHello: SayHello): GrpcServiceRegistration {
  const SayHello = async (
    request: SayHelloRequest__Output,
    call: GrpcCallContext,
  ): Promise<SayHelloResponse> => {
    try {
      return await sayHello(
        { name: request.name, delayMs: request.delayMs },
        call.signal,
      );
    } catch (err) {
      throw toTransportError(err);
    }
  };
  return {
    protoPath: GREETER_PROTO_PATH,
    service: 'kenos.example.greeter.v1.GreeterService',
    handlers: { SayHello },
  };
}
