// Anchor: the hello route on a bare express 5 app (no middleware).
import express from 'express';

const app = express();
app.get('/v1/greetings/:name', (req, res) => {
  res.json({ message: `Hello, ${req.params.name}!` });
});
const server = app.listen(Number(process.env.HTTP_PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
