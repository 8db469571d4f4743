import type { Lifecycle, LifecycleOptions } from '@kenos/lifecycle';
import type { StandardSettings } from './config.js';
import { logLevelHandler, type ServiceLogger } from './logger.js';
import type { MetricsSeam } from './metrics.js';

/**
 * The environments (`KENOS_ENV` / `NODE_ENV`) where the mutating admin endpoints (`PUT /log-level`)
 * are open without a token: a developer's machine and test runs. Every other name, `production`,
 * `staging` or a typo alike, refuses them (403) unless `admin.token` is set. This is an allow-list,
 * unlike the `keys.provider = local` rule, which only `production` refuses: an admin endpoint
 * reachable on the pod IP must fail closed.
 */
export const OPEN_ADMIN_ENVS: readonly string[] = Object.freeze(['development', 'test']);

/** The admin options of `createLifecycle` from the standard settings `admin.*` and `env`. */
export function adminLifecycleOptions(
  settings: Pick<StandardSettings, 'admin' | 'env'>,
): Pick<LifecycleOptions, 'adminPort' | 'adminHost' | 'adminToken' | 'adminMutatingRoutes'> {
  const { port, host, token } = settings.admin;
  // with a token the lifecycle requires it everywhere; without one it defaults to 'off'
  const open = token === '' && OPEN_ADMIN_ENVS.includes(settings.env);
  return { adminPort: port, adminHost: host, adminToken: token, ...(open ? { adminMutatingRoutes: 'open' as const } : {}) };
}

/** Mounts the service's admin routes: `GET /metrics`, `GET /log-level` and `PUT /log-level`. */
export function mountAdminRoutes(lifecycle: Lifecycle, metrics: MetricsSeam, logger: ServiceLogger): void {
  lifecycle.adminRoute('GET', '/metrics', (req, res) => metrics.metricsHandler(req, res));
  const logLevel = logLevelHandler(logger);
  lifecycle.adminRoute('GET', '/log-level', logLevel);
  lifecycle.adminRoute('PUT', '/log-level', logLevel);
}
