import type { RestRouter } from '@kenos/server';
import { InvalidGreetingError } from '../../domain/greeting.js';
import type { SayHello } from '../../use-cases/say-hello.js';

/** `delay_ms` from the query string: absent = 0, digits only, else NaN (which the use case refuses). */
export function parseDelay(raw: unknown): number {
  if (raw === undefined) return 0;
  return typeof raw === 'string' && /^\d{1,6}$/.test(raw)
    ? Number(raw)
    : Number.NaN;
}

/** The fields of a JSON body as the use case takes them; a name that is not a string is refused. */
function parseBody(body: unknown): { name: string; delayMs: number } {
  const fields =
    typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)
      : {};
  const name = fields['name'] ?? '';
  const delay = fields['delay_ms'] ?? 0;
  if (typeof name !== 'string')
    throw new InvalidGreetingError([
      { field: 'name', description: 'must be a string' },
    ]);
  return { name, delayMs: typeof delay === 'number' ? delay : Number.NaN };
}

/** `GET /v1/greetings/:name` and `POST /v1/greetings`; errors are mapped by the service's `mapError`. */
export function mountGreetingRoutes(
  router: RestRouter,
  sayHello: SayHello,
): void {
  router.get('/v1/greetings/:name', async (req, res) => {
    res.json(
      await sayHello({
        name: req.params['name'] ?? '',
        delayMs: parseDelay(req.query['delay_ms']),
      }),
    );
  });
  router.post('/v1/greetings', async (req, res) => {
    res.json(await sayHello(parseBody(req.body)));
  });
}
