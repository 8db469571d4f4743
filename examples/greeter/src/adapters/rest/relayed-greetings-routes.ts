import type { RestRouter } from '@kenos/server';
import type { RelayGreeting } from '../../use-cases/relay-greeting.js';
import { parseDelay } from './greetings-routes.js';

/**
 * `GET /v1/relayed-greetings/:name`: the greeting of the neighbour greeter (`GREETER_NEIGHBOUR_URL`),
 * one trace and one request id across both; 503 problem+json when no neighbour is configured,
 * 504 when the neighbour does not answer within the request's deadline.
 */
export function mountRelayedGreetingRoutes(
  router: RestRouter,
  relayGreeting: RelayGreeting,
): void {
  router.get('/v1/relayed-greetings/:name', async (req, res) => {
    res.json(
      await relayGreeting({
        name: req.params['name'] ?? '',
        delayMs: parseDelay(req.query['delay_ms']),
      }),
    );
  });
}
