// @kenos/clients: a REST handler making one downstream call through the Kenos HTTP client, against
// the same handler with a bare undici Pool (servers/client-call.mjs).
import { httpServerSide } from '../src/http-load.mjs';
import { restHelloCase, serverScript } from '../src/rest-cases.mjs';

const script = serverScript('client-call.mjs');

export default {
  name: 'clients',
  cases: [
    restHelloCase('REST handler with one downstream call: Kenos HTTP client', {
      target: { min: 0.85 },
      anchor: httpServerSide('bare undici Pool.request', script, {
        CLIENT: 'undici',
      }),
      subject: httpServerSide('createHttpClient (@kenos/clients)', script, {
        CLIENT: 'kenos',
      }),
    }),
  ],
};
