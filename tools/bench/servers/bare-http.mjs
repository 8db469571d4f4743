// Anchor: the hello route on bare node:http (the floor for any HTTP framework).
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  const m = /^\/v1\/greetings\/([^/?]+)/.exec(req.url ?? '');
  if (req.method === 'GET' && m) {
    const body = JSON.stringify({
      message: `Hello, ${decodeURIComponent(m[1])}!`,
    });
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
    return;
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.HTTP_PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
