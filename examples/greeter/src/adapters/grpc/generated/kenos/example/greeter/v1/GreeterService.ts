// Original file: proto/kenos/example/greeter/v1/greeter.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { SayHelloRequest as _kenos_example_greeter_v1_SayHelloRequest, SayHelloRequest__Output as _kenos_example_greeter_v1_SayHelloRequest__Output } from '../../../../kenos/example/greeter/v1/SayHelloRequest.js';
import type { SayHelloResponse as _kenos_example_greeter_v1_SayHelloResponse, SayHelloResponse__Output as _kenos_example_greeter_v1_SayHelloResponse__Output } from '../../../../kenos/example/greeter/v1/SayHelloResponse.js';

export interface GreeterServiceClient extends grpc.Client {
  SayHello(argument: _kenos_example_greeter_v1_SayHelloRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kenos_example_greeter_v1_SayHelloResponse__Output>): grpc.ClientUnaryCall;
  SayHello(argument: _kenos_example_greeter_v1_SayHelloRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kenos_example_greeter_v1_SayHelloResponse__Output>): grpc.ClientUnaryCall;
  SayHello(argument: _kenos_example_greeter_v1_SayHelloRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kenos_example_greeter_v1_SayHelloResponse__Output>): grpc.ClientUnaryCall;
  SayHello(argument: _kenos_example_greeter_v1_SayHelloRequest, callback: grpc.requestCallback<_kenos_example_greeter_v1_SayHelloResponse__Output>): grpc.ClientUnaryCall;
  sayHello(argument: _kenos_example_greeter_v1_SayHelloRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kenos_example_greeter_v1_SayHelloResponse__Output>): grpc.ClientUnaryCall;
  sayHello(argument: _kenos_example_greeter_v1_SayHelloRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kenos_example_greeter_v1_SayHelloResponse__Output>): grpc.ClientUnaryCall;
  sayHello(argument: _kenos_example_greeter_v1_SayHelloRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kenos_example_greeter_v1_SayHelloResponse__Output>): grpc.ClientUnaryCall;
  sayHello(argument: _kenos_example_greeter_v1_SayHelloRequest, callback: grpc.requestCallback<_kenos_example_greeter_v1_SayHelloResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface GreeterServiceHandlers extends grpc.UntypedServiceImplementation {
  SayHello: grpc.handleUnaryCall<_kenos_example_greeter_v1_SayHelloRequest__Output, _kenos_example_greeter_v1_SayHelloResponse>;
  
}

export interface GreeterServiceDefinition extends grpc.ServiceDefinition {
  SayHello: MethodDefinition<_kenos_example_greeter_v1_SayHelloRequest, _kenos_example_greeter_v1_SayHelloResponse, _kenos_example_greeter_v1_SayHelloRequest__Output, _kenos_example_greeter_v1_SayHelloResponse__Output>
}
