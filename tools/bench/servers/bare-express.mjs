// Anchor: the greeter's hello route (its own use case) on a bare express 5 app (no middleware).
import express from 'express';
import { restHello } from './greeter-logic.mjs';

const app = express();
app.get('/v1/greetings/:name', restHello);
const server = app.listen(
  Number(process.env.HTTP_PORT ?? 0),
  '127.0.0.1',
  () => {
    console.log(`listening on ${server.address().port}`);
  },
);
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
