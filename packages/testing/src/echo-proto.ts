import { fileURLToPath } from 'node:url';

/**
 * Absolute path of `echo.proto` (package `kenos.testing.v1`, service
 * `EchoService`, unary `Echo`), shipped with `@kenos/testing` for tests of gRPC
 * plumbing: a test server implements it, a test client calls it.
 */
export const ECHO_PROTO_PATH: string = fileURLToPath(
  new URL('../proto/kenos/testing/v1/echo.proto', import.meta.url),
);
