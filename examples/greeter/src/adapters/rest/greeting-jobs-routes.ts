import type { RestRouter } from '@kenos/server';
import { InvalidGreetingError } from '../../domain/greeting.js';
import type { RequestGreeting } from '../../use-cases/request-greeting.js';

/** The name of a JSON body; a name that is not a string is refused. */
function parseName(body: unknown): string {
  const name =
    typeof body === 'object' && body !== null
      ? ((body as Record<string, unknown>)['name'] ?? '')
      : '';
  if (typeof name !== 'string')
    throw new InvalidGreetingError([
      { field: 'name', description: 'must be a string' },
    ]);
  return name;
}

/**
 * `POST /v1/greeting-jobs`: accepts a greeting for `worker:greetings` and answers 202 with the
 * job's id (the `job_id` of the worker's log lines); 503 problem+json when no queue is configured.
 */
export function mountGreetingJobRoutes(
  router: RestRouter,
  requestGreeting: RequestGreeting,
): void {
  router.post('/v1/greeting-jobs', async (req, res) => {
    res.status(202).json(await requestGreeting({ name: parseName(req.body) }));
  });
}
