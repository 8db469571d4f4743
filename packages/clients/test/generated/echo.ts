import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { EchoRequest as _kenos_testing_v1_EchoRequest, EchoRequest__Output as _kenos_testing_v1_EchoRequest__Output } from './kenos/testing/v1/EchoRequest.js';
import type { EchoResponse as _kenos_testing_v1_EchoResponse, EchoResponse__Output as _kenos_testing_v1_EchoResponse__Output } from './kenos/testing/v1/EchoResponse.js';
import type { EchoServiceClient as _kenos_testing_v1_EchoServiceClient, EchoServiceDefinition as _kenos_testing_v1_EchoServiceDefinition } from './kenos/testing/v1/EchoService.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  kenos: {
    testing: {
      v1: {
        EchoRequest: MessageTypeDefinition<_kenos_testing_v1_EchoRequest, _kenos_testing_v1_EchoRequest__Output>
        EchoResponse: MessageTypeDefinition<_kenos_testing_v1_EchoResponse, _kenos_testing_v1_EchoResponse__Output>
        EchoService: SubtypeConstructor<typeof grpc.Client, _kenos_testing_v1_EchoServiceClient> & { service: _kenos_testing_v1_EchoServiceDefinition }
      }
    }
  }
}

