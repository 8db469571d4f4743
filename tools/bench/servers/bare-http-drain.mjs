// Anchor of the shutdown cases: bare node:http with the greeter's `?delay_ms=` and the minimal
// correct drain on SIGTERM: stop accepting, close idle keep-alive sockets, let in-flight
// requests finish (responses carry `Connection: close`), then exit.
import { createServer } from 'node:http';

let closing = false;
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const delay = Number(url.searchParams.get('delay_ms') ?? 0);
  setTimeout(() => {
    const body = JSON.stringify({ message: 'Hello, bench!' });
    const headers = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    };
    if (closing) headers.connection = 'close';
    res.writeHead(200, headers);
    res.end(body);
  }, delay);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.HTTP_PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
process.on('SIGTERM', () => {
  closing = true;
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
