import type { ServiceContext } from '../context.js';
import type { ServiceDefinition } from '../define-service.js';
import type { ConfigSchema } from './config.js';
import type { JobQueue } from '../worker/job-queue.js';

/**
 * Makes the process's job queue with the definition's `queue` factory (once, before the other
 * factories) and wires it into the component: its health check (critical for `worker:*`, shown in
 * `/health` only for the `api`) and its `close()` as a shutdown hook, registered before any of the
 * service's own hooks so that it runs after them, once the transports stopped. `undefined` without a
 * factory or when it returns none; a throw is the caller's to report.
 */
export async function openQueue<S extends ConfigSchema>(
  factory: ServiceDefinition<S>['queue'],
  context: ServiceContext<S>,
): Promise<JobQueue | undefined> {
  if (!factory) return undefined;
  const queue = await factory(context);
  if (!queue) return undefined;
  context.registerHealthCheck({
    ...queue.healthCheck(),
    critical: context.component.startsWith('worker:'),
  });
  context.onShutdown(`queue (${queue.engine})`, () => queue.close());
  context.logger.info({ queue_engine: queue.engine }, 'job queue opened');
  return queue;
}
