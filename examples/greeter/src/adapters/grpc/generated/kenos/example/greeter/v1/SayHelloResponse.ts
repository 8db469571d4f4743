// Original file: proto/kenos/example/greeter/v1/greeter.proto


export interface SayHelloResponse {
  'message'?: (string);
}

export interface SayHelloResponse__Output {
  'message': (string);
}
