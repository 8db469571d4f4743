/**
 * The packages `kenos bundle` keeps out of the bundle: the bundle imports them from
 * `node_modules` at run time, as a service does without a bundle. They are packages that
 * read files next to their own code (the `.proto` files of grpc-health-check and
 * `@grpc/reflection`, and the protobufjs / `@grpc/proto-loader` pair they share with the gRPC
 * transport), packages loaded on demand (the AWS SDK for KMS, the OpenTelemetry SDK when
 * exporting traces, pino-pretty), and their native or optional dependencies, such as the optional
 * backends of BullMQ (`@valkey/valkey-glide`, `pg`), which `@kenos/jobs` never loads. The
 * deployed image therefore still needs the service's production `node_modules`.
 */
export const BUNDLE_EXTERNAL: readonly RegExp[] = Object.freeze([
  /^grpc-health-check(\/|$)/,
  /^@grpc\/reflection(\/|$)/,
  /^@grpc\/proto-loader(\/|$)/,
  /^protobufjs(\/|$)/,
  /^@aws-sdk\//,
  /^@smithy\//,
  /^@opentelemetry\/(sdk-trace|resources|exporter-)/,
  /^pino-pretty(\/|$)/,
  /^@valkey\/valkey-glide(\/|$)/,
  /^pg(\/|$)/,
]);
