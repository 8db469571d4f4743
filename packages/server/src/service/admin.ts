import { isDevelopmentEnv } from '@kenos/config';
import type { Lifecycle, LifecycleOptions } from '@kenos/lifecycle';
import type { StandardSettings } from './config.js';
import { logLevelHandler, type ServiceLogger } from './logger.js';
import type { MetricsSeam } from './metrics.js';

/**
 * The admin options of `createLifecycle` from the standard settings `admin.*` and `env`. Without a
 * token, the mutating admin endpoints (`PUT /log-level`) are open only in a development env
 * (`isDevelopmentEnv` of `@kenos/config`: `development` and `test`, the same split as the
 * secrets files' local keys); every other name, `production`, `staging` or a typo alike, refuses
 * them (403): an admin endpoint reachable on the pod IP fails closed.
 */
export function adminLifecycleOptions(
  settings: Pick<StandardSettings, 'admin' | 'env'>,
): Pick<
  LifecycleOptions,
  'adminPort' | 'adminHost' | 'adminToken' | 'adminMutatingRoutes'
> {
  const { port, host, token } = settings.admin;
  // with a token the lifecycle requires it everywhere; without one it defaults to 'off'
  const open = token === '' && isDevelopmentEnv(settings.env);
  return {
    adminPort: port,
    adminHost: host,
    adminToken: token,
    ...(open ? { adminMutatingRoutes: 'open' as const } : {}),
  };
}

/** Mounts the service's admin routes: `GET /metrics`, `GET /log-level` and `PUT /log-level`. */
export function mountAdminRoutes(
  lifecycle: Lifecycle,
  metrics: MetricsSeam,
  logger: ServiceLogger,
): void {
  lifecycle.adminRoute('GET', '/metrics', (req, res) =>
    metrics.metricsHandler(req, res),
  );
  const logLevel = logLevelHandler(logger);
  lifecycle.adminRoute('GET', '/log-level', logLevel);
  lifecycle.adminRoute('PUT', '/log-level', logLevel);
}
