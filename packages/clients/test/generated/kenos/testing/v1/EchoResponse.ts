// Original file: ../testing/proto/kenos/testing/v1/echo.proto

import type { Long } from '@grpc/proto-loader';

export interface EchoResponse {
  'text'?: (string);
  'requestId'?: (string);
  'header'?: (string);
  'count'?: (number | string | Long);
}

export interface EchoResponse__Output {
  'text': (string);
  'requestId': (string);
  'header': (string);
  'count': (string);
}
