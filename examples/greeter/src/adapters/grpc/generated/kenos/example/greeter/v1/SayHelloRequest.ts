// Original file: proto/kenos/example/greeter/v1/greeter.proto


export interface SayHelloRequest {
  'name'?: (string);
  'delayMs'?: (number);
}

export interface SayHelloRequest__Output {
  'name': (string);
  'delayMs': (number);
}
