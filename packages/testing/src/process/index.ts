/**
 * `@kenos/testing/process`: the low-level test-process kit. It imports no
 * `@kenos` package and no gRPC library, so the tests of every package (the
 * logger's included) and the benchmark harness can use it.
 *
 * @packageDocumentation
 */
export { freePort } from './free-port.js';
export { parseLine, spawnNode, stopAllProcesses } from './spawn-node.js';
export type {
  ExitInfo,
  LineMatcher,
  LogLine,
  NodeProcess,
  SpawnNodeOptions,
  StopAllOptions,
} from './spawn-node.js';
export { TestingError } from '../testing-error.js';
export type { TestingErrorCode } from '../testing-error.js';
