/**
 * @kenos/clients: Service-to-service HTTP (undici) and gRPC clients with deadline propagation, retries within a budget, request id, trace context, metrics and spans.
 *
 * Export every public symbol by name (no `export *`); each export is part of
 * the API report in `api/clients.api.md`.
 *
 * @packageDocumentation
 */
export { ClientsError } from './clients-error.js';
export type { ClientsErrorCode } from './clients-error.js';

// gRPC client
export { createGrpcClient } from './grpc/create-grpc-client.js';
export type {
  GrpcCallOptions,
  GrpcClient,
  GrpcClientHandle,
  GrpcMethodDefinition,
  GrpcServiceConstructor,
  GrpcUnaryMethod,
} from './grpc/create-grpc-client.js';
export type {
  GrpcClientOptions,
  GrpcRetryOptions,
  GrpcRetryableStatus,
} from './grpc/grpc-client-options.js';

// HTTP client (src/http)
export { createHttpClient } from './http/http-client.js';
export type {
  HttpClient,
  HttpMethod,
  HttpQueryValue,
  HttpRequestOptions,
} from './http/http-client.js';
export type {
  HttpClientOptions,
  HttpRetryOptions,
  RetryBudgetOptions,
} from './http/http-client-options.js';
export type { HttpResponse } from './http/http-response.js';
