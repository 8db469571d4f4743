/**
 * @kenos/testing: the test kit of Kenos. Starts a service as a real child
 * process, waits for its `service ready` log line, reads its ports and log
 * lines, stops it with real signals, and talks gRPC to it. The low-level
 * process kit (`spawnNode`, `freePort`) is also published on its own as
 * `@kenos/testing/process`, which loads no gRPC library.
 *
 * @packageDocumentation
 */
export { ECHO_PROTO_PATH } from './echo-proto.js';
export { createGrpcClient, unary } from './grpc-client.js';
export type {
  GrpcClientOptions,
  UnaryOptions,
  UnaryResult,
} from './grpc-client.js';
export { grpcHealthCheck } from './grpc-health-check.js';
export type {
  GrpcHealthCheckOptions,
  ServingStatus,
} from './grpc-health-check.js';
export { listGrpcServices } from './grpc-reflection.js';
export type { ListGrpcServicesOptions } from './grpc-reflection.js';
export { freePort } from './process/free-port.js';
export {
  parseLine,
  spawnNode,
  stopAllProcesses,
} from './process/spawn-node.js';
export type {
  ExitInfo,
  LineMatcher,
  LogLine,
  NodeProcess,
  SpawnNodeOptions,
  StopAllOptions,
} from './process/spawn-node.js';
export { PROTO_LOADER_OPTIONS } from './proto-loader-options.js';
export {
  spawnService,
  startService,
  stopAllServices,
} from './service-process.js';
export type {
  ServiceOptions,
  ServicePorts,
  ServiceProcess,
} from './service-process.js';
export { ServiceNotReadyError, TestingError } from './testing-error.js';
export type { TestingErrorCode } from './testing-error.js';
