import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GreeterServiceClient as _kenos_example_greeter_v1_GreeterServiceClient, GreeterServiceDefinition as _kenos_example_greeter_v1_GreeterServiceDefinition } from './kenos/example/greeter/v1/GreeterService.js';
import type { SayHelloRequest as _kenos_example_greeter_v1_SayHelloRequest, SayHelloRequest__Output as _kenos_example_greeter_v1_SayHelloRequest__Output } from './kenos/example/greeter/v1/SayHelloRequest.js';
import type { SayHelloResponse as _kenos_example_greeter_v1_SayHelloResponse, SayHelloResponse__Output as _kenos_example_greeter_v1_SayHelloResponse__Output } from './kenos/example/greeter/v1/SayHelloResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  kenos: {
    example: {
      greeter: {
        v1: {
          GreeterService: SubtypeConstructor<typeof grpc.Client, _kenos_example_greeter_v1_GreeterServiceClient> & { service: _kenos_example_greeter_v1_GreeterServiceDefinition }
          SayHelloRequest: MessageTypeDefinition<_kenos_example_greeter_v1_SayHelloRequest, _kenos_example_greeter_v1_SayHelloRequest__Output>
          SayHelloResponse: MessageTypeDefinition<_kenos_example_greeter_v1_SayHelloResponse, _kenos_example_greeter_v1_SayHelloResponse__Output>
        }
      }
    }
  }
}

