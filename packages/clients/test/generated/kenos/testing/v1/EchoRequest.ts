// Original file: ../testing/proto/kenos/testing/v1/echo.proto

import type { Long } from '@grpc/proto-loader';

export interface EchoRequest {
  'text'?: (string);
  'delayMs'?: (number);
  'fail'?: (string);
  'count'?: (number | string | Long);
}

export interface EchoRequest__Output {
  'text': (string);
  'delayMs': (number);
  'fail': (string);
  'count': (string);
}
