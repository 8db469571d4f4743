// Original file: ../testing/proto/kenos/testing/v1/echo.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { EchoRequest as _kenos_testing_v1_EchoRequest, EchoRequest__Output as _kenos_testing_v1_EchoRequest__Output } from '../../../kenos/testing/v1/EchoRequest.js';
import type { EchoResponse as _kenos_testing_v1_EchoResponse, EchoResponse__Output as _kenos_testing_v1_EchoResponse__Output } from '../../../kenos/testing/v1/EchoResponse.js';

export interface EchoServiceClient extends grpc.Client {
  Echo(argument: _kenos_testing_v1_EchoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kenos_testing_v1_EchoResponse__Output>): grpc.ClientUnaryCall;
  Echo(argument: _kenos_testing_v1_EchoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kenos_testing_v1_EchoResponse__Output>): grpc.ClientUnaryCall;
  Echo(argument: _kenos_testing_v1_EchoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kenos_testing_v1_EchoResponse__Output>): grpc.ClientUnaryCall;
  Echo(argument: _kenos_testing_v1_EchoRequest, callback: grpc.requestCallback<_kenos_testing_v1_EchoResponse__Output>): grpc.ClientUnaryCall;
  echo(argument: _kenos_testing_v1_EchoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_kenos_testing_v1_EchoResponse__Output>): grpc.ClientUnaryCall;
  echo(argument: _kenos_testing_v1_EchoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_kenos_testing_v1_EchoResponse__Output>): grpc.ClientUnaryCall;
  echo(argument: _kenos_testing_v1_EchoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_kenos_testing_v1_EchoResponse__Output>): grpc.ClientUnaryCall;
  echo(argument: _kenos_testing_v1_EchoRequest, callback: grpc.requestCallback<_kenos_testing_v1_EchoResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface EchoServiceHandlers extends grpc.UntypedServiceImplementation {
  Echo: grpc.handleUnaryCall<_kenos_testing_v1_EchoRequest__Output, _kenos_testing_v1_EchoResponse>;
  
}

export interface EchoServiceDefinition extends grpc.ServiceDefinition {
  Echo: MethodDefinition<_kenos_testing_v1_EchoRequest, _kenos_testing_v1_EchoResponse, _kenos_testing_v1_EchoRequest__Output, _kenos_testing_v1_EchoResponse__Output>
}
