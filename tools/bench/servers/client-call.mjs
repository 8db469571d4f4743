// The downstream-call case: an express hello route whose handler makes one call to a downstream
// JSON service (a bare node:http server in this process) and answers with its result. Both sides
// run the per-request work of @kenos/server around the app (a server span and the RED histogram of
// @kenos/telemetry, the process's metrics, a call scope), so they differ only by the client:
//   CLIENT=kenos   createHttpClient of @kenos/clients (deadline, request id, client span, metric, budget)
//   CLIENT=undici  a bare undici Pool: request() and body.json()
import { createServer } from 'node:http';
import express from 'express';
import { Pool } from 'undici';
import { createHttpClient } from '@kenos/clients';
import { runInCallScope } from '@kenos/server';
import {
  createMetrics,
  instrumentHttpRequest,
  setProcessMetrics,
  startTracing,
} from '@kenos/telemetry';

const body = JSON.stringify({ greeting: 'Hello' });
const downstream = createServer((_req, res) => {
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
});
downstream.keepAliveTimeout = 65_000;
await new Promise((resolve) => downstream.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${downstream.address().port}`;

startTracing({ serviceName: 'bench', serviceVersion: '1.0.0', env: {} });
const metrics = createMetrics({ service: 'bench', version: '1.0.0' });
setProcessMetrics(metrics);

let call;
if (process.env.CLIENT === 'kenos') {
  const client = createHttpClient({ baseUrl: origin, name: 'downstream' });
  call = async () => (await client.get('/greeting')).json();
} else {
  const pool = new Pool(origin, { connections: 64 });
  call = async () => {
    const res = await pool.request({ method: 'GET', path: '/greeting' });
    return res.body.json();
  };
}

const app = express();
app.get('/v1/greetings/:name', async (req, res) => {
  const { greeting } = await call();
  res.json({ message: `${greeting}, ${req.params.name}!` });
});
const getRoute = (req) => (req.route ? String(req.route.path) : undefined);
const options = { metrics, getRoute };
let n = 0;
const server = createServer((req, res) =>
  instrumentHttpRequest(
    req,
    res,
    () =>
      runInCallScope(
        {
          requestId: `r${++n}`,
          deadline: Date.now() + 30_000,
          signal: undefined,
        },
        () => app(req, res),
      ),
    options,
  ),
);
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.HTTP_PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
process.on('SIGTERM', () => {
  downstream.close();
  server.close(() => process.exit(0));
});
