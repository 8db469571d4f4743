/**
 * @kenos/testing: Test harness for services built on Kenos. Starts a service
 * as a real child process, waits for its `service ready` log line, reads its
 * ports and log lines, stops it with real signals, and talks gRPC to it.
 *
 * @packageDocumentation
 */
export { createGrpcClient, PROTO_LOADER_OPTIONS, unary } from './grpc-client.js';
export type { GrpcClientOptions, UnaryOptions, UnaryResult } from './grpc-client.js';
export { grpcHealthCheck } from './grpc-health-check.js';
export { listGrpcServices } from './grpc-reflection.js';
export type { ListGrpcServicesOptions } from './grpc-reflection.js';
export type { GrpcHealthCheckOptions, ServingStatus } from './grpc-health-check.js';
export { spawnService, startService, stopAllServices } from './service-process.js';
export type { ExitInfo, LineMatcher, LogLine, ServiceOptions, ServicePorts, ServiceProcess, StopAllOptions } from './service-process.js';
export { ServiceNotReadyError, TestingError } from './testing-error.js';
export type { TestingErrorCode } from './testing-error.js';
