import { createHttpClient } from '@kenos/clients';
import type { AskNeighbour } from '../use-cases/relay-greeting.js';

/**
 * The neighbour greeter at `baseUrl` (`greeter.neighbourUrl`, `GREETER_NEIGHBOUR_URL`), asked over
 * REST through the Kenos HTTP client: each call carries the request id, the trace context and the
 * remaining deadline of the request it is made for, and a downstream error comes back as the
 * typed error it was (a 400 stays a 400). None when `baseUrl` is empty.
 */
export function neighbourGreeter(baseUrl: string): AskNeighbour | undefined {
  if (baseUrl === '') return undefined;
  const neighbour = createHttpClient({ baseUrl, name: 'neighbour-greeter' });
  return async ({ name, delayMs }) => {
    const res = await neighbour.get(
      `/v1/greetings/${encodeURIComponent(name)}`,
      { query: { delay_ms: delayMs } },
    );
    return res.json<{ message: string }>();
  };
}
