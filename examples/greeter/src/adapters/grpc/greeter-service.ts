import type { GrpcCallContext, GrpcServiceRegistration } from '@kenos/server';
import type { SayHello } from '../../use-cases/say-hello.js';
import type { SayHelloRequest__Output } from './generated/kenos/example/greeter/v1/SayHelloRequest.js';
import type { SayHelloResponse } from './generated/kenos/example/greeter/v1/SayHelloResponse.js';

/** The greeter `.proto`, relative to the package root (`proto/` ships next to `dist/`). */
export const GREETER_PROTO = 'proto/kenos/example/greeter/v1/greeter.proto';

/** `kenos.example.greeter.v1.GreeterService`, typed with the generated message types (`npm run generate`). */
export function greeterService(sayHello: SayHello): GrpcServiceRegistration {
  return {
    protoPath: GREETER_PROTO,
    service: 'kenos.example.greeter.v1.GreeterService',
    handlers: {
      SayHello: (
        request: SayHelloRequest__Output,
        call: GrpcCallContext,
      ): Promise<SayHelloResponse> =>
        sayHello({ name: request.name, delayMs: request.delayMs }, call.signal),
    },
  };
}
