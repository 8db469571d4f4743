import type { RestRouter } from '@kenos/server';
import type { SayHello } from '../../use-cases/say-hello.js';
import { toTransportError } from '../domain-errors.js';

/** `delay_ms` from the query string: absent = 0, digits only, else NaN (rejected by the use case). */
function parseDelay(raw: unknown): unknown {
  if (raw === undefined) return 0;
  return typeof raw === 'string' && /^\d{1,6}$/.test(raw)
    ? Number(raw)
    : Number.NaN;
}

/** `GET /v1/greetings/:name` and `POST /v1/greetings`. */
export function mountGreetingRoutes(
  router: RestRouter,
  sayHello: SayHello,
): void {
  router.get('/v1/greetings/:name', async (req, res) => {
    try {
      res.json(
        await sayHello({
          name: req.params['name'],
          delayMs: parseDelay(req.query['delay_ms']),
        }),
      );
    } catch (err) {
      throw toTransportError(err);
    }
  });
  router.post('/v1/greetings', async (req, res) => {
    const body: unknown = req.body;
    const fields =
      typeof body === 'object' && body !== null
        ? (body as Record<string, unknown>)
        : {};
    try {
      res.json(
        await sayHello({
          name: fields['name'],
          delayMs: fields['delay_ms'] ?? 0,
        }),
      );
    } catch (err) {
      throw toTransportError(err);
    }
  });
}
