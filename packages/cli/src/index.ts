/**
 * @kenos/cli: The kenos command: new, bundle, manifests, config, secrets, kms-local, observability.
 *
 * The `kenos` bin runs {@link runCli}; embedding tools can call it directly.
 *
 * @packageDocumentation
 */
export { runCli, cliCommands } from './run-cli.js';
export type { Command } from './command.js';
export type { CliIo } from './cli-io.js';
export { CliError } from './cli-error.js';
export type { CliErrorCode } from './cli-error.js';
export { KMS_LOCAL_DEFAULT_PORT } from './commands/kms-local.js';
export {
  generateService,
  TEMPLATE_PLAIN_SECRETS,
  type GenerateServiceOptions,
  type GeneratedService,
} from './new/generate-service.js';
export {
  serviceNameForms,
  serviceNameProblem,
  SERVICE_NAME_MAX_LENGTH,
  type ServiceNameForms,
} from './new/service-name.js';
export { bundleService } from './bundle/bundle-service.js';
export type { BundleServiceOptions } from './bundle/bundle-service.js';
export type { BundleServiceResult } from './bundle/bundle-service.js';
export { BUNDLE_EXTERNAL } from './bundle/bundle-external.js';
export { checkManifests } from './manifests/check-manifests.js';
export type { CheckManifestsOptions } from './manifests/check-manifests.js';
export { formatManifestProblem } from './manifests/manifest-problem.js';
export type { ManifestProblem } from './manifests/manifest-problem.js';
export { migrateService } from './migrate/migrate-service.js';
export type {
  MigrateServiceOptions,
  MigrateServiceResult,
  AppliedMigration,
} from './migrate/migrate-service.js';
export type { Migration, MigrationService } from './migrate/migration.js';
export { MIGRATIONS } from './migrate/migrations/index.js';
