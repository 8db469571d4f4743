// The greeter's own business logic for the anchors of the server cases, so that "the same route"
// means the same work: the example's say-hello use case (validation, optional delay) and the same
// delay_ms parsing as its REST adapter. An anchor then differs from the greeter only by what
// Kenos adds around the handler.
import { createSayHello } from '@kenos/example-greeter/dist/use-cases/say-hello.js';

/** The use case with the greeter's default settings (greeting "Hello", names up to 64 characters). */
export const sayHello = createSayHello({
  greeting: 'Hello',
  maxNameLength: 64,
});

/** `delay_ms` from a query string as the greeter's REST adapter reads it. */
export function parseDelay(raw) {
  if (raw === undefined) return 0;
  return typeof raw === 'string' && /^\d{1,6}$/.test(raw)
    ? Number(raw)
    : Number.NaN;
}

/** `GET /v1/greetings/:name` for express (and fastify: same `params`/`query`, `reply` answers). */
export async function restHello(req, res) {
  try {
    res.json(
      await sayHello({
        name: req.params.name,
        delayMs: parseDelay(req.query.delay_ms),
      }),
    );
  } catch (err) {
    res.status(400).json({ title: err.message });
  }
}

/** `SayHello` for a bare grpc-js server (proto-loader's default options: camelCase fields). */
export function grpcSayHello(call, callback) {
  sayHello({
    name: call.request.name,
    delayMs: call.request.delayMs ?? 0,
  }).then(
    (response) => callback(null, response),
    (err) => callback({ code: 3, details: err.message }),
  );
}
