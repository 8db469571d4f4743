/**
 * @kenos/server: One call boots a production-ready service: REST on express, gRPC with health and reflection, workers and batches.
 *
 * Export every public symbol by name (no `export *`); each export is part of
 * the API report in `api/server.api.md`.
 *
 * @packageDocumentation
 */
export {
  currentCallScope,
  remainingTimeMs,
  runInCallScope,
} from './call-scope.js';
export type { CallScope } from './call-scope.js';
export type { ServiceContext } from './context.js';
export type { HealthCheck } from '@kenos/lifecycle';
export { defineService } from './define-service.js';
export type {
  BatchContext,
  RestOptions,
  RestRouter,
  ServiceDefinition,
  WorkerSpec,
} from './define-service.js';
export { ServerError } from './server-error.js';
export type { ServerErrorCode } from './server-error.js';
export {
  ConflictError,
  DeadlineExceededError,
  GrpcCode,
  NotFoundError,
  PermissionDeniedError,
  ServiceError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
} from './service-error.js';
export type { FieldViolation } from './service-error.js';
export type {
  GrpcCallContext,
  GrpcHandlers,
  GrpcServiceRegistration,
  GrpcUnaryHandler,
} from './grpc/grpc-transport.js';
export { grpcTraceInterceptor } from './grpc/grpc-trace-interceptor.js';
export { GRPC_PROTO_LOADER_OPTIONS } from './grpc/proto-options.js';
export {
  KENOS_ERROR_DOMAIN,
  STATUS_DETAILS_TRAILER,
  decodeStatusDetails,
  encodeStatusDetails,
} from './grpc/status-details.js';
export type {
  RpcAnyDetail,
  RpcErrorInfo,
  RpcStatusDetails,
  RpcStatusDetailsInit,
} from './grpc/status-details.js';
export type { Problem } from './http/problem.js';
export { TIMEOUT_HEADER } from './http/timeout-header.js';
export { ExitCode, runService } from './run-service.js';
export type { RunServiceOptions } from './run-service.js';
export type { ServiceConfig } from './service/config.js';
export type { ServiceLogger } from './service/logger.js';
export type { Transport } from './transport.js';
export { createInProcessJobSource } from './worker/job-source.js';
export type {
  InProcessJobSource,
  Job,
  JobSource,
} from './worker/job-source.js';
export type {
  EnqueuedJob,
  EnqueueOptions,
  JobOrigin,
  JobQueue,
} from './worker/job-queue.js';
export type { JobContext } from './worker/worker-transport.js';
